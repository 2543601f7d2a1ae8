"""Ingestion: one asset per contract (raw/<source>__<dataset>, grouped by source slug), all
materialised by one step, `ingest_deliveries`, which loads whichever of them a run selects.

For each selected asset the step reads the deliveries of the run's years with polars, checks them
against the contract and the great-expectations suite, and only then replaces those years in
raw_vintages.<source>__<dataset> in one transaction. A rejected delivery writes nothing of its
table; the step goes on with the other tables, then fails, so nothing of the run is published.
The step starts a worker process that imports great-expectations (2-3 s) while the step reads,
then runs the suites (validation.preload, orchestration/suite_engine.py); with it, each table is
checked in a thread while the next is read. Tables are written in order once every one is read.

The years are run config (`years`: "2024" or "2021-2024", default every tracked year), not
partitions: a year partition of 30 assets carried no meaning of its own (a run loads a range of
years in one transaction) and cost about 900 event-log writes per run (issue 15).
"""


import time
from concurrent.futures import ThreadPoolExecutor

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)
from pydantic import Field

from orchestration import settings
from orchestration.deliveries import Contract, DeliveryError, load_contracts, sha256_of
from orchestration.deliveries.loading import Checked, Reading, check, check_aside, ingest, read, rerun_years
from orchestration import validation
from orchestration.warehouse import VINTAGE, connect, record_rejection, replace_vintages

RAW_SCHEMA = "raw"
SUITE_CHECK = "great_expectations_suite"
INGEST_STEP = "ingest_deliveries"


class IngestionConfig(Config):
    years: str | None = Field(default=None, description="YEAR or FIRST-LAST; default every tracked year")


def year_bounds(text: str | None) -> tuple[str, str]:
    """ "2024" or "2021-2024" (None: every tracked year) -> (first, last), as written."""
    if not text:
        return settings.YEARS[0], settings.YEARS[-1]
    first, _, last = text.strip().partition("-")
    return first.strip(), (last or first).strip()


def parse_years(text: str | None) -> list[str]:
    """ "2024" or "2021-2024" (None: every tracked year) -> the tracked years in that range."""
    first, last = year_bounds(text)
    return [y for y in settings.YEARS if first <= y <= last]


def years_config(years: str | None) -> dict:
    """Run config that loads `years` ("2024" or "2021-2024"; None: every tracked year)."""
    return {"ops": {INGEST_STEP: {"config": {"years": years}}}} if years else {}


def raw_key(contract: Contract) -> AssetKey:
    return AssetKey([RAW_SCHEMA, contract.table])


def record_rejections(run_id: str, contract: Contract, error: DeliveryError) -> None:
    """One audit row per rejected file, with every problem found in it."""
    by_file: dict[str, list[str]] = {}
    for problem in error.problems:
        by_file.setdefault(problem.file, []).append(str(problem))
    for file, problems in by_file.items():
        path = settings.RAW_DIR / file
        digest = sha256_of(path) if path.is_file() else None
        record_rejection(run_id, contract.source, contract.dataset, file, digest, problems)


def spec_of(contract: Contract) -> AssetSpec:
    return AssetSpec(
        raw_key(contract),
        group_name=contract.source,
        kinds={"polars", "duckdb"},
        description=f"{contract.title_zh} {contract.title_en} ({contract.department_zh}); "
                    f"contract orchestration/contracts/{contract.source}/{contract.dataset}.yml",
        metadata={
            "contract": MetadataValue.path(f"orchestration/contracts/{contract.source}/{contract.dataset}.yml"),
            "expectation_suite": MetadataValue.path(f"expectations/{contract.source}/{contract.dataset}.json"),
            "dagster/table_name": f"{RAW_SCHEMA}.{contract.table}",
        },
    )


def suite_check_spec(contract: Contract) -> AssetCheckSpec:
    return AssetCheckSpec(
        SUITE_CHECK, asset=raw_key(contract), blocking=True,
        description=f"great-expectations suite expectations/{contract.source}/{contract.dataset}.json, "
                    "run on the parsed delivery before it is loaded")


