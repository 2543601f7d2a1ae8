"""The annual progress report for the city's leadership: key messages first, one official verdict
per target, the headline indicators' charts (with the CO2 sensitivity beside the CO2 headline), a
county view, a page per department and the international methods in an annex."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orchestration.departments import rollup
from orchestration.reporting import charts, data
from orchestration.reporting.labels import (
    CATEGORY, COMPARED, CONTEXT, GRID, INTERNATIONAL, RULES, STATUS, fmt, kind_of, label, unit_zh,
)

STATUSES = ("green", "yellow", "red", "not_available")
RANK = {"red": 0, "yellow": 1, "green": 2}


@dataclass
class ReportResult:
    path: Path
    year: int
    target_rows: int  # target x region rows of the year
    targets: int  # distinct targets
    charts: int
    official: dict[str, int] = field(default_factory=dict)
    barometer_2020: dict[str, int] = field(default_factory=dict)
    barometer_2021: dict[str, int] = field(default_factory=dict)
    illustrative_rows: int = 0
    departments: int = 0
    county_views: int = 0
    size_bytes: int = 0
    pdf_path: Path | None = None
    reused: bool = False  # kept from an earlier run: same marts and code (reporting/inputs.py)


def _in_terms(r: dict, x) -> str:
    """A value in the target's terms with its unit: cumulative declines in %, levels in their unit."""
    if x is None:
        return "—"
    if r["target_form"] == "cumulative_decline":
        return f"下降 {fmt(x, 'rate')}%"
    unit = unit_zh(r["value_unit"] or r["target_unit"], r["price_base_year"])
    return f"{fmt(x, kind_of(r['value_unit']))} {unit}".strip()


def _target(r: dict) -> str:
    if r["target_value"] is None:
        return "方向性目标 direction"
    word = {"cumulative_decline": "累计下降 ", "level_at_most": "≤ ", "level_at_least": "≥ ", "hold_at": "稳定在 ",
            "completed_over_period": "累计 "}.get(r["target_form"], "")
    unit = "%" if r["target_form"] == "cumulative_decline" else unit_zh(r["target_unit"], r["price_base_year"])
    return f"{word}{fmt(r['target_value'])} {unit}".strip()


def _row(r: dict, ctx: list[dict] | None = None) -> dict:
    status, cat = label(STATUS, r["official_status"]), label(CATEGORY, r["category"])
    return {**r, "actual": _in_terms(r, r["progress_value"]), "target": _target(r),
            "illustrative": r["data_status"] == "illustrative", "status_zh": status[0], "status_en": status[1],
            "category_zh": cat[0], "category_en": cat[1], "rule_zh": RULES.get(r["official_rule"], r["official_rule"]),
            "context": [{"zh": f"{label(CONTEXT, c['context_level'])[0]}：{fmt(c['context_target_value']) if c['context_target_value'] is not None else '无量化目标'}"
                               f"{c['context_target_unit'] if c['context_target_value'] is not None else ''}（{label(COMPARED, c['city_compared'])[0]}）",
                         "en": f"{label(CONTEXT, c['context_level'])[1]}: {fmt(c['context_target_value'])} ({label(COMPARED, c['city_compared'])[1]})"}
                        for c in (ctx or [])]}


