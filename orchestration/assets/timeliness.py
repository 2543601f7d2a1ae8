"""Late data: a non-blocking asset check on each ingestion asset that warns when a year's delivery
is overdue by its source's release calendar (orchestration/contracts/releases.yml).

The checks of every table are one subsettable multi-check: one step (and one read of the
warehouse) per run instead of one per table.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from orchestration.deliveries import load_contracts
from orchestration.releases import describe, load_releases, loaded_years, today

ON_TIME_CHECK = "delivery_on_time"
ON_TIME_STEP = "deliveries_on_time"


def on_time_checks() -> list[AssetChecksDefinition]:
    contracts = load_contracts()
    releases = load_releases(contracts)
    tables = {AssetKey(["raw", c.table]): c.table for c in contracts}
    specs = [
        AssetCheckSpec(
            ON_TIME_CHECK, asset=key, blocking=False,
            description=f"Warns when a year's delivery is overdue: due by {releases[t].due} of the following "
                        f"year, from {releases[t].first_year} on ({releases[t].rule}).")
        for key, t in tables.items()
    ]

    @multi_asset_check(name=ON_TIME_STEP, specs=specs, can_subset=True, pool="duckdb",  # reads the warehouse
                       description="Whether each raw table's deliveries are in by their release calendar.")
    def deliveries_on_time(context: AssetCheckExecutionContext):
        on = today()
        selected = sorted(context.selected_asset_check_keys, key=lambda k: k.asset_key.to_user_string())
        loaded = loaded_years([tables[k.asset_key] for k in selected])
        for check_key in selected:
            table = tables[check_key.asset_key]
            release = releases[table]
            late = release.overdue(loaded[table], on)
            yield AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=ON_TIME_CHECK,
                passed=not late,
                severity=AssetCheckSeverity.WARN,
                description=f"overdue: {describe(release, late, on)}" if late else f"every delivery due by {on} is loaded",
                metadata={
                    "overdue_years": MetadataValue.json(late),
                    "evaluated_on": str(on),
                    "due": f"{release.due} of the following year",
                    "first_year": release.first_year,
                    "rule": release.rule,
                },
            )

    return [deliveries_on_time]
