"""Run a delivery's great-expectations suite (expectations/<source>/<dataset>.json) on its frame.

great-expectations has no polars data source, so the frame is validated as pandas; failures are
translated back to the delivery's file, sheet, row and column. Suites hold no region codes and no
years: the placeholders "$region_codes" (every code of the region tree), "$region_codes:<level>[,<level>]"
(codes of those levels), "$first_year" and "$last_year" (settings.YEARS) are expanded when the suite
is run, from the region data (orchestration.regions) and the settings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from orchestration import settings
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


@cache
def _context():
    # Imported here: great_expectations takes seconds to import, and only ingestion needs it.
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context


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


def _as_pandas(frame: pl.DataFrame, needed: set[str]):
    """The frame as great-expectations reads it. Integers as int64: its between check is
    vectorised for int64 and float64 only (int32 goes value by value through Python)."""
    import numpy as np
    import pandas as pd

    kept = [c for c in frame.columns if c in needed]
    pdf = frame.select(kept).with_columns(pl.col(pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32)
                                          .cast(pl.Int64)).to_pandas()
    for column in frame.columns:
        if column not in needed:  # only the name is looked at: an all-null column that costs nothing
            pdf[column] = pd.Categorical.from_codes(np.full(frame.height, -1, np.int8), categories=[])
    return pdf[frame.columns]


@cache
def _source():
    """One pandas data source for every suite (add_or_update would drop the assets made before)."""
    return _context().data_sources.add_pandas("deliveries")


# suite name -> (its expanded spec as JSON, validation definition): rebuilt when the file changes.
_DEFINITIONS: dict[str, tuple[str, object]] = {}


def _definition(spec: dict):
    """The suite's validation definition, made once per process and suite text: adding a suite
    and its definition to the context costs more than validating a small delivery."""
    import great_expectations as gx

    context, name = _context(), spec["name"]
    text = json.dumps(spec, sort_keys=True, default=str)
    cached = _DEFINITIONS.get(name)
    if cached is not None and cached[0] == text:
        return cached[1]
    if cached is not None:  # the suite file changed (or its placeholders expand differently now)
        context.validation_definitions.delete(name)
    if name in [s.name for s in context.suites.all()]:
        context.suites.delete(name)
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=spec["expectations"]))
    source = _source()
    asset = source.add_dataframe_asset(name) if name not in source.get_asset_names() else source.get_asset(name)
    batch_def = (
        asset.add_batch_definition_whole_dataframe("whole")
        if "whole" not in [b.name for b in asset.batch_definitions]
        else asset.get_batch_definition("whole")
    )
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_def, suite=suite))
    _DEFINITIONS[name] = (text, definition)
    return definition


def validate(frame: pl.DataFrame, suite_path: Path) -> SuiteResult:
    """Validate `frame` against the suite; every failed expectation becomes located problems."""
    spec = load_suite(suite_path)
    spec = {**spec, "expectations": [_tracked_years(e) for e in spec["expectations"]]}
    name = spec["name"]
    pdf = _as_pandas(frame, _needed_columns(spec["expectations"], frame.columns))
    # A validation definition fetches the batch once (batch.validate fetches it twice, and
    # great-expectations hashes the whole frame on each fetch).
    result = _definition(spec).run(batch_parameters={"dataframe": pdf}, result_format={"result_format": "COMPLETE"})

    problems: list[Problem] = []
    for r in result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        column = cfg.kwargs.get("column") or ", ".join(
            cfg.kwargs.get("column_list") or [cfg.kwargs.get("column_A", ""), cfg.kwargs.get("column_B", "")]
        ).strip(", ")
        expected = f"{cfg.type}({_describe(cfg.kwargs)})"
        indexes = (r.result or {}).get("unexpected_index_list") or []
        if not indexes:
            observed = (r.result or {}).get("observed_value")
            problems.append(Problem(_files(frame), f"fails {expected}; observed {observed}", None, None, column or None))
            continue
        for i in indexes[:20]:
            row = frame.row(int(i), named=True)
            value = row.get(cfg.kwargs.get("column")) if cfg.kwargs.get("column") else None
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
        evaluated=result.statistics["evaluated_expectations"],
        successful=result.statistics["successful_expectations"],
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
