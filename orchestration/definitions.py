"""The Dagster code location: `dagster dev` and `make run` load this module."""

from dagster import Definitions

from orchestration.assets.ingestion import ingestion_assets
from orchestration.assets.reports import annual_progress_report
from orchestration.assets.transforms import dbt_models, dbt_resource
from orchestration.schedules import materialize_all, yearly_after_bulletin

defs = Definitions(
    assets=[*ingestion_assets(), dbt_models, annual_progress_report],
    jobs=[materialize_all],
    schedules=[yearly_after_bulletin],
    resources={"dbt": dbt_resource()},
)