def load_one(context: AssetExecutionContext, reading: Reading, read_s: float, checked: Checked | None = None,
             con=None):
    """Check (unless `checked` aside already) and write one table read (in `read_s` seconds), through
    `con` if given -> (MaterializeResult, AssetCheckResult); raises DeliveryError."""
    started = time.perf_counter() - read_s
    contract, years = reading.contract, reading.years
    frame, missing, suite = checked.replay(context.log) if checked is not None else check(reading, context.log)
    written = replace_vintages(contract.table, contract.warehouse_columns(), contract.key, frame,
                               [int(y) for y in years], con)
    per_year = frame.group_by("year").len().sort("year").rows() if frame.height else []
    key = raw_key(contract)
    materialised = MaterializeResult(asset_key=key, metadata={
        "rows_loaded": written,
        "years": f"{years[0]}-{years[-1]}" if years else "",
        "rows_by_year": MetadataValue.json({str(y): n for y, n in per_year}),
        "years_without_delivery": MetadataValue.json(missing),
        "files": MetadataValue.json(sorted(set(frame["_source_file"].to_list())) if frame.height else []),
        "vintages_by_file": MetadataValue.json(
            {f: str(v) for f, v in frame.select("_source_file", VINTAGE).unique().sort("_source_file").rows()}
            if frame.height else {}),
        "duration_s": round(time.perf_counter() - started, 2),
    })
    checked = AssetCheckResult(asset_key=key, check_name=SUITE_CHECK, passed=True, metadata={
        "suite": suite.suite if suite else "(no rows to validate)",
        "expectations_evaluated": suite.evaluated if suite else 0,
        "expectations_met": suite.successful if suite else 0,
    })
    return materialised, checked


def rejection(contract: Contract, error: DeliveryError, years: list[str]) -> dict:
    """What `bayannur run` prints as the one line to act on, per rejected table."""
    return {"asset": raw_key(contract).to_user_string(), "problems": len(error.problems),
            "first_problem": str(error.problems[0]), "files": sorted({p.file for p in error.problems}),
            "rerun_years": rerun_years(contract, error, years)}


def ingestion_assets(contracts: list[Contract] | None = None) -> AssetsDefinition:
    """Every contract's raw table as one subsettable multi-asset (one step per run)."""
    contracts = contracts if contracts is not None else load_contracts()
    by_key = {raw_key(c): c for c in contracts}

    @multi_asset(
        name=INGEST_STEP,
        specs=[spec_of(c) for c in contracts],
        check_specs=[suite_check_spec(c) for c in contracts],
        can_subset=True,
        pool="duckdb",
        description="Reads, checks and loads the selected deliveries (years from run config).",
    )
    def ingest_deliveries(context: AssetExecutionContext, config: IngestionConfig):
        years = parse_years(config.years)
        rejected: list[tuple[Contract, DeliveryError]] = []
        # Every selected table is read first, while the suites' worker imports great-expectations.
        pipelined = validation.preload([path for key in context.selected_asset_keys
                                        for path, _ in by_key[key].deliveries()])
        if pipelined:
            context.log.info("great-expectations runs the suites in a worker process, started beside the reading")
        try:
            # With the worker, each table is checked in a thread (mostly waiting for the worker's
            # suites) while this one reads the next; written in this thread, in order, after.
            with ThreadPoolExecutor(1) as aside:
                readings = []
                for key in sorted(context.selected_asset_keys, key=lambda k: k.to_user_string()):
                    started = time.perf_counter()
                    reading = read(by_key[key], years, context.log, contracts=contracts)
                    readings.append((reading, time.perf_counter() - started,
                                     aside.submit(check_aside, reading) if pipelined else None))
                with connect() as con:  # one connection for every table written
                    for reading, read_s, checking in readings:
                        try:
                            yield from load_one(context, reading, read_s, checking.result() if checking else None, con)
                        except DeliveryError as exc:
                            record_rejections(context.run.run_id, reading.contract, exc)
                            rejected.append((reading.contract, exc))
        finally:
            validation.stop()  # its memory is not kept for the rest of the run
        if not rejected:
            return
        # The failed suites are reported after every table was tried: one run names every rejection.
        for contract, exc in rejected:
            yield AssetCheckResult(
                asset_key=raw_key(contract), check_name=SUITE_CHECK, passed=False, severity=AssetCheckSeverity.ERROR,
                metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in exc.problems[:50]))})
        raise Failure(
            description="; ".join(f"{c.table}: delivery rejected: {e}" for c, e in rejected)
                        + " (logged in audit.rejected_deliveries; loaded data unchanged)",
            metadata={"rejected": MetadataValue.json([rejection(c, e, years) for c, e in rejected])},
        )

    return ingest_deliveries


__all__ = ["IngestionConfig", "INGEST_STEP", "SUITE_CHECK", "ingest", "ingestion_assets", "parse_years",
           "raw_key", "rerun_years", "years_config"]
