"""Run a delivery's great-expectations suite (expectations/<source>/<dataset>.json) on its frame.

great-expectations has no polars data source, so the frame is validated as pandas; failures are
translated back to the delivery's file, sheet, row and column. Suites hold no region codes and no
years: the placeholders "$region_codes" (every code of the region tree), "$region_codes:<level>[,<level>]"
(codes of those levels), "$first_year" and "$last_year" (settings.YEARS) and "$first_plan_year" (the
first year of the earliest plan's period, transforms/seeds/catalog/plans.csv) are expanded when the suite
is run, from the region data (orchestration.regions) and the settings. great-expectations itself
runs in orchestration/suite_engine.py (in a worker process during an ingestion step).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration import settings, suite_engine
from orchestration.deliveries import Problem
from orchestration.regions import load_region_tree


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    evaluated: int
    successful: int
    problems: list[Problem]

    @property
    def success(self) -> bool:
        return not self.problems


def _describe(kwargs: dict) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in ("batch_id", "column", "result_format")}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def _expand(value):
    """A suite value with its placeholders replaced (recursively through lists and dicts)."""
    if isinstance(value, dict):
        return {k: _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    if value == "$first_year":
        return int(settings.YEARS[0])
    if value == "$last_year":
        return int(settings.YEARS[-1])
    if value == "$first_plan_year":  # the first year of the earliest plan's period (flows counted from it)
        return min(p.first_year for p in settings.PLANS)
    if isinstance(value, str) and value.split(":")[0] == "$region_codes":
        levels = value.partition(":")[2]
        return load_region_tree().codes(*(levels.split(",") if levels else ()))
    return value


def load_suite(suite_path: Path) -> dict:
    """The suite file with its placeholders expanded from the region data and the settings."""
    return _expand(json.loads(suite_path.read_text(encoding="utf-8")))


# Expectation types whose columns are all named in kwargs column / column_list / column_A /
# column_B (or, for the table's column set, only their names matter): for a suite of only these,
# the other columns reach great-expectations as empty placeholders, not copied and hashed.
_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")
_KNOWN_TYPES = {
    "expect_column_pair_values_a_to_be_greater_than_b", "expect_column_pair_values_to_be_in_set",
    "expect_column_values_to_be_between", "expect_column_values_to_be_in_set", "expect_column_values_to_be_unique",
    "expect_column_values_to_match_regex", "expect_column_values_to_not_be_null", "expect_compound_columns_to_be_unique",
    "expect_table_columns_to_match_set",
}


def _needed_columns(expectations: list[dict], columns: list[str]) -> set[str]:
    if any(e.get("type") not in _KNOWN_TYPES or "row_condition" in e.get("kwargs", {}) for e in expectations):
        return set(columns)
    needed: set[str] = set()
    for e in expectations:
        for key in _COLUMN_KWARGS:
            value = e.get("kwargs", {}).get(key)
            needed |= set(value) if isinstance(value, list) else {value} if value else set()
    return needed


def validates_subsets(suite_path: Path) -> bool:
    """Whether every subset of the rows of a frame that passes the suite passes it too: true of
    the types in _KNOWN_TYPES (each row on its own, or uniqueness) without `mostly` below 1."""
    return all(e.get("type") in _KNOWN_TYPES and "row_condition" not in e.get("kwargs", {})
               and e.get("kwargs", {}).get("mostly", 1) == 1 for e in load_suite(suite_path)["expectations"])


def _as_pandas(frame: pl.DataFrame, needed: set[str]):
    """The frame as great-expectations reads it (suite_engine.to_pandas)."""
    return suite_engine.to_pandas(frame.select([c for c in frame.columns if c in needed]), frame.columns, frame.height)


def preload(paths: list[Path]) -> bool:
    """Start great-expectations in a worker process (suite_engine) when an ingestion step starts,
    if there is anything to read (`paths`) and it is not imported in this process already: its
    import (2-3 s; the worker's 1-1.6 s) then overlaps the reading, and it stays out of the run's
    process, where dbt's set-up later walks every module (inspect.getmodule) and so ran the import
    of great-expectations' lazy scipy.stats (about 1 s). A run of one small delivery took 9.5 s
    with its suites in the process and 8.3 s with the worker (Dagster's run, 3 runs each). stop()
    when the step ends. -> whether a worker runs the suites."""
    if any(p.is_file() for p in paths):
        suite_engine.start_worker()
    return suite_engine.has_worker()


def stop() -> None:
    suite_engine.stop_worker()


def validate(frame: pl.DataFrame, suite_path: Path) -> SuiteResult:
    """Validate `frame` against the suite; every failed expectation becomes located problems."""
    spec = load_suite(suite_path)
    spec = {**spec, "expectations": [_tracked_years(e) for e in spec["expectations"]]}
    name = spec["name"]
    needed = _needed_columns(spec["expectations"], frame.columns)
    outcome = suite_engine.run(spec, frame.select([c for c in frame.columns if c in needed]), frame.columns,
                               frame.height)

    problems: list[Problem] = []
    for failure in outcome.failures:
        kwargs = failure.kwargs
        column = kwargs.get("column") or ", ".join(
            kwargs.get("column_list") or [kwargs.get("column_A", ""), kwargs.get("column_B", "")]
        ).strip(", ")
        expected = f"{failure.type}({_describe(kwargs)})"
        if not failure.indexes:
            problems.append(Problem(_files(frame), f"fails {expected}; observed {failure.observed}", None, None,
                                    column or None))
            continue
        for i in failure.indexes:
            row = frame.row(i, named=True)
            value = row.get(kwargs.get("column")) if kwargs.get("column") else None
            problems.append(
                Problem(
                    row["_source_file"],
                    f"value {value!r} fails {expected}" if value is not None else f"fails {expected}",
                    row["_source_sheet"],
                    row["_source_row"],
                    column,
                )
            )
    return SuiteResult(
        suite=name,
        evaluated=outcome.evaluated,
        successful=outcome.successful,
        problems=problems,
    )


def _tracked_years(expectation: dict) -> dict:
    """A suite's range on `year` ends at the last tracked year (settings.YEARS, derived from the
    plans), not at the number written in the suite: deliveries for a new plan's years must load."""
    kwargs = expectation.get("kwargs", {})
    if expectation.get("type") != "expect_column_values_to_be_between" or kwargs.get("column") != "year":
        return expectation
    if kwargs.get("max_value") is None:
        return expectation
    return {**expectation, "kwargs": {**kwargs, "max_value": int(settings.YEARS[-1])}}


def _files(frame: pl.DataFrame) -> str:
    if "_source_file" in frame.columns and frame.height:
        return ", ".join(sorted(frame["_source_file"].drop_nulls().unique().to_list()))
    return "(delivery)"
