"""Plotly figures of the reports. Every figure carries its title, the illustrative mark and the
source inside the figure itself, so a chart saved with the camera button (toImageButtonOptions)
keeps them. Axes start at zero (no zoom that exaggerates a change). A cap or floor that the plan
sets as a bound is drawn as the bound, never as a path from the base."""

from __future__ import annotations

import plotly.graph_objects as go

from orchestration.reporting.labels import FONT, STATUS_COLOURS, fmt, kind_of, unit_zh

BOUND_RULES = {"plan wording: bound", "plan wording: hold"}
MARK_ZH, MARK_EN = "※ 含示例数据（非公布数）", "illustrative sample values"


def config(name: str) -> dict:
    return {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"],
            "toImageButtonOptions": {"format": "png", "filename": name, "width": 1000, "height": 520, "scale": 2}}


def _frame(fig: go.Figure, title_zh: str, title_en: str, illustrative: bool, source: str, height: int = 400) -> None:
    annotations = [{"text": f"来源 source: {source}", "xref": "paper", "yref": "paper", "x": 0, "y": -0.36,
                    "showarrow": False, "font": {"size": 10, "color": "#777"}, "xanchor": "left"}]
    if illustrative:
        annotations.append({"text": f"{MARK_ZH} / {MARK_EN}", "xref": "paper", "yref": "paper", "x": 1, "y": 1.12,
                            "showarrow": False, "font": {"size": 11, "color": "#b26a00"}, "xanchor": "right"})
    fig.update_layout(
        title={"text": f"{title_zh}<br><span style='font-size:12px;color:#555'>{title_en}</span>", "x": 0.01},
        height=height, margin={"l": 70, "r": 20, "t": 90, "b": 110}, template="plotly_white",
        legend={"orientation": "h", "y": -0.14}, font={"family": FONT}, annotations=annotations)
    fig.update_yaxes(rangemode="tozero")


def indicator_chart(row: dict, points: list[dict], year: int) -> go.Figure:
    """Actual values (base year .. year) in the target's terms and the requirement: the bound for
    caps, floors and holds; the even path to the target otherwise; nothing for a direction."""
    form, base_year = row["target_form"], row["base_year"]
    last_year = base_year + row["period_years"]
    from_zero = form in ("cumulative_decline", "completed_over_period")
    actual = [(base_year, 0.0 if from_zero else row["base_value"], "base", None)]
    actual += [(p["year"], p["progress_value"], p["data_status"], p["official_status"])
               for p in points if p["year"] <= year and p["progress_value"] is not None]
    actual = [a for a in actual if a[1] is not None]
    fig = go.Figure()
    target = row["target_value"]
    if target is not None and (row["official_rule"] in BOUND_RULES or form == "hold_at"):
        word = {"level_at_most": ("上限", "cap"), "level_at_least": ("下限", "floor")}.get(form, ("目标值", "hold"))
        fig.add_trace(go.Scatter(
            x=[base_year, last_year], y=[target, target], mode="lines", line={"color": "#b2182b", "width": 2},
            name=f"{word[0]} {fmt(target)}（每年均须保持） {word[1]} kept every year",
            hovertemplate=f"{word[0]} {word[1]}: %{{y}}<extra></extra>"))
    elif target is not None:
        path = [(base_year, 0.0 if from_zero else row["base_value"])]
        path += [(p["year"], p["required_value"]) for p in points if p["required_value"] is not None]
        path = [p for p in path if p[1] is not None]
        fig.add_trace(go.Scatter(
            x=[x for x, _ in path], y=[y for _, y in path], mode="lines", line={"dash": "dash", "color": "#4a6fa5"},
            name="按时间进度的均衡路径 even path", hovertemplate="%{x}: %{y:.4~f}<extra>required</extra>"))
        fig.add_trace(go.Scatter(
            x=[last_year], y=[target], mode="markers", marker={"symbol": "star", "size": 16, "color": "#333"},
            name=f"{last_year}年目标 target {fmt(target)}", hovertemplate="%{x}: %{y}<extra>target</extra>"))
    if actual:
        colours = [STATUS_COLOURS.get(a[3] or "", "#444") for a in actual]
        fig.add_trace(go.Scatter(
            x=[a[0] for a in actual], y=[a[1] for a in actual], mode="lines+markers", name="实际 actual",
            line={"color": "#222", "width": 2},
            marker={"size": 11, "color": colours, "line": {"width": 2, "color": colours},
                    "symbol": ["circle-open" if a[2] == "illustrative" else "circle" for a in actual]},
            customdata=[[a[2]] for a in actual], hovertemplate="%{x}: %{y:.4~f} (%{customdata[0]})<extra>actual</extra>"))
    unit = unit_zh(row["value_unit"] if not from_zero else row["target_unit"], row["price_base_year"])
    axis = {"cumulative_decline": f"累计下降（%） decline since {base_year}",
            "completed_over_period": f"{base_year + 1}年以来累计完成（{row['target_unit']}）"}.get(form, unit)
    illustrative = any(a[2] == "illustrative" for a in actual)
    _frame(fig, row["name_zh"], row["name_en"], illustrative, f"marts.fct_target_tracking, {row['region_zh']}")
    fig.update_xaxes(range=[base_year - 0.4, last_year + 0.4], dtick=1)
    fig.update_yaxes(title={"text": axis})
    return fig


def county_chart(name_zh: str, name_en: str, rows: list[dict], year: int) -> go.Figure:
    """Each county's value in `year` in the target's terms, its target as a mark."""
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=[r["region_zh"] for r in rows], y=[r["progress_value"] for r in rows], name=f"{year}年实际 actual",
        marker={"color": [STATUS_COLOURS.get(r["official_status"] or "", "#999") for r in rows]},
        text=[fmt(r["progress_value"], kind_of(r["value_unit"])) for r in rows], textposition="outside"))
    fig.add_trace(go.Scatter(
        x=[r["region_zh"] for r in rows], y=[r["target_value"] for r in rows], mode="markers", name="目标 target",
        marker={"symbol": "line-ew-open", "size": 30, "line": {"width": 3, "color": "#b2182b"}}))
    illustrative = any(r["data_status"] == "illustrative" for r in rows)
    _frame(fig, f"{name_zh}（分旗县区，{year}年）", f"{name_en}, by county, {year}", illustrative,
           "marts.fct_target_tracking", height=380)
    return fig


def to_html(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=config(div_id))
