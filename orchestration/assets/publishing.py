"""The publish step: audit the run, then swap its working file in as the published warehouse."""

from collections.abc import Sequence

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, Failure, MaterializeResult, MetadataValue, asset

from orchestration.publishing.publish import PublishRefused, audit, publish
from orchestration.publishing.working import PUBLISHED_KEY, begin


def publish_asset(upstream: Sequence[AssetKey]) -> AssetsDefinition:
    """warehouse/published, after every asset that writes the warehouse (`upstream`)."""

    @asset(key=AssetKey(list(PUBLISHED_KEY)), group_name="serving", deps=list(upstream), pool="duckdb",
           kinds={"duckdb"},
           description="Publishes the run: when every blocking check of the run passed (contracts, "
                       "expectation suites, dbt tests of severity error), the run's working database replaces "
                       "the published warehouse in one rename (storage version v1.5.0, marts sorted).")
    def published(context: AssetExecutionContext) -> MaterializeResult:
        problems = audit(context.instance, context.run_id)
        working = begin(context.run_id)  # a run that changed nothing still publishes the same data
        if problems:
            raise Failure(description=f"not published: {'; '.join(problems)}")
        try:
            done = publish(working)
        except PublishRefused as exc:
            raise Failure(description=f"not published: {exc}") from exc
        context.log.info(f"published {done['published']} ({done['bytes']} bytes, storage {done['storage_version']})")
        return MaterializeResult(metadata={"path": MetadataValue.path(done["published"]), "bytes": done["bytes"],
                                           "storage_version": done["storage_version"], "marts": done["marts"]})

    return published