def _messages(rows: list[dict], city: list[dict], year: int, sensitivity: list[dict]) -> list[dict]:
    table1 = [r for r in city if r["in_table1"]]
    n = {s: sum(r["official_status"] == s for r in city) for s in STATUSES}
    t1 = {s: sum(r["official_status"] == s for r in table1) for s in STATUSES}
    out = [{"zh": f"{year}年，全市{len(city)}项目标中{n['green']}项绿灯（进展符合要求）、{n['yellow']}项黄灯、{n['red']}项红灯，"
                  f"{n['not_available']}项尚无数据；表1的{len(table1)}项主要指标中绿灯{t1['green']}项、黄灯{t1['yellow']}项、红灯{t1['red']}项。",
            "en": f"{year}: of the city's {len(city)} targets {n['green']} are green (on track), {n['yellow']} yellow, {n['red']} red "
                  f"and {n['not_available']} without data; of the {len(table1)} headline indicators {t1['green']} green, "
                  f"{t1['yellow']} yellow, {t1['red']} red."}]
    stage = city[0]["evaluation_stage"] if city else None
    if stage in ("mid_term", "final"):
        k, n = city[0]["k"], city[0]["period_years"]
        out.append({"zh": f"本年为规划第{k}年（共{n}年），" + ("是中期评估年份，各目标中期状态见期末评估报告的中期栏。"
                                                      if stage == "mid_term" else "是规划末年，期末结论见期末评估报告。"),
                    "en": f"Year {k} of {n}: " + ("the mid-term evaluation year; the final-evaluation report shows each "
                                                  "target's mid-term status." if stage == "mid_term"
                                                  else "the plan's last year; the final verdicts are in the final evaluation.")})
    risk = [r for r in rows if r["category"] == "binding" and r["official_status"] in ("yellow", "red")]
    out.append({"zh": "约束性目标有风险：" + ("、".join(f"{r['name_zh']}（{r['region_zh']}，{label(STATUS, r['official_status'])[0]}）" for r in risk) or "无") + "。",
                "en": "Binding targets at risk: " + ("; ".join(f"{r['name_en']} ({r['region_en']}, {r['official_status']})" for r in risk) or "none") + "."})
    better = [r for r in city if r["previous_status"] in RANK and r["official_status"] in RANK and RANK[r["official_status"]] > RANK[r["previous_status"]]]
    worse = [r for r in city if r["previous_status"] in RANK and r["official_status"] in RANK and RANK[r["official_status"]] < RANK[r["previous_status"]]]
    out.append({"zh": f"与{year - 1}年相比：{len(better)}项好转" + ("（" + "、".join(r["name_zh"] for r in better) + "）" if better else "")
                      + f"，{len(worse)}项转差" + ("（" + "、".join(r["name_zh"] for r in worse) + "）" if worse else "") + "。",
                "en": f"Since {year - 1}: {len(better)} improved" + (" (" + "; ".join(r["name_en"] for r in better) + ")" if better else "")
                      + f", {len(worse)} worsened" + (" (" + "; ".join(r["name_en"] for r in worse) + ")" if worse else "") + "."})
    default = next((s for s in sensitivity if s["is_default"]), None)
    bare = next((s for s in sensitivity if default and s["grid_level"] == default["grid_level"]
                 and s["factor_vintage"] == default["factor_vintage"] and not s["export_credit"]), None)
    if default and bare and default["co2_per_gdp_decline_pct"] is not None:
        by = default["base_year"]
        out.append({"zh": f"单位地区生产总值二氧化碳排放较{by}年下降{fmt(default['co2_per_gdp_decline_pct'], 'rate')}%，主要来自外送电量的排放抵扣："
                          f"不计抵扣仅下降{fmt(bare['co2_per_gdp_decline_pct'], 'rate')}%，化石燃料燃烧二氧化碳排放较{by}年"
                          f"{'增长' if default['fossil_combustion_co2_change_pct'] > 0 else '下降'}{fmt(abs(default['fossil_combustion_co2_change_pct']), 'rate')}%"
                          f"（结果随电网层级与因子年份的变化见二氧化碳强度一节）。",
                    "en": f"CO2 per unit of GDP is {fmt(default['co2_per_gdp_decline_pct'], 'rate')} % below {by}, mostly through the credit for "
                          f"exported electricity: without it the fall is {fmt(bare['co2_per_gdp_decline_pct'], 'rate')} %, and CO2 from "
                          f"burning fossil fuels changed by {fmt(default['fossil_combustion_co2_change_pct'], 'rate')} % since {by} "
                          "(the table beside the CO2 chart shows how the result moves with the grid level and factor vintage)."})
    return out


