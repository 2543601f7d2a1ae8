"""Run a delivery's great-expectations suite (expectations/<source>/<dataset>.json) on its frame.

great-expectations has no polars data source, so the frame is validated as pandas; failures are
translated back to the delivery's file, sheet, row and column. Suites hold no region codes and no
years: the placeholders "$region_codes" (every code of the region tree), "$region_codes:<level>[,<level>]"
(codes of those levels), "$first_year" and "$last_year" (settings.YEARS) are expanded when the suite
is run, from the region data (orchestration.regions) and the settings.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
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


# The context, its data source and one whole-dataframe batch definition are made once per process,
# by the first caller (preload()'s thread or validate()); the others wait on the lock.
_SETUP = threading.RLock()
_MADE: dict[str, object] = {}
_PRELOAD = "great-expectations-preload"


def _context():
    with _SETUP:
        if "context" not in _MADE:
            # Imported here: great_expectations takes seconds to import, and only ingestion needs it.
            import great_expectations as gx

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = {"globally": False}
            _MADE["context"] = context
        return _MADE["context"]


def _source():
    """One pandas data source for every suite (add_or_update would drop the assets made before)."""
    with _SETUP:
        if "source" not in _MADE:
            _MADE["source"] = _context().data_sources.add_pandas("deliveries")
        return _MADE["source"]


def _batch_definition():
    """The one batch definition (a whole dataframe) every small frame is validated through."""
    with _SETUP:
        if "batch" not in _MADE:
            _MADE["batch"] = _source().add_dataframe_asset("frames").add_batch_definition_whole_dataframe("whole")
        return _MADE["batch"]


def preload() -> None:
    """Start importing great-expectations (2-3 s) in a background thread, so that the import
    overlaps the reading of the deliveries; validate() waits for it. Called when ingestion starts."""
    if "batch" in _MADE or any(t.name == _PRELOAD for t in threading.enumerate()):
        return
    threading.Thread(target=_preload, name=_PRELOAD, daemon=True).start()


def _preload() -> None:
    try:
        _batch_definition()
    except Exception:  # noqa: BLE001 - validate() makes it again in the caller's thread and raises there
        pass


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


def validates_subsets(suite_path: Path) -> bool:
    """Whether every subset of the rows of a frame that passes the suite passes it too: true of
    the types in _KNOWN_TYPES (each row on its own, or uniqueness) without `mostly` below 1."""
    return all(e.get("type") in _KNOWN_TYPES and "row_condition" not in e.get("kwargs", {})
               and e.get("kwargs", {}).get("mostly", 1) == 1 for e in load_suite(suite_path)["expectations"])


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


# Frames of at least this many rows go through a validation definition, smaller ones through
# batch.validate: great-expectations hashes the whole frame each time it fetches a batch, and
# batch.validate fetches it twice (about 0.5 s more at a million rows), while a definition costs
# a suite and a definition in the context's stores and a stored result each run (about 0.04 s).
_ONE_FETCH_ROWS = 100_000

# suite name -> (its expanded spec as JSON, suite or validation definition): made once per
# process and suite text, made again when the file changes (or its placeholders expand differently).
_SUITES: dict[str, tuple[str, object]] = {}
_DEFINITIONS: dict[str, tuple[str, object]] = {}


def _suite(spec: dict, text: str):
    """The suite as an object of its own, not added to the context (batch.validate needs none)."""
    import great_expectations as gx

    cached = _SUITES.get(spec["name"])
    if cached is None or cached[0] != text:
        cached = (text, gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"]))
        _SUITES[spec["name"]] = cached
    return cached[1]


def _definition(spec: dict, text: str):
    """The suite's validation definition over an asset of its own, added to the context."""
    import great_expectations as gx

    context, name = _context(), spec["name"]
    cached = _DEFINITIONS.get(name)
    if cached is not None and cached[0] == text:
        return cached[1]
    if cached is not None:
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


def _run(spec: dict, pdf, result_format: str):
    text = json.dumps(spec, sort_keys=True, default=str)
    parameters, result_format = {"dataframe": pdf}, {"result_format": result_format}
    if len(pdf) >= _ONE_FETCH_ROWS:
        return _definition(spec, text).run(batch_parameters=parameters, result_format=result_format)
    return _batch_definition().get_batch(batch_parameters=parameters).validate(
        _suite(spec, text), result_format=result_format)


def validate(frame: pl.DataFrame, suite_path: Path) -> SuiteResult:
    """Validate `frame` against the suite; every failed expectation becomes located problems."""
    spec = load_suite(suite_path)
    spec = {**spec, "expectations": [_tracked_years(e) for e in spec["expectations"]]}
    name = spec["name"]
    pdf = _as_pandas(frame, _needed_columns(spec["expectations"], frame.columns))
    # BOOLEAN_ONLY computes no lists of unexpected values and indexes (about half of a suite's
    # time); a failing frame is validated again in COMPLETE format to locate every failing row.
    result = _run(spec, pdf, "BOOLEAN_ONLY")
    if not result.success:
        result = _run(spec, pdf, "COMPLETE")

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
