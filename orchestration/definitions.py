"""The Dagster code location: `dagster dev` and `make run` load this module."""

from dagster import Definitions

from orchestration.assets.assessments import frozen_assessments
from orchestration.assets.ingestion import ingestion_assets
from orchestration.assets.serving import dbt_docs, marts_exports
from orchestration.assets.transforms import dbt_models, dbt_resource
from orchestration.schedules import materialize_all, yearly_after_bulletin

defs = Definitions(
    assets=[*ingestion_assets(), dbt_models, frozen_assessments, marts_exports, dbt_docs],
    jobs=[materialize_all],
    schedules=[yearly_after_bulletin],
    resources={"dbt": dbt_resource()},
)
