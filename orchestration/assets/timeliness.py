"""Late data: a non-blocking asset check on each ingestion asset that warns when a year's delivery
is overdue by its source's release calendar (orchestration/contracts/releases.yml)."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    asset_check,
)

from orchestration.deliveries import Contract, load_contracts
from orchestration.releases import Release, describe, load_releases, loaded_years, today

ON_TIME_CHECK = "delivery_on_time"


def build_on_time_check(contract: Contract, release: Release) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey(["raw", contract.table]),
        name=ON_TIME_CHECK,
        blocking=False,
        pool="duckdb",  # reads the warehouse: never beside a writer
        description=f"Warns when a year's delivery is overdue: due by {release.due} of the following "
                    f"year, from {release.first_year} on ({release.rule}).",
    )
    def _check() -> AssetCheckResult:
        on = today()
        late = release.overdue(loaded_years([contract.table])[contract.table], on)
        return AssetCheckResult(
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

    return _check


def on_time_checks() -> list[AssetChecksDefinition]:
    contracts = load_contracts()
    releases = load_releases(contracts)
    return [build_on_time_check(c, releases[c.table]) for c in contracts]