def build_report(con, year: int, warehouse_label: str = "") -> tuple[dict, ReportResult]:
    """The template context of the report for `year` (read-only connection) and its counts."""
    rows = data.rows(con, data.ROWS_SQL, [year])
    if not rows:
        raise ValueError(f"the tracking table has no rows for {year}")
    series, context = data.series(con), data.context(con)
    sensitivity = data.rows(con, data.SENSITIVITY_SQL, [year])
    city = [r for r in rows if r["region_level"] == "city"]
    table1 = [_row(r, context.get(r["indicator_id"])) for r in city if r["in_table1"]]
    chart_list = []
    for r in table1:
        fig = charts.indicator_chart(r, series.get((r["indicator_id"], r["region_code"]), []), year)
        chart_list.append({"indicator_id": r["indicator_id"], "html": charts.to_html(fig, f"plot-{r['indicator_id']}"),
                           "explanation_zh": r["explanation_zh"], "explanation_en": r["explanation_en"],
                           "sensitivity": [{**s, "grid": label(GRID, s["grid_level"]), "factor": fmt(s["grid_factor_tco2_per_mwh"], "intensity"),
                                            "decline": fmt(s["co2_per_gdp_decline_pct"], "rate"),
                                            "fossil_decline": fmt(s["fossil_co2_per_gdp_decline_pct"], "rate")}
                                           for s in sensitivity] if r["indicator_id"] == "co2_per_gdp" else None})
    counties = []
    for ind in dict.fromkeys(r["indicator_id"] for r in rows if r["region_level"] == "county"):
        crows = [_row(r) for r in rows if r["indicator_id"] == ind and r["region_level"] == "county"]
        if any(r["progress_value"] is not None for r in crows):
            fig = charts.county_chart(crows[0]["name_zh"], crows[0]["name_en"], crows, year)
            counties.append({"indicator_id": ind, "rows": crows, "html": charts.to_html(fig, f"county-{ind}")})
    regions = {r["region_code"]: r["region_zh"] for r in rows}
    departments = []
    for s in rollup(con, year).values():
        departments.append({
            "department_id": s.department_id, "name_zh": s.name_zh, "name_en": s.name_en,
            "parent_zh": s.parent_department_id and _dept_name(con, s.parent_department_id, "zh"),
            "parent_en": s.parent_department_id and _dept_name(con, s.parent_department_id, "en"),
            "lead_count": len(s.lead_targets), "supporting_count": len(s.supporting_targets), "status": s.lead_status,
            "rows": [{**x, "region_zh": regions.get(x["region_code"], x["region_code"]),
                      "status_zh": label(STATUS, x["official_status"])[0], "status_en": label(STATUS, x["official_status"])[1],
                      "rule_zh": RULES.get(x["official_rule"], x["official_rule"])} for x in s.rows]})
    annex = [{**r, "b2020": label(STATUS, r["barometer_2020"]), "b2021": label(STATUS, r["barometer_2021"]),
              "sdg": label(INTERNATIONAL, r["open_sdg_status"]), "unsd": label(INTERNATIONAL, r["unsd_status"])} for r in rows]
    count = lambda col: {c: sum(r[col] == c for r in rows) for c in STATUSES}  # noqa: E731
    illustrative_rows = sum(r["data_status"] == "illustrative" for r in rows)
    context_vars = {
        "title_zh": f"{city[0]['region_zh']}应对气候变化规划目标进展报告（{year}年）",
        "title_en": f"{city[0]['region_en'].removesuffix(' City')} climate plan: progress report {year}", "year": year,
        "messages": _messages(rows, city, year, sensitivity), "table1": table1, "charts": chart_list,
        "others": [_row(r) for r in city if not r["in_table1"]], "counties": counties, "departments": departments,
        "annex": annex, "target_rows": len(rows), "illustrative_rows": illustrative_rows, "warehouse": warehouse_label,
        "sources": "marts.fct_target_tracking、fct_target_context、fct_co2_sensitivity、fct_department_targets",
    }
    result = ReportResult(path=Path(), year=year, target_rows=len(rows), targets=len({r["indicator_id"] for r in rows}),
                          charts=len(chart_list), official=count("official_status"), barometer_2020=count("barometer_2020"),
                          barometer_2021=count("barometer_2021"), illustrative_rows=illustrative_rows,
                          departments=len(departments), county_views=len(counties))
    return context_vars, result


def _dept_name(con, department_id: str, lang: str) -> str:
    column = "name_zh" if lang == "zh" else "name_en"
    return con.execute(f"SELECT {column} FROM marts.dim_department WHERE department_id = ?", [department_id]).fetchone()[0]
