"""Ingestion assets: one per contract, partitioned by year, grouped by source slug.

Each step reads the deliveries of its years with polars, checks them against the contract and the
great-expectations suite, and only then replaces those years in raw.<source>__<dataset> in one
transaction. Any problem fails the step before anything is written, so the warehouse, and the
marts built from it, stay as they were.
"""


import time
import warnings
from datetime import date
from pathlib import Path

import polars as pl
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
from orchestration.deliveries import (
    Contract,
    DeliveryError,
    Problem,
    load_contracts,
    read_delivery,
    read_provenance,
    sha256_of,
)
from orchestration.validation import SuiteResult, validate
from orchestration.warehouse import VINTAGE, record_rejection, replace_vintages

# The single-run backfill policy is beta in dagster 1.13; it is pinned and tested here.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy` of function `asset`")

years_partitions = StaticPartitionsDefinition(settings.YEARS)
RAW_SCHEMA = "raw"
SUITE_CHECK = "great_expectations_suite"


def ingest(contract: Contract, years: list[str], log) -> tuple[pl.DataFrame, list[str], SuiteResult | None]:
    """Read and validate the deliveries for `years`; raise DeliveryError on any problem.

    A one-year file is read when its year is selected; a multi-year file is read whole and only
    the selected years' rows are kept. Every row gets `_vintage` (its delivery's receipt date):
    a revision (<name>_revN) is kept beside the delivery it revises, not instead of it.
    """
    wanted = {int(y) for y in years}
    frames, problems = [], []
    originals: dict[str, date | None] = {}
    revisions: list[tuple[Path, date | None]] = []
    for path, year in contract.deliveries():
        if year is not None and int(year) not in wanted:
            continue
        display = path.relative_to(settings.RAW_DIR).as_posix()
        log.info(f"{contract.table}: reading {display}")
        try:
            frame = read_delivery(contract, path, year)
        except DeliveryError as exc:
            problems += exc.problems
            continue
        provenance = read_provenance(path, display)[0]
        vintage = provenance.vintage
        revises = provenance.spec.get("revises")
        if revises is not None and revises != contract.original_of(path.name):
            problems.append(Problem(display, f"its provenance says it revises '{revises}' but its name makes it a "
                                             f"revision of '{contract.original_of(path.name)}'"))
            continue
        if vintage is None:
            problems.append(Problem(display, "its provenance gives neither a received nor a published date "
                                             "(YYYY-MM-DD): the delivery's vintage is unknown"))
            continue
        if contract.revision_of(path.name):
            revisions.append((path, vintage))
        else:
            originals[path.name] = vintage
        frames.append(frame.filter(pl.col("year").is_in(wanted)).with_columns(pl.lit(vintage).alias(VINTAGE)))
    for path, vintage in revisions:
        revised = originals.get(contract.original_of(path.name))
        if revised is not None and vintage <= revised:
            problems.append(Problem(path.relative_to(settings.RAW_DIR).as_posix(),
                                    f"a revision received {vintage} is not later than the delivery it revises "
                                    f"({contract.original_of(path.name)}, {revised}): fix `received` in its provenance"))
    if problems:
        raise DeliveryError(problems)
    frame = pl.concat(frames) if frames else pl.DataFrame()
    loaded = set(frame["year"].to_list()) if frame.height else set()
    missing = [y for y in years if int(y) not in loaded]
    if missing:
        log.info(f"{contract.table}: no rows for {', '.join(missing)} "
                 f"(deliveries are files named {contract.file_pattern} in raw/{contract.source}/)")
    suite = None
    if frame.height:
        # The originals together (a key delivered twice is an error), each revision on its own:
        # a revision repeats keys of the delivery it revises by design.
        is_revision = pl.col("_source_file").map_elements(
            lambda f: contract.revision_of(Path(f).name) > 0, return_dtype=pl.Boolean)
        tagged = frame.with_columns(is_revision.alias("_revision"))
        groups = [tagged.filter(~pl.col("_revision"))] + [
            g for _, g in tagged.filter(pl.col("_revision")).group_by("_source_file", maintain_order=True)]
        results = [validate(g.drop("_revision", VINTAGE), contract.suite_path) for g in groups if g.height]
        suite = SuiteResult(
            suite=results[0].suite,
            evaluated=sum(r.evaluated for r in results),
            successful=sum(r.successful for r in results),
            problems=[p for r in results for p in r.problems],
        )
        if not suite.success:
            raise DeliveryError(suite.problems)
    return frame, missing, suite


def rerun_years(contract: Contract, error: DeliveryError, years: list[str]) -> str:
    """The years to rerun once the rejected files are fixed: the years in their names, else the run's."""
    named = {contract.year_of(Path(p.file).name.removesuffix(".provenance.yml")) for p in error.problems}
    if None in named or "" in named:
        named = set(years)
    first, last = min(named), max(named)
    return first if first == last else f"{first}-{last}"


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


__all__ = ["build_ingestion_asset", "ingest", "ingestion_assets", "years_partitions"]
