"""Everything the benchmarks and the generator need from the project, in one place: the
contract reader (orchestration.deliveries), the region tree (orchestration.regions, with
BAYANNUR_REGIONS_DIR) and the settings, looked up by public name so that a move inside the
project changes this module only.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import polars as pl

REGION_COLUMNS = ["region_code", "name_zh", "name_en", "level", "parent_code"]


def _find(name: str, modules: tuple[str, ...]):
    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise ImportError(f"no {name} in any of {', '.join(modules)}")


# Where the contract reader's public functions may live, the package layout first.
_DELIVERY_MODULES = (
    "orchestration.deliveries",
    "orchestration.deliveries.contracts",
    "orchestration.deliveries.reader",
    "orchestration.deliveries.parsing",
    "orchestration.deliveries.provenance",
)


def load_contracts(contracts_dir: Path | None = None) -> list:
    return _find("load_contracts", _DELIVERY_MODULES)(contracts_dir)


def read_delivery(contract, path: Path, year: str | None, raw_dir: Path):
    """The delivery parsed to its contract's canonical frame (raises the project's DeliveryError)."""
    return _find("read_delivery", _DELIVERY_MODULES)(contract, path, year, raw_dir=raw_dir)


def vintage_of(path: Path, raw_dir: Path):
    """The delivery's vintage date (received, else published) from its provenance file."""
    read_provenance = _find("read_provenance", _DELIVERY_MODULES)
    provenance = read_provenance(path, path.relative_to(raw_dir).as_posix())[0]
    return provenance.vintage if provenance is not None else None


def deliveries(contract, raw_dir: Path) -> list[tuple[Path, str | None]]:
    return contract.deliveries(raw_dir)


def validate(frame, suite_path: Path):
    return _find("validate", ("orchestration.validation", "orchestration.deliveries.validation"))(frame, suite_path)


def preload_validation(paths: list[Path]) -> None:
    """Start great-expectations beside the reading of `paths`, as the ingestion step does (a
    project without orchestration.validation.preload imports it at the first suite)."""
    try:
        preload = _find("preload", ("orchestration.validation",))
    except ImportError:
        return
    preload(paths)


def stop_validation() -> None:
    try:
        _find("stop", ("orchestration.validation",))()
    except ImportError:
        return


def settings():
    return importlib.import_module("orchestration.settings")


def tracked_years() -> list[str]:
    """The pipeline's tracked years, however settings spells them."""
    s = settings()
    for name in ("YEARS", "PARTITION_YEARS"):
        if hasattr(s, name):
            return [str(y) for y in getattr(s, name)]
    return [str(y) for y in range(int(s.FIRST_YEAR), int(s.TARGET_YEAR) + 1)]


def region_tree() -> pl.DataFrame:
    """The project's region tree (orchestration.regions.load_region_tree()) as a frame."""
    from orchestration.regions import load_region_tree

    tree = load_region_tree()
    return pl.DataFrame([{"region_code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level,
                          "parent_code": r.parent_code} for r in tree.regions],
                        schema={c: pl.String for c in REGION_COLUMNS})


def region_aliases_frame() -> pl.DataFrame:
    path = settings().SEEDS_DIR / "region_aliases.csv"
    return pl.read_csv(path, infer_schema=False) if path.exists() else pl.DataFrame(
        schema={"alias": pl.String, "region_code": pl.String, "note": pl.String})


@contextmanager
def region_tree_from(folder: Path | None) -> Iterator[None]:
    """Parse deliveries against the region tree in `folder` (regions.csv, region_aliases.csv):
    BAYANNUR_REGIONS_DIR, the variable the project reads its tree from. Restored on exit."""
    if folder is None:
        yield
        return
    with mock.patch.dict(os.environ, {"BAYANNUR_REGIONS_DIR": str(folder)}):
        yield


def suite_limits(contract) -> tuple[tuple[int, int], dict[str, tuple[float | None, float | None]]]:
    """What the contract's suite lets through, as the pipeline runs it (placeholders expanded,
    the year range ending at the last tracked year): ((first year, last year), {column: (min, max)})
    from its expect_column_values_to_be_between expectations without a row condition."""
    validation = importlib.import_module("orchestration.validation")
    spec = validation.load_suite(contract.suite_path)
    adjust = getattr(validation, "_tracked_years", lambda e: e)
    years = [int(y) for y in tracked_years()]
    first, last = years[0], years[-1]
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for expectation in map(adjust, spec["expectations"]):
        kwargs = expectation.get("kwargs", {})
        if expectation.get("type") != "expect_column_values_to_be_between" or "row_condition" in kwargs:
            continue
        lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
        if kwargs["column"] == "year":
            first, last = max(first, int(lo)) if lo is not None else first, min(last, int(hi)) if hi is not None else last
            continue
        old_lo, old_hi = bounds.get(kwargs["column"], (None, None))
        bounds[kwargs["column"]] = (lo if old_lo is None else max(lo, old_lo) if lo is not None else old_lo,
                                    hi if old_hi is None else min(hi, old_hi) if hi is not None else old_hi)
    return (first, last), bounds


def running_totals(contract) -> dict[str, str]:
    """{cumulative column: its yearly increment} for the contract's staging model, as its dbt
    tests state them (agriculture__running_total in transforms/models/staging/**/*.yml)."""
    import yaml

    model = f"stg_{contract.source}__{contract.dataset}"
    found: dict[str, str] = {}
    for path in sorted((settings().DBT_PROJECT_DIR / "models" / "staging").rglob("*.yml")):
        for m in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if m.get("name") != model:
                continue
            for column in m.get("columns", []):
                for test in column.get("data_tests") or []:
                    if isinstance(test, dict) and "agriculture__running_total" in test:
                        arguments = test["agriculture__running_total"].get("arguments") or test["agriculture__running_total"]
                        found[column["name"]] = arguments["increment"]
    return found
