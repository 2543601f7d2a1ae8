"""The annual progress report: one self-contained HTML page per year, Chinese first, English alongside.

    render_report(year=None)  ->  <warehouse dir>/reports/progress_report_<year>.html

The page holds a summary table of every target row of marts.fct_target_tracking for that year
(city and counties, coloured by the NDRC barometer), and for each of the 12 Table-1 indicators a
plotly chart (actual values 2020-YEAR in the target's terms, the even path required 2021-2025 and
the 2025 target) with the tracking table's explanation. plotly.js is inlined once, so the file
opens offline from disk. The warehouse is opened read-only; the Dagster asset
(orchestration/assets/reports.py) and `bayannur report` both call render_report().
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from orchestration import settings
from orchestration.queries import latest_tracked_year
from orchestration.warehouse import connect

CITY = "150800"
BAROMETER_COLOURS = ("green", "yellow", "red", "not_available")

# Labels as the tracking explanation (transforms/macros/tracking_explanation.sql) words them.
LABELS = {
    "green": ("绿", "green"), "yellow": ("黄", "yellow"), "red": ("红", "red"),
    "not_available": ("无法评估", "n/a"),
    "target_achieved": ("已达到目标", "target achieved"), "substantial_progress": ("显著进展", "substantial progress"),
    "moderate_progress": ("中等进展", "moderate progress"), "limited_progress": ("有限进展", "limited progress"),
    "deterioration": ("倒退", "deterioration"), "on_track": ("可如期实现", "on track"),
    "acceleration_needed": ("需要加快", "acceleration needed"),
    "stagnation_or_regression": ("停滞或倒退", "stagnation or regression"),
    "final": ("最终数", "final"), "preliminary": ("初步数", "preliminary"),
    "illustrative": ("示例数据", "illustrative"),
    "binding": ("约束性", "binding"), "expected": ("预期性", "expected"), "aspirational": ("力争", "aspirational"),
    "planned": ("计划", "planned"), "unspecified": ("未明确", "unspecified"),
}
PLOT_COLOURS = {"green": "#1a9641", "yellow": "#e6a800", "red": "#d7191c", "not_available": "#9e9e9e"}

SUMMARY_SQL = """
SELECT t.indicator_id, t.name_zh, t.name_en, t.region_code, r.name_zh AS region_zh, r.name_en AS region_en,
       t.in_table1, i.table1_number, t.category, t.department_zh, t.target_form, t.target_value, t.target_unit,
       t.value_unit, t.actual_value, t.progress_value, t.required_value, t.barometer_2020, t.barometer_2021,
       t.open_sdg_status, t.unsd_status, t.data_status, t.tracking_status, t.not_available_reason,
       t.explanation_zh, t.explanation_en, t.base_value, t.base_source
FROM marts.fct_target_tracking t
JOIN marts.dim_indicator i USING (indicator_id)
LEFT JOIN marts.dim_region r ON r.region_code = t.region_code
WHERE t.year = ?
ORDER BY t.in_table1 DESC, i.table1_number, t.indicator_id, t.region_code
"""

SERIES_SQL = """
SELECT t.indicator_id, t.year, t.progress_value, t.required_value, t.data_status, t.tracking_status,
       t.barometer_2020
