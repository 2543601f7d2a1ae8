"""What the reports read from the warehouse (read-only), as lists of dicts."""

from __future__ import annotations

import duckdb

# The tracking rows: official_status, is_met, final_verdict and the bureau's explanation.
TRACKING = "marts.fct_target_tracking"

ROWS_SQL = f"""
SELECT t.indicator_id, t.name_zh, t.name_en, t.region_code, r.name_zh AS region_zh, r.name_en AS region_en,
       r.level AS region_level, t.in_table1, i.table1_number, t.category, t.department_zh, t.target_form,
       t.target_value, t.target_unit, t.value_unit, t.price_base_year, t.actual_value, t.base_value,
       t.progress_value, t.required_value, t.k, t.period_years, t.year - t.k AS base_year,
       t.official_status, t.official_rule, t.is_met, t.evaluation_stage, t.final_verdict, t.final_verdict_zh,
       t.barometer_2020, t.barometer_2021, t.open_sdg_status, t.unsd_status, t.data_status, t.tracking_status,
       t.explanation_zh, t.explanation_en, p.official_status AS previous_status
FROM {TRACKING} t
JOIN marts.dim_indicator i USING (indicator_id)
JOIN marts.dim_region r ON r.region_code = t.region_code
LEFT JOIN {TRACKING} p ON p.indicator_id = t.indicator_id AND p.region_code = t.region_code AND p.year = t.year - 1
WHERE t.year = ?
ORDER BY t.in_table1 DESC, i.table1_number, t.indicator_id, r.level, t.region_code
"""

SERIES_SQL = f"""
SELECT indicator_id, region_code, year, actual_value, progress_value, required_value, data_status, official_status
FROM {TRACKING} ORDER BY indicator_id, region_code, year
"""

CONTEXT_SQL = """
SELECT indicator_id, context_level, context_name_zh, context_name_en, context_target_form, context_target_value,
       context_target_unit, city_compared, note, grade, source
FROM marts.fct_target_context ORDER BY indicator_id, context_level
"""

SENSITIVITY_SQL = """
SELECT grid_level, factor_vintage, export_credit, is_default, grid_factor_tco2_per_mwh, co2_per_gdp,
       co2_per_gdp_decline_pct, fossil_co2_per_gdp, fossil_co2_per_gdp_decline_pct, fossil_combustion_co2_change_pct,
       base_year, status
FROM marts.fct_co2_sensitivity WHERE year = ?
ORDER BY grid_level, factor_vintage, export_credit DESC
"""

FINAL_SQL = """
SELECT f.*, r.name_zh AS region_zh, r.name_en AS region_en, r.level AS region_level, i.table1_number
FROM marts.fct_final_evaluation f
JOIN marts.dim_region r USING (region_code)
JOIN marts.dim_indicator i USING (indicator_id)
WHERE f.plan_id = ?
ORDER BY f.in_table1 DESC, i.table1_number, f.indicator_id, r.level, f.region_code
"""


def rows(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def series(con) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for s in rows(con, SERIES_SQL):
        out.setdefault((s["indicator_id"], s["region_code"]), []).append(s)
    return out


def context(con) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in rows(con, CONTEXT_SQL):
        out.setdefault(c["indicator_id"], []).append(c)
    return out


def default_plan(con) -> str:
    return con.execute(f"SELECT any_value(plan_id) FROM {TRACKING}").fetchone()[0]
