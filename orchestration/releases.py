"""Late data: each source's release calendar (orchestration/contracts/releases.yml) and which
years' deliveries are overdue.

A year is overdue when its due date (month-day of the following year) has passed and the
warehouse holds no loaded row of that year. "Today" is the date in Beijing, or
BAYANNUR_TODAY (YYYY-MM-DD) when set, so that tests and reruns can fix it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from orchestration import settings
from orchestration.deliveries import Contract, load_contracts
from orchestration.yamlfiles import load_yaml

RELEASES_PATH = settings.CONTRACTS_DIR / "releases.yml"


@dataclass(frozen=True)
class Release:
    table: str  # <source>__<dataset>
    due_month: int
    due_day: int
    first_year: int
    rule: str

    @property
    def due(self) -> str:
        return f"{self.due_month:02d}-{self.due_day:02d}"

    def due_date(self, year: int) -> date:
        return date(year + 1, self.due_month, self.due_day)

    def expected_years(self, today: date) -> list[int]:
        """Data years whose delivery should be in by `today` (within the tracked years)."""
        return [y for y in range(self.first_year, int(settings.YEARS[-1]) + 1) if self.due_date(y) < today]

    def overdue(self, loaded_years: set[int], today: date) -> list[int]:
        return [y for y in self.expected_years(today) if y not in loaded_years]


def load_releases(contracts: list[Contract] | None = None, path: Path | None = None) -> dict[str, Release]:
    """The release of every contract, by table; a source missing from the calendar is an error."""
    spec = load_yaml(path or RELEASES_PATH)
    default_first = int(spec.get("defaults", {}).get("first_year", settings.BASE_YEAR))
    out = {}
    for c in contracts if contracts is not None else load_contracts():
        source = spec["sources"].get(c.source)
        if source is None:
            raise ValueError(f"{(path or RELEASES_PATH).name}: no release calendar for source '{c.source}'")
        entry = {**source, **(source.get("datasets") or {}).get(c.dataset, {})}
        month, day = (int(x) for x in str(entry["due"]).split("-"))
        date(2001, month, day)  # a due date that does not exist fails here, not at check time
        out[c.table] = Release(c.table, month, day, int(entry.get("first_year", default_first)), entry["rule"])
    return out


def today() -> date:
    fixed = os.environ.get("BAYANNUR_TODAY")
    return date.fromisoformat(fixed) if fixed else datetime.now(ZoneInfo("Asia/Shanghai")).date()


def loaded_years(tables: list[str]) -> dict[str, set[int]]:
    """Years with loaded rows, per raw table (read-only; no warehouse yet: none loaded)."""
    from orchestration.warehouse import VINTAGE_SCHEMA, connect

    if not settings.WAREHOUSE_PATH.exists():
        return {t: set() for t in tables}
    with connect(read_only=True) as con:
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [VINTAGE_SCHEMA]).fetchall()}
        return {t: ({r[0] for r in con.execute(f"SELECT DISTINCT year FROM {VINTAGE_SCHEMA}.{t}").fetchall()}
                    if t in present else set()) for t in tables}


def describe(release: Release, years: list[int], on: date) -> str:
    """One line: which years are overdue since when."""
    parts = [f"{y} (due {release.due_date(y)}, {(on - release.due_date(y)).days} days late)" for y in years]
    return f"{release.table}: " + ", ".join(parts)
