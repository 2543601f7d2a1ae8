"""The yearly run: once the city's statistical bulletin for year Y is out (it appears in March or
April), materialise everything for year Y."""


from dagster import RunRequest, ScheduleEvaluationContext, SkipReason, define_asset_job, schedule, AssetSelection, in_process_executor
from dagster import AssetCheckKey, AssetKey, ScheduleDefinition

from orchestration import settings
from orchestration.assets.ingestion import years_config
from orchestration.assets.timeliness import ON_TIME_CHECK
from orchestration.deliveries import load_contracts

# Every asset; the deliveries of the chosen year(s) (run config), the dbt models over all years. The
# in-process executor runs the steps one after another in one process: one writer of the
# warehouse within a run (and the fastest here); the "duckdb" pool serialises runs.
materialize_all = define_asset_job(
    "materialize_all",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Ingest the deliveries of the selected years, then build and test every dbt model.",
)


@schedule(
    job=materialize_all,
    cron_schedule="0 6 30 4 *",  # 30 April, 06:00 Beijing time: after the bulletin's usual release
    execution_timezone="Asia/Shanghai",
    description="Yearly: materialise the latest complete year once the statistical bulletin is out.",
)
def yearly_after_bulletin(context: ScheduleEvaluationContext):
    year = str(context.scheduled_execution_time.year - 1)
    if year not in settings.YEARS:
        return SkipReason(f"{year} is outside the tracked years {settings.YEARS[0]}-{settings.YEARS[-1]}")
    return RunRequest(run_key=f"bulletin-{year}", run_config=years_config(year), tags={"bayannur/years": year})


# Late data: the delivery_on_time checks alone (they read the warehouse, load nothing), daily, so
# that a delivery falling overdue shows in the UI even when nothing arrives to trigger a run.
check_deliveries_on_time = define_asset_job(
    "check_deliveries_on_time",
    selection=AssetSelection.checks(*[AssetCheckKey(AssetKey(["raw", c.table]), ON_TIME_CHECK) for c in load_contracts()]),
    executor_def=in_process_executor,
    description="Evaluate every delivery_on_time check: which sources' deliveries are overdue.",
)
daily_delivery_check = ScheduleDefinition(
    name="daily_delivery_check",
    job=check_deliveries_on_time,
    cron_schedule="0 7 * * *",
    execution_timezone="Asia/Shanghai",
    description="Daily at 07:00 Beijing time: flag deliveries that are overdue by their release calendar.",
)
