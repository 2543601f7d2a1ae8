"""Assessments as published then, frozen.

The tracking rows of year Y change whenever a delivery behind them is revised; what was assessed
must not. A year's frozen assessment in `audit.frozen_assessments` is, in this order:

1. what the bureau issued: a reviewed file assessments/issued/assessment_<Y>.csv, loaded as data
   (origin 'issued'); it replaces a rebuilt assessment of Y if one was frozen before;
2. else the tracking rows as they stood on the assessment date (assessments/calendar.yml): frozen
   (origin 'rebuilt_from_vintages', frozen_at = that date) only if the date has passed, every
   Table-1 indicator of the city can be judged and no vintage received after the date touches a
   data year up to Y. A first run over backfilled deliveries therefore freezes only what the
   deliveries known on the date support, never today's revisions under an old date.

Later runs never touch a frozen year (but for 1.). The view `audit.assessment_revisions` sets each
frozen row beside the current ("as revised") row with the differences.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from orchestration import settings
from orchestration.releases import today
from orchestration.warehouse import VINTAGE, VINTAGE_SCHEMA, connect
from orchestration.yamlfiles import load_yaml

ASSESSMENTS_DIR = settings.PROJECT_ROOT / "assessments"
KEYS = ["indicator_id", "region_code", "year"]
FROZEN = {
    "basis": "VARCHAR", "value_unit": "VARCHAR", "target_value": "DOUBLE", "data_status": "VARCHAR",
    "actual_value": "DOUBLE", "progress_value": "DOUBLE", "required_value": "DOUBLE", "share_done": "DOUBLE",
    "barometer_2020": "VARCHAR", "barometer_2021": "VARCHAR", "open_sdg_status": "VARCHAR",
    "unsd_status": "VARCHAR", "projected_value": "DOUBLE", "tracking_status": "VARCHAR",
    "explanation_zh": "VARCHAR", "explanation_en": "VARCHAR",
}
# How the row came to be frozen: 'issued' (the bureau's file) or 'rebuilt_from_vintages'.
PROVENANCE = {"origin": "VARCHAR", "assessed_on": "DATE", "official_status": "VARCHAR", "document": "VARCHAR",
              "source": "VARCHAR"}
ISSUED_COLUMNS = ["indicator_id", "region_code", "year", "actual_value", "progress_value", "official_status",
                  "issued_on", "document", "source"]
DDL = f"""
CREATE TABLE IF NOT EXISTS audit.frozen_assessments (
    frozen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id VARCHAR,
    indicator_id VARCHAR NOT NULL, region_code VARCHAR NOT NULL, year INTEGER NOT NULL,
    {", ".join(f"{c} {t}" for c, t in FROZEN.items())},
    PRIMARY KEY (indicator_id, region_code, year)
)"""
VIEW = f"""
CREATE OR REPLACE VIEW audit.assessment_revisions AS
SELECT
    f.indicator_id, f.region_code, f.year, f.frozen_at, f.origin, f.assessed_on,
    {", ".join(f"f.{c} AS {c}_as_assessed, t.{c} AS {c}_as_revised" for c in
               ["data_status", "actual_value", "progress_value", "barometer_2020", "barometer_2021", "tracking_status"])},
    t.progress_value - f.progress_value AS progress_revision,
    t.actual_value - f.actual_value AS actual_revision,
    (t.actual_value IS DISTINCT FROM f.actual_value OR t.barometer_2020 IS DISTINCT FROM f.barometer_2020
     OR t.barometer_2021 IS DISTINCT FROM f.barometer_2021) AS revised,
    f.explanation_zh AS explanation_zh_as_assessed, t.explanation_zh AS explanation_zh_as_revised
FROM audit.frozen_assessments AS f
LEFT JOIN marts.fct_target_tracking AS t USING (indicator_id, region_code, year)
"""


@dataclass
class FreezeResult:
    frozen_now: list[int] = field(default_factory=list)
    issued_now: list[int] = field(default_factory=list)
    already_frozen: list[int] = field(default_factory=list)
    not_ready: dict[int, str] = field(default_factory=dict)
    rows: int = 0


def assessment_date(year: int, directory: Path = ASSESSMENTS_DIR) -> tuple[date, str]:
    """The date data year `year` is assessed on, and the rule it comes from (assessments/calendar.yml)."""
    spec = load_yaml(directory / "calendar.yml")
    own = (spec.get("years") or {}).get(year)
    if own:
        return date.fromisoformat(str(own["assessed_on"])), own["rule"]
    month, day = (int(x) for x in spec["default"]["assessed_on"].split("-"))
    return date(year + 1, month, day), spec["default"]["rule"]


def issued_files(directory: Path = ASSESSMENTS_DIR) -> dict[int, Path]:
    found = {}
    for path in sorted((directory / "issued").glob("assessment_*.csv")):
        year = path.stem.removeprefix("assessment_")
        if not year.isdigit():
            raise ValueError(f"{path.name}: expected assessment_<year>.csv")
        found[int(year)] = path
    return found


def _read_issued(path: Path, year: int) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ISSUED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)} (expected {', '.join(ISSUED_COLUMNS)})")
        rows = list(reader)
    for n, r in enumerate(rows, start=2):
        if int(r["year"]) != year:
            raise ValueError(f"{path.name}, line {n}: year {r['year']} in the file for {year}")
        if r["official_status"] not in ("green", "yellow", "red", "not_available"):
            raise ValueError(f"{path.name}, line {n}: official_status '{r['official_status']}' "
                             "is not green / yellow / red / not_available")
        date.fromisoformat(r["issued_on"])  # a clear ValueError naming the bad date
    return rows


def _late_vintages(con, year: int, assessed_on: date) -> list[str]:
    """raw tables with a vintage received after `assessed_on` for a data year up to `year`."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                                        "AND table_type = 'BASE TABLE'", [VINTAGE_SCHEMA]).fetchall()]
    return [t for t in sorted(tables) if con.execute(
        f'SELECT count(*) FROM {VINTAGE_SCHEMA}."{t}" WHERE year <= ? AND {VINTAGE} > ?', [year, assessed_on]
    ).fetchone()[0]]


