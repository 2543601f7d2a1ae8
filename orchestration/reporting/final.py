"""The final evaluation (期末评估) of a plan, with the mid-term (中期评估) view: each target's
verdict in the last year, the binding targets missed, the path of its official status, the year
first met, and the same for each county target. Before the last year is delivered the page says
so and shows the latest status instead of a verdict."""

from __future__ import annotations

from orchestration.reporting import data
from orchestration.reporting.labels import CATEGORY, STATUS, VERDICTS, fmt, label


def build_final_evaluation(con, plan_id: str | None = None, warehouse_label: str = "") -> dict:
    plan_id = plan_id or data.default_plan(con)
    rows = data.rows(con, data.FINAL_SQL, [plan_id])
    if not rows:
        raise ValueError(f"marts.fct_final_evaluation has no rows for plan {plan_id}")
    final_year, mid_year = rows[0]["final_year"], rows[0]["mid_term_year"]
    complete = sum(r["evaluation_state"] == "complete" for r in rows)
    for r in rows:
        r["verdict"] = label(VERDICTS, r["final_verdict"]) if r["final_verdict"] else None
        r["category_zh"], r["category_en"] = label(CATEGORY, r["category"])
        r["path"] = [(int(y), s) for y, s in (p.split(":") for p in r["status_path"].split(","))]
        r["mid"] = label(STATUS, r["mid_term_status"])
        r["latest"] = label(STATUS, r["latest_status"])
        r["final_value"] = fmt(r["final_progress_value"], "rate" if r["target_unit"] == "%" else "amount")
    verdicts = {v: sum(r["final_verdict"] == v for r in rows) for v in VERDICTS}
    mid = {s: sum(r["mid_term_status"] == s for r in rows) for s in ("green", "yellow", "red", "not_available")}
    binding_missed = [r for r in rows if r["binding_missed"]]
    city = next(r for r in rows if r["region_level"] == "city")
    return {
        "title_zh": f"{city['region_zh']}应对气候变化规划期末评估（{final_year}年）",
        "title_en": f"{city['region_en'].removesuffix(' City')} climate plan: final evaluation ({final_year})",
        "plan_id": plan_id, "final_year": final_year, "mid_year": mid_year, "complete": complete, "total": len(rows),
        "all_complete": complete == len(rows), "none_complete": complete == 0, "verdicts": verdicts,
        "verdict_labels": VERDICTS, "mid": mid, "binding_missed": binding_missed,
        "city": [r for r in rows if r["region_level"] == "city"],
        "counties": [r for r in rows if r["region_level"] == "county"],
        "warehouse": warehouse_label, "sources": "marts.fct_final_evaluation",
    }
