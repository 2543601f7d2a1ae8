"""Ingestion assets: one per contract, partitioned by year, grouped by source slug.

Each step reads the deliveries of its years with polars, checks them against the contract and the
great-expectations suite, and only then replaces those years in raw.<source>__<dataset> in one
transaction. Any problem fails the step before anything is written, so the warehouse, and the
marts built from it, stay as they were.
"""


import time
import warnings

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    MetadataValue,
    StaticPartitionsDefinition,
    asset,
)

from orchestration import settings
from orchestration.deliveries import Contract, DeliveryError, load_contracts, sha256_of
from orchestration.deliveries.loading import ingest, rerun_years
from orchestration.warehouse import VINTAGE, record_rejection, replace_vintages

# The single-run backfill policy is beta in dagster 1.13; it is pinned and tested here.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy` of function `asset`")

years_partitions = StaticPartitionsDefinition(settings.YEARS)
RAW_SCHEMA = "raw"
SUITE_CHECK = "great_expectations_suite"


def record_rejections(run_id: str, contract: Contract, error: DeliveryError) -> None:
    """One audit row per rejected file, with every problem found in it."""
    by_file: dict[str, list[str]] = {}
    for problem in error.problems:
        by_file.setdefault(problem.file, []).append(str(problem))
    for file, problems in by_file.items():
        path = settings.RAW_DIR / file
        digest = sha256_of(path) if path.is_file() else None
        record_rejection(run_id, contract.source, contract.dataset, file, digest, problems)


def build_ingestion_asset(contract: Contract) -> AssetsDefinition:
    key = AssetKey([RAW_SCHEMA, contract.table])

    @asset(
        key=key,
        group_name=contract.source,
        partitions_def=years_partitions,
        # One step loads every selected year: a backfill of every year is one run, one transaction.
        backfill_policy=BackfillPolicy.single_run(),
        pool="duckdb",
        kinds={"polars", "duckdb"},
        description=f"{contract.title_zh} {contract.title_en} ({contract.department_zh}); "
                    f"contract orchestration/contracts/{contract.source}/{contract.dataset}.yml",
        metadata={
            "contract": MetadataValue.path(f"orchestration/contracts/{contract.source}/{contract.dataset}.yml"),
            "expectation_suite": MetadataValue.path(f"expectations/{contract.source}/{contract.dataset}.json"),
            "dagster/table_name": f"{RAW_SCHEMA}.{contract.table}",
        },
        check_specs=[
            AssetCheckSpec(
                SUITE_CHECK,
                asset=key,
                blocking=True,
                description=f"great-expectations suite expectations/{contract.source}/{contract.dataset}.json, "
                            "run on the parsed delivery before it is loaded",
            )
        ],
    )
    def _ingest(context: AssetExecutionContext):
        started = time.perf_counter()
        years = list(context.partition_keys)
        try:
            frame, missing, suite = ingest(contract, years, context.log)
        except DeliveryError as exc:
            record_rejections(context.run.run_id, contract, exc)
            yield AssetCheckResult(
                check_name=SUITE_CHECK,
                passed=False,
                severity=AssetCheckSeverity.ERROR,
                metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in exc.problems[:50]))},
            )
            raise Failure(
                description=f"{contract.table}: delivery rejected (logged in audit.rejected_deliveries); "
                            f"loaded data unchanged. {exc}",
                # What `bayannur run` prints as the one line to act on.
                metadata={
                    "asset": key.to_user_string(),
                    "problems": len(exc.problems),
                    "first_problem": str(exc.problems[0]),
                    "files": MetadataValue.json(sorted({p.file for p in exc.problems})),
                    "rerun_years": rerun_years(contract, exc, years),
                },
            ) from exc
        written = replace_vintages(
            contract.table, contract.warehouse_columns(), contract.key, frame, [int(y) for y in years]
        )
        per_year = (
            frame.group_by("year").len().sort("year").rows() if frame.height else []
        )
        yield MaterializeResult(
            metadata={
                "rows_loaded": written,
                "rows_by_year": MetadataValue.json({str(y): n for y, n in per_year}),
                "years_without_delivery": MetadataValue.json(missing),
                "files": MetadataValue.json(sorted(set(frame["_source_file"].to_list())) if frame.height else []),
                "vintages_by_file": MetadataValue.json(
                    {f: str(v) for f, v in frame.select("_source_file", VINTAGE).unique().sort("_source_file").rows()}
                    if frame.height else {}),
                "duration_s": round(time.perf_counter() - started, 2),
            },
            check_results=[
                AssetCheckResult(
                    check_name=SUITE_CHECK,
                    passed=True,
                    metadata={
                        "suite": suite.suite if suite else "(no rows to validate)",
                        "expectations_evaluated": suite.evaluated if suite else 0,
                        "expectations_met": suite.successful if suite else 0,
                    },
                )
            ],
        )

    return _ingest


def ingestion_assets() -> list[AssetsDefinition]:
    return [build_ingestion_asset(c) for c in load_contracts()]


__all__ = ["build_ingestion_asset", "ingest", "ingestion_assets", "rerun_years", "years_partitions"]