def _freeze_issued(con, year: int, path: Path, run_id: str | None) -> int:
    rows = _read_issued(path, year)
    con.execute("DELETE FROM audit.frozen_assessments WHERE year = ?", [year])
    for r in rows:
        con.execute(
            "INSERT INTO audit.frozen_assessments (frozen_at, run_id, indicator_id, region_code, year, actual_value, "
            "progress_value, official_status, origin, assessed_on, document, source) "
            "VALUES (CAST(? AS DATE), ?, ?, ?, ?, TRY_CAST(? AS DOUBLE), TRY_CAST(? AS DOUBLE), ?, 'issued', ?, ?, ?)",
            [r["issued_on"], run_id, r["indicator_id"], r["region_code"], year, r["actual_value"] or None,
             r["progress_value"] or None, r["official_status"], r["issued_on"], r["document"], r["source"]])
    return len(rows)


def freeze_complete_years(run_id: str | None = None, directory: Path = ASSESSMENTS_DIR,
                          on: date | None = None) -> FreezeResult:
    """Freeze every issued year, and every assessed year whose rows stand as they did on its date."""
    result, on = FreezeResult(), on or today()
    issued = issued_files(directory)
    with connect() as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(DDL)
        for column, dtype in PROVENANCE.items():  # warehouses frozen before these columns existed
            con.execute(f"ALTER TABLE audit.frozen_assessments ADD COLUMN IF NOT EXISTS {column} {dtype}")
        frozen = dict(con.execute("SELECT year, bool_or(origin = 'issued') FROM audit.frozen_assessments "
                                  "GROUP BY year").fetchall())
        readiness = con.execute(
            "SELECT year, count(*) FILTER (WHERE tracking_status = 'tracked'), count(*), "
            "string_agg(indicator_id, ', ' ORDER BY indicator_id) FILTER (WHERE tracking_status <> 'tracked') "
            "FROM marts.fct_target_tracking t JOIN marts.dim_region r USING (region_code) "
            "WHERE t.in_table1 AND r.level = 'city' GROUP BY year ORDER BY year"
        ).fetchall()
        con.begin()
        try:
            for year, path in issued.items():
                if not frozen.get(year):
                    result.rows += _freeze_issued(con, year, path, run_id)
                    result.issued_now.append(year)
            for year, tracked, total, missing in readiness:
                assessed_on, _ = assessment_date(year, directory)
                if year in frozen or year in issued:
                    if year not in result.issued_now:
                        result.already_frozen.append(year)
                elif assessed_on > on:
                    result.not_ready[year] = f"assessed on {assessed_on}, not yet"
                elif tracked < total:
                    result.not_ready[year] = f"{total - tracked} of {total} Table-1 indicators not judged yet ({missing})"
                elif late := _late_vintages(con, year, assessed_on):
                    result.not_ready[year] = (f"deliveries received after the assessment date {assessed_on} touch it "
                                              f"({', '.join(late)}): file the issued assessment in "
                                              f"assessments/issued/assessment_{year}.csv")
                else:
                    columns = ", ".join([*KEYS, *FROZEN])
                    con.execute(
                        f"INSERT INTO audit.frozen_assessments (frozen_at, run_id, origin, assessed_on, {columns}) "
                        f"SELECT CAST(? AS DATE), ?, 'rebuilt_from_vintages', ?, {columns} "
                        f"FROM marts.fct_target_tracking WHERE year = ?", [assessed_on, run_id, assessed_on, year])
                    result.rows += con.execute("SELECT count(*) FROM marts.fct_target_tracking WHERE year = ?",
                                               [year]).fetchone()[0]
                    result.frozen_now.append(year)
            con.execute(VIEW)
            con.commit()
        except Exception:
            con.rollback()
            raise
    return result
