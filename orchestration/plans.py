"""The plans tracked, as data: transforms/seeds/catalog/plans.csv (plus, when the environment
variable BAYANNUR_EXTRA_CATALOG_DIR names a directory, its plans.csv: the same extra catalog dbt
reads, macros/catalog.sql). The years the pipeline ingests follow from them, never from constants.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

EXTRA_CATALOG_ENV = "BAYANNUR_EXTRA_CATALOG_DIR"


@dataclass(frozen=True)
class Plan:
    plan_id: str
    region_code: str
    base_year: int
    first_year: int
    last_year: int
    price_base_year: int
    status: str


def load_plans(seeds_dir: Path) -> list[Plan]:
    """Every plan of the plans seed and of the extra catalog, if one is named."""
    files = [seeds_dir / "catalog" / "plans.csv"]
    if extra := os.environ.get(EXTRA_CATALOG_ENV):
        files.append(Path(extra) / "plans.csv")
    plans = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                plans.append(Plan(row["plan_id"], row["region_code"], int(row["base_year"]), int(row["first_year"]),
                                  int(row["last_year"]), int(row["price_base_year"]), row["status"]))
    if not plans:
        raise ValueError(f"{files[0]}: no plan")
    return plans


def tracked_years(plans: list[Plan]) -> list[int]:
    """The years a delivery may carry, each plan's period and the periods either side of it: from
    the base year of the period before (so that the previous period's review figures can be
    reproduced) to the last year of the period after, whose deliveries (2026 onward for a plan
    ending in 2025) arrive before its plan is entered as data."""
    first = min(p.base_year - (p.last_year - p.base_year) for p in plans)
    last = max(p.last_year + (p.last_year - p.base_year) for p in plans)
    return list(range(first, last + 1))
