"""The region tree (GB/T 2260 codes, names zh/en, level, parent) read from reviewed data.

The tree lives in transforms/seeds/regions.csv (aliases in region_aliases.csv); the environment
variable BAYANNUR_REGIONS_DIR points at another directory holding the same two files, so a
different city (or a province) is a data change, never a code change. Python reads regions only
through this module; dbt reads the same directory (models/marts/dim_region.sql).
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orchestration import settings

LEVELS = ("province", "city", "county")  # from the top down


class RegionTreeError(ValueError):
    """The region data is not a tree of known levels; the message names the file and row."""


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class RegionTree:
    regions: tuple[Region, ...]
    source: Path

    def codes(self, *levels: str) -> list[str]:
        """Codes of the given levels (all levels when none is given), in file order."""
        return [r.code for r in self.regions if not levels or r.level in levels]

    def get(self, code: str) -> Region:
        return next(r for r in self.regions if r.code == code)

    def name(self, code: str) -> str:
        return self.get(code).name_zh

    def children(self, code: str) -> list[str]:
        return [r.code for r in self.regions if r.parent_code == code]

    def parents(self) -> list[str]:
        """Regions whose children are in the tree: the ones reconciliation sums up to."""
        return [r.code for r in self.regions if self.children(r.code)]

    def roots(self) -> list[str]:
        """Regions whose parent is outside the tree (the city of a one-city tree)."""
        known = {r.code for r in self.regions}
        return [r.code for r in self.regions if r.parent_code not in known]


def regions_dir() -> Path:
    """Where the tree is read from: $BAYANNUR_REGIONS_DIR, else the dbt seeds."""
    value = os.environ.get("BAYANNUR_REGIONS_DIR")
    return Path(value).expanduser().resolve() if value else settings.SEEDS_DIR


def load_region_tree(directory: Path | None = None) -> RegionTree:
    """The tree in `directory` (default regions_dir()), checked: unique six-digit codes, known
    levels, every parent either in the tree at a higher level or outside it (a root)."""
    return _load(Path(directory) if directory else regions_dir())


@cache
def _load(directory: Path) -> RegionTree:
    path = directory / "regions.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    regions, seen = [], set()
    for line, row in enumerate(rows, start=2):
        code = (row.get("region_code") or "").strip()
        where = f"{path.name}, row {line}"
        if not re.fullmatch(r"\d{6}", code):
            raise RegionTreeError(f"{where}: region_code {code!r} is not a six-digit GB/T 2260 code")
        if code in seen:
            raise RegionTreeError(f"{where}: region_code {code} appears twice")
        if row.get("level") not in LEVELS:
            raise RegionTreeError(f"{where}: level {row.get('level')!r} is not one of {', '.join(LEVELS)}")
        seen.add(code)
        parent = (row.get("parent_code") or "").strip() or None
        regions.append(Region(code, row["name_zh"].strip(), row["name_en"].strip(), row["level"], parent))
    by_code = {r.code: r for r in regions}
    for r in regions:
        parent = by_code.get(r.parent_code or "")
        if parent and LEVELS.index(parent.level) >= LEVELS.index(r.level):
            raise RegionTreeError(f"{path.name}: {r.code} ({r.level}) has parent {parent.code} ({parent.level}), "
                                  "which is not a higher level")
    if not regions:
        raise RegionTreeError(f"{path.name}: no regions")
    return RegionTree(tuple(regions), path)


def norm(text: object) -> str:
    """Full-width to half-width (NFKC) and no white space: how delivered names are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def load_region_aliases(directory: Path | None = None) -> dict[str, str]:
    """Every accepted spelling of a region (official names and region_aliases.csv) -> its code."""
    tree = load_region_tree(directory)
    mapping = {norm(r.name_zh): r.code for r in tree.regions}
    path = tree.source.with_name("region_aliases.csv")
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            code = (row.get("region_code") or "").strip()
            if code not in mapping.values():
                raise RegionTreeError(f"{path.name}, row {line}: alias {row.get('alias')!r} names {code!r}, "
                                      "which is not in regions.csv")
            mapping[norm(row["alias"])] = code
    return mapping
