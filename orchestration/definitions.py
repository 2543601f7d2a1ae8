"""The Dagster code location: `dagster dev` and `make run` load this module."""

from dagster import Definitions

from orchestration.instance import keep_event_log_connections

from orchestration.assets.assessments import frozen_assessments
from orchestration.assets.ingestion import ingestion_assets
from orchestration.assets.publishing import publish_asset
from orchestration.assets.reports import annual_progress_report, final_evaluation_report
from orchestration.assets.serving import dbt_docs, marts_exports, serving_hook_assets
from orchestration.assets.timeliness import on_time_checks
from orchestration.assets.transforms import dbt_models, dbt_resource
from orchestration.schedules import check_deliveries_on_time, daily_delivery_check, materialize_all, yearly_after_bulletin
from orchestration.sensors import raw_arrivals

keep_event_log_connections()  # every process that loads the definitions writes events: see orchestration/instance.py

# Everything that writes the warehouse; warehouse/published runs after all of it.
WRITERS = [ingestion_assets(), dbt_models, frozen_assessments]

defs = Definitions(
    assets=[*WRITERS, publish_asset([k for a in WRITERS for k in a.keys]), marts_exports, dbt_docs,
            annual_progress_report, final_evaluation_report, *serving_hook_assets()],
    asset_checks=on_time_checks(),
    jobs=[materialize_all, check_deliveries_on_time],
    schedules=[yearly_after_bulletin, daily_delivery_check],
    sensors=[raw_arrivals],
    resources={"dbt": dbt_resource()},
)
