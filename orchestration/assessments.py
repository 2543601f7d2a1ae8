"""Assessments as first made, frozen.

The tracking rows of year Y change whenever a delivery behind them is revised. What was reported
must not: the first time every Table-1 indicator of the city can be judged for year Y, the
pipeline freezes all tracking rows of Y into `audit.frozen_assessments`, once. Later runs never
touch a frozen year. The view `audit.assessment_revisions` sets each frozen row beside the
current ("as revised") row with the differences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestration.warehouse import connect

# What was reported: the judged quantities and their explanation. Keys identify the row.
KEYS = ["indicator_id", "region_code", "year"]
FROZEN = {
    "basis": "VARCHAR", "value_unit": "VARCHAR", "target_value": "DOUBLE", "data_status": "VARCHAR",
    "actual_value": "DOUBLE", "progress_value": "DOUBLE", "required_value": "DOUBLE", "share_done": "DOUBLE",
    "barometer_2020": "VARCHAR", "barometer_2021": "VARCHAR", "open_sdg_status": "VARCHAR",
    "unsd_status": "VARCHAR", "projected_value": "DOUBLE", "tracking_status": "VARCHAR",
    "explanation_zh": "VARCHAR", "explanation_en": "VARCHAR",
}
DDL = f"""
CREATE TABLE IF NOT EXISTS audit.frozen_assessments (
    frozen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id VARCHAR,
    indicator_id VARCHAR NOT NULL, region_code VARCHAR NOT NULL, year INTEGER NOT NULL,
    {", ".join(f"{c} {t}" for c, t in FROZEN.items())},
    PRIMARY KEY (indicator_id, region_code, year)
)"""
# Frozen beside current; a row whose value or colour moved since the assessment is revised.
VIEW = f"""
CREATE OR REPLACE VIEW audit.assessment_revisions AS
SELECT
    f.indicator_id, f.region_code, f.year, f.frozen_at,
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
    already_frozen: list[int] = field(default_factory=list)
    not_ready: dict[int, str] = field(default_factory=dict)
    rows: int = 0


def freeze_complete_years(run_id: str | None = None) -> FreezeResult:
    """Freeze every year 2021-2025 whose Table-1 indicators can all be judged and that is not frozen."""
    result = FreezeResult()
    with connect() as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(DDL)
        frozen = {r[0] for r in con.execute("SELECT DISTINCT year FROM audit.frozen_assessments").fetchall()}
        readiness = con.execute(
            "SELECT year, count(*) FILTER (WHERE tracking_status = 'tracked'), count(*), "
            "string_agg(indicator_id, ', ' ORDER BY indicator_id) FILTER (WHERE tracking_status <> 'tracked') "
            "FROM marts.fct_target_tracking WHERE in_table1 AND region_code = '150800' GROUP BY year ORDER BY year"
        ).fetchall()
        con.begin()
        try:
            for year, tracked, total, missing in readiness:
                if year in frozen:
                    result.already_frozen.append(year)
                elif tracked < total:
                    result.not_ready[year] = f"{total - tracked} of {total} Table-1 indicators not judged yet ({missing})"
                else:
                    columns = ", ".join([*KEYS, *FROZEN])
                    con.execute(
                        f"INSERT INTO audit.frozen_assessments (frozen_at, run_id, {columns}) "
                        f"SELECT current_timestamp, ?, {columns} FROM marts.fct_target_tracking WHERE year = ?",
                        [run_id, year])
                    result.rows += con.execute("SELECT count(*) FROM marts.fct_target_tracking WHERE year = ?",
                                               [year]).fetchone()[0]
                    result.frozen_now.append(year)
            con.execute(VIEW)
            con.commit()
        except Exception:
            con.rollback()
            raise
    return result
