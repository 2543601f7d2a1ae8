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


def validate(frame: pl.DataFrame, suite_path: Path) -> SuiteResult:
    """Validate `frame` against the suite; every failed expectation becomes located problems."""
    import great_expectations as gx

    spec = load_suite(suite_path)
    context = _context()
    name = spec["name"]
    # A fresh suite object each call: the file is the source of truth, the context is a cache.
    if name in [s.name for s in context.suites.all()]:
        context.suites.delete(name)
    expectations = [_tracked_years(e) for e in spec["expectations"]]
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    source = context.data_sources.add_or_update_pandas("deliveries")
    asset = source.add_dataframe_asset(name) if name not in source.get_asset_names() else source.get_asset(name)
    batch_def = (
        asset.add_batch_definition_whole_dataframe("whole")
        if "whole" not in [b.name for b in asset.batch_definitions]
        else asset.get_batch_definition("whole")
    )
    pdf = frame.to_pandas()
    result = batch_def.get_batch(batch_parameters={"dataframe": pdf}).validate(
        suite, result_format={"result_format": "COMPLETE"}
    )

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
        return ", ".join(sorted(set(frame["_source_file"].to_list())))
    return "(delivery)"
