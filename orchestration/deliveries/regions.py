"""The region tree (transforms/seeds/regions.csv) and the accepted spellings of region names.

The tree is read here through one function; when orchestration/regions.py (load_region_tree)
lands on main, this module should delegate to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import polars as pl

from orchestration import settings


def norm(text: object) -> str:
    """Full-width to half-width (NFKC) and no white space: how headers and names are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


@dataclass(frozen=True)
class RegionTree:
    """region_code -> (name_zh, level, parent_code)."""

    regions: dict[str, tuple[str, str, str | None]]

    def name(self, code: str) -> str:
        return self.regions[code][0]

    def children(self, code: str) -> list[str]:
        return sorted(c for c, (_, _, parent) in self.regions.items() if parent == code)

    def parent(self, code: str) -> str | None:
        return self.regions.get(code, (None, None, None))[2]

    def cities(self) -> list[str]:
        return sorted(c for c, (_, level, _) in self.regions.items() if level == "city")


@cache
def load_region_tree() -> RegionTree:
    frame = pl.read_csv(settings.SEEDS_DIR / "regions.csv",
                        schema_overrides={"region_code": pl.String, "parent_code": pl.String})
    return RegionTree({code: (name, level, parent) for code, name, level, parent
                       in frame.select("region_code", "name_zh", "level", "parent_code").iter_rows()})


@cache
def region_aliases() -> dict[str, str]:
    """Every accepted spelling of a region (official names and the seed's aliases) -> GB/T 2260 code."""
    aliases = pl.read_csv(settings.SEEDS_DIR / "region_aliases.csv", schema_overrides={"region_code": pl.String})
    # A region may also be delivered by its GB/T 2260 code.
    mapping = {code: code for code in load_region_tree().regions}
    mapping |= {norm(name): code for code, (name, _, _) in load_region_tree().regions.items()}
    mapping |= {norm(a): c for a, c in aliases.select("alias", "region_code").iter_rows()}
    return mapping
