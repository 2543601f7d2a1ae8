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