FROM marts.fct_target_tracking t
WHERE t.in_table1 AND t.region_code = ? AND t.year <= 2025
ORDER BY t.indicator_id, t.year
"""


@dataclass
class ReportResult:
    path: Path
    year: int
    target_rows: int  # summary table rows: target x region
    targets: int  # distinct targets
    charts: int
    barometer_2020: dict[str, int] = field(default_factory=dict)
    barometer_2021: dict[str, int] = field(default_factory=dict)
    illustrative_rows: int = 0
    size_bytes: int = 0


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _fmt(x, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _label(code: str | None) -> tuple[str, str]:
    return LABELS.get(code or "", (code or "—", code or "—"))


def _axis_title(row: dict) -> str:
    if row["target_form"] == "cumulative_decline":
        return f"累计下降 decline since 2020 ({row['target_unit']})"
    if row["target_form"] == "completed_over_period":
        return f"累计完成 done since 2021 ({row['target_unit']})"
    return row["target_unit"]


def _chart(indicator: dict, series: list[dict], year: int) -> go.Figure:
    """Actual values 2020..year, the even path 2021-2025 and the 2025 target, in the target's terms."""
    form = indicator["target_form"]
    # 2020 is the start: 0 % of this period's decline (or of a period total); else the base level.
    start = 0.0 if form in ("cumulative_decline", "completed_over_period") else indicator["base_value"]
    actual = [(2020, start, "2020 = 0" if form == "cumulative_decline" else (indicator["base_source"] or "2020"), None)] if start is not None else []
    actual += [(s["year"], s["progress_value"], s["data_status"], s["barometer_2020"])
               for s in series if s["year"] <= year and s["progress_value"] is not None]
    required = [(s["year"], s["required_value"]) for s in series if s["required_value"] is not None]
    if required and start is not None and form != "hold_at":
        required = [(2020, start), *required]
    fig = go.Figure()
    if required:
        fig.add_trace(go.Scatter(
            x=[x for x, _ in required], y=[y for _, y in required], mode="lines+markers",
            name="均衡路径要求 required (even path)", line={"dash": "dash", "color": "#4a6fa5"},
            marker={"size": 6, "symbol": "diamond-open"},
            hovertemplate="%{x}: %{y:.3~f}<extra>均衡路径 required</extra>"))
    if indicator["target_value"] is not None:
        target = indicator["target_value"]
        fig.add_trace(go.Scatter(
            x=[2020, 2025], y=[target, target], mode="lines+markers", name="2025年目标 target",
            line={"dash": "dot", "color": "#333333", "width": 1},
            marker={"size": [0, 16], "symbol": "star", "color": "#333333"},
            hovertemplate="2025: %{y:.3~f}<extra>目标 target</extra>"))
    if actual:
        colours = [PLOT_COLOURS.get(b or "", "#444444") for *_, b in actual]
        symbols = ["circle-open" if s == "illustrative" else "circle" for _, _, s, _ in actual]
        fig.add_trace(go.Scatter(
            x=[a[0] for a in actual], y=[a[1] for a in actual], mode="lines+markers",
            name="实际 actual", line={"color": "#222222", "width": 2},
            marker={"size": 11, "color": colours, "symbol": symbols, "line": {"width": 2, "color": colours}},
            customdata=[[a[2]] for a in actual],
            hovertemplate="%{x}: %{y:.3~f} (%{customdata[0]})<extra>实际 actual</extra>"))
    fig.update_layout(
        height=360, margin={"l": 70, "r": 20, "t": 30, "b": 40}, template="plotly_white",
        legend={"orientation": "h", "y": -0.18},
        xaxis={"range": [2019.6, 2025.4], "dtick": 1, "title": None},
        yaxis={"title": {"text": _axis_title(indicator)}},
        font={"family": "Noto Sans CJK SC, WenQuanYi Micro Hei, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, sans-serif"},
    )
    return fig


TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="generator" content="bayannur-climate orchestration/reports.py">
<title>{{ title_zh }} / {{ title_en }}</title>
<style>
 body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif;
        margin: 2em auto; max-width: 1320px; color: #222; line-height: 1.45; padding: 0 1em; }
 h1 { font-size: 1.6em; margin-bottom: 0.1em; } h1 + p.en { margin-top: 0; font-size: 1.2em; color: #555; }
 .en { color: #555; }
 .note { background: #fff8e1; border-left: 4px solid #e6a800; padding: 0.6em 1em; margin: 1em 0; }
 table#barometer-summary { border-collapse: collapse; width: 100%; font-size: 0.82em; }
 #barometer-summary th, #barometer-summary td { border: 1px solid #ccc; padding: 3px 5px; vertical-align: top; }
 #barometer-summary th { background: #eef1f5; position: sticky; top: 0; }
 #barometer-summary td.num { text-align: right; white-space: nowrap; }
 td.barometer { text-align: center; white-space: nowrap; font-weight: bold; }
 td.barometer.green { background: #1a9641; color: #fff; } td.barometer.yellow { background: #ffd54f; color: #222; }
 td.barometer.red { background: #d7191c; color: #fff; } td.barometer.not_available { background: #eee; color: #777; font-weight: normal; }
 td.status.illustrative { background: #fff3cd; } .mark { color: #b26a00; font-weight: bold; }
 tr.table1 td.name { font-weight: bold; }
 section.indicator { border-top: 1px solid #ddd; margin-top: 1.5em; padding-top: 0.5em; page-break-inside: avoid; }
 section.indicator h3 { margin: 0.3em 0; }
 div.indicator-chart { width: 100%; height: 360px; }
 p.explanation-zh { margin: 0.4em 0 0.2em 0; } p.explanation-en { margin: 0.2em 0 0.6em 0; color: #555; }
 footer { margin-top: 2em; font-size: 0.8em; color: #777; }
</style>
<script type="text/javascript">{{ plotly_js | safe }}</script>
</head>
<body>
<header>
<h1 id="report-title">{{ title_zh }}</h1>
<p class="en" id="report-title-en">{{ title_en }}</p>
<p>数据截至{{ year }}年，{{ targets }}项目标、{{ target_rows }}条目标地区记录；晴雨表（2020年规则）绿{{ b20.green }}、黄{{ b20.yellow }}、红{{ b20.red }}、无法评估{{ b20.not_available }}。
<span class="en">Data for {{ year }}: {{ targets }} targets, {{ target_rows }} target-region rows; barometer (2020 rule) green {{ b20.green }}, yellow {{ b20.yellow }}, red {{ b20.red }}, not available {{ b20.not_available }}.</span></p>
</header>
<div class="note" id="illustrative-note">
<p>※ 标注的数值为示例数据（data_status = 'illustrative'），用于演示本流程，并非官方公布数：本年{{ target_rows }}条记录中有{{ illustrative_rows }}条{% if illustrative_charts %}；图表中含示例数据的指标：{{ illustrative_charts | join('、') }}{% endif %}。空心圆点为示例数据。</p>
<p class="en">※ marks illustrative sample values (data_status = 'illustrative') written to exercise this pipeline, not published figures: {{ illustrative_rows }} of the {{ target_rows }} rows of {{ year }}{% if illustrative_charts_en %}; charts with illustrative values: {{ illustrative_charts_en | join(', ') }}{% endif %}. Open circles in the charts are illustrative values.</p>
</div>

<h2 id="summary">一、目标进展总览 <span class="en">Summary of every target</span></h2>
<p>实际值、均衡路径要求值和目标值均按目标口径（累计下降类为较2020年累计下降%，其下注明水平值）。晴雨表：2020年规则（发改办环资〔2020〕901号）与2021年规则（发改办环资〔2021〕629号）。
<span class="en">Actual, required (even path) and target are in the target's terms (for cumulative declines the decline since 2020 in %, with the level below). Barometer: the NDRC 2020 and 2021 rules.</span></p>
<table id="barometer-summary">
<thead><tr>
<th>#</th><th>指标 Indicator</th><th>地区 Region</th><th>类别 Category</th><th>牵头部门 Department</th>
<th>实际 Actual</th><th>要求 Required</th><th>目标 Target</th>
<th>晴雨表2020 Barometer 2020</th><th>晴雨表2021 Barometer 2021</th><th>Open SDG</th><th>UNSD</th><th>数据状态 Data status</th>
</tr></thead>
<tbody>
{% for r in rows %}<tr class="target-row{% if r.in_table1 %} table1{% endif %}" data-indicator="{{ r.indicator_id }}" data-region="{{ r.region_code }}">
<td>{{ r.table1_number or '' }}</td>
<td class="name">{{ r.name_zh }}<br><span class="en">{{ r.name_en }}</span></td>
<td>{{ r.region_zh }}<br><span class="en">{{ r.region_en }}</span></td>
<td>{{ r.category_zh }}<br><span class="en">{{ r.category_en }}</span></td>
<td>{{ r.department_zh }}</td>
<td class="num">{{ r.actual }}{% if r.illustrative %} <span class="mark" title="示例数据 illustrative">※</span>{% endif %}{% if r.level %}<br><span class="en">{{ r.level }}</span>{% endif %}</td>
<td class="num">{{ r.required }}</td>
<td class="num">{{ r.target }}</td>
<td class="barometer b2020 {{ r.barometer_2020 }}">{{ r.b2020_zh }} {{ r.b2020_en }}</td>
<td class="barometer b2021 {{ r.barometer_2021 }}">{{ r.b2021_zh }} {{ r.b2021_en }}</td>
<td>{{ r.sdg_zh }}<br><span class="en">{{ r.sdg_en }}</span></td>
<td>{{ r.unsd_zh }}<br><span class="en">{{ r.unsd_en }}</span></td>
<td class="status {{ r.data_status or 'none' }}">{% if r.illustrative %}※ {% endif %}{{ r.status_zh }}<br><span class="en">{{ r.status_en }}</span></td>
</tr>
{% endfor %}</tbody>
</table>

<h2 id="table1">二、表1主要指标 <span class="en">The plan's Table 1 indicators</span></h2>
<p>实线为实际值（2020—{{ year }}年，点的颜色为当年晴雨表（2020年规则）），虚线为2021—2025年均衡路径要求，星号为2025年目标。
<span class="en">Solid line: actual values 2020–{{ year }} (dots coloured by that year's barometer, 2020 rule); dashed: the even path required 2021–2025; star: the 2025 target.</span></p>
{% for c in charts %}<section class="indicator" id="indicator-{{ c.indicator_id }}" data-indicator="{{ c.indicator_id }}">
<h3>{{ c.number }}. {{ c.name_zh }} <span class="en">{{ c.name_en }}</span></h3>
<div class="indicator-chart" id="chart-{{ c.indicator_id }}">{{ c.html | safe }}</div>
<p class="explanation-zh" lang="zh-CN">{{ c.explanation_zh }}</p>
<p class="explanation-en en" lang="en">{{ c.explanation_en }}</p>
</section>
{% endfor %}
<footer>
<p>来源：marts.fct_target_tracking、marts.dim_indicator、marts.dim_region（{{ warehouse }}），生成于{{ generated }}。方法见项目README“Target tracking”。
<span class="en">Source: marts.fct_target_tracking, marts.dim_indicator, marts.dim_region ({{ warehouse }}), generated {{ generated }}. Methods: the README's "Target tracking".</span></p>
</footer>
</body>
</html>
"""

_env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def _summary_row(r: dict) -> dict:
    unit = r["target_unit"] or ""
    level = None
    if r["target_form"] == "cumulative_decline" and r["actual_value"] is not None:
        level = f"{_fmt(r['actual_value'], 4)} {r['value_unit'] or ''}".strip()
    actual = r["progress_value"]
    cat, b20, b21 = _label(r["category"]), _label(r["barometer_2020"]), _label(r["barometer_2021"])
    sdg, unsd, status = _label(r["open_sdg_status"]), _label(r["unsd_status"]), _label(r["data_status"])
    return {
        **r,
        "actual": f"{_fmt(actual)} {unit}".strip() if actual is not None else "—",
        "level": level,
        "required": f"{_fmt(r['required_value'])} {unit}".strip() if r["required_value"] is not None else "—",
        "target": f"{_fmt(r['target_value'])} {unit}".strip() if r["target_value"] is not None else "—",
        "illustrative": r["data_status"] == "illustrative",
        "category_zh": cat[0], "category_en": cat[1],
        "b2020_zh": b20[0], "b2020_en": b20[1], "b2021_zh": b21[0], "b2021_en": b21[1],
        "sdg_zh": sdg[0], "sdg_en": sdg[1], "unsd_zh": unsd[0], "unsd_en": unsd[1],
        "status_zh": status[0] if r["data_status"] else "无数据", "status_en": status[1] if r["data_status"] else "no data",
    }


def build_report(con, year: int, warehouse_label: str = "") -> tuple[str, ReportResult]:
    """The report's HTML for `year` from an open (read-only) connection, and its counts."""
    rows = _rows(con.execute(SUMMARY_SQL, [year]))
    if not rows:
        raise ValueError(f"marts.fct_target_tracking has no rows for {year} (the plan's years are 2021-2025)")
    series: dict[str, list[dict]] = {}
    for s in _rows(con.execute(SERIES_SQL, [CITY])):
        series.setdefault(s["indicator_id"], []).append(s)
    table1 = [r for r in rows if r["in_table1"] and r["region_code"] == CITY]
    charts, illustrative_zh, illustrative_en = [], [], []
    config = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
    for r in table1:
        ind_series = series.get(r["indicator_id"], [])
        fig = _chart(r, ind_series, year)
        if any(s["data_status"] == "illustrative" for s in ind_series if s["year"] <= year):
            illustrative_zh.append(r["name_zh"])
            illustrative_en.append(r["name_en"])
        charts.append({
            "indicator_id": r["indicator_id"], "number": r["table1_number"], "name_zh": r["name_zh"],
            "name_en": r["name_en"], "explanation_zh": r["explanation_zh"], "explanation_en": r["explanation_en"],
            "html": fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{r['indicator_id']}",
                                config=config, default_height="360px"),
        })
    b20 = {c: sum(r["barometer_2020"] == c for r in rows) for c in BAROMETER_COLOURS}
    b21 = {c: sum(r["barometer_2021"] == c for r in rows) for c in BAROMETER_COLOURS}
    illustrative_rows = sum(r["data_status"] == "illustrative" for r in rows)
    targets = len({r["indicator_id"] for r in rows})
    html = _env.from_string(TEMPLATE).render(
        title_zh=f"巴彦淖尔市“十四五”应对气候变化规划目标进展报告（{year}年）",
        title_en=f"Bayannur climate plan: progress report {year}",
        year=year, rows=[_summary_row(r) for r in rows], charts=charts, targets=targets, target_rows=len(rows),
        b20=b20, illustrative_rows=illustrative_rows, illustrative_charts=illustrative_zh,
        illustrative_charts_en=illustrative_en, plotly_js=get_plotlyjs(), warehouse=warehouse_label,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
    result = ReportResult(path=Path(), year=year, target_rows=len(rows), targets=targets, charts=len(charts),
                          barometer_2020=b20, barometer_2021=b21, illustrative_rows=illustrative_rows)
    return html, result


def report_path(year: int, warehouse: Path | None = None) -> Path:
    return (warehouse or settings.WAREHOUSE_PATH).parent / "reports" / f"progress_report_{year}.html"


def render_report(year: int | None = None, warehouse: Path | None = None) -> ReportResult:
    """Write the report for `year` (default: the latest year with any tracked row) beside the
    warehouse, in reports/progress_report_<year>.html; the warehouse is opened read-only."""
    warehouse = warehouse or settings.WAREHOUSE_PATH
    with connect(read_only=True, path=warehouse) as con:
        if year is None:
            year = latest_tracked_year(con)
            if year is None:
                raise ValueError("marts.fct_target_tracking has no tracked row yet: nothing to report")
        html, result = build_report(con, year, warehouse_label=warehouse.name)
    path = report_path(year, warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a page
    result.path, result.size_bytes = path, path.stat().st_size
    return result
