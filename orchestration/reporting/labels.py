"""Words and numbers as the report prints them (Chinese first, English alongside).

Rounding is the bureau's, as in the explanation macro (transforms/macros/tracking_explanation.sql):
intensities 4 decimals, rates and percentage points 2, progress shares 1, other amounts up to 2.
"""

from __future__ import annotations

import math

STATUS = {
    "green": ("绿灯", "green"), "yellow": ("黄灯", "yellow"), "red": ("红灯", "red"),
    "not_available": ("无法评估", "n/a"), None: ("无法评估", "n/a"),
}
STATUS_COLOURS = {"green": "#1a9641", "yellow": "#e6a800", "red": "#d7191c", "not_available": "#9e9e9e"}
RULES = {
    "dual-control barometer 2021 rule": "能耗双控晴雨表（2021年规则）",
    "plan wording: bound": "按规划表述：上下限每年均须保持",
    "plan wording: hold": "按规划表述：稳定在目标值",
    "plan wording: direction": "按规划表述：逐年方向",
    "even path": "按时间进度均衡路径",
    "no data": "无数据",
}
VERDICTS = {"exceeded": ("超额完成", "exceeded"), "completed": ("完成", "completed"),
            "completed_early": ("提前完成", "completed early"), "not_completed": ("未完成", "not completed")}
CATEGORY = {"binding": ("约束性", "binding"), "expected": ("预期性", "expected"), "aspirational": ("力争", "aspirational"),
            "planned": ("计划", "planned"), "unspecified": ("未明确", "unspecified")}
DATA_STATUS = {"final": ("最终数", "final"), "preliminary": ("初步数", "preliminary"),
               "illustrative": ("示例数据", "illustrative"), None: ("无数据", "no data")}
INTERNATIONAL = {
    "target_achieved": ("已达到目标", "target achieved"), "substantial_progress": ("显著进展", "substantial progress"),
    "moderate_progress": ("中等进展", "moderate progress"), "limited_progress": ("有限进展", "limited progress"),
    "deterioration": ("倒退", "deterioration"), "on_track": ("可如期实现", "on track"),
    "acceleration_needed": ("需要加快", "acceleration needed"),
    "stagnation_or_regression": ("停滞或倒退", "stagnation or regression"), "not_available": ("无法评估", "n/a"),
}
CONTEXT = {"autonomous_region": ("自治区", "autonomous region"), "national": ("全国", "national")}
COMPARED = {"stricter": ("本市更严", "city stricter"), "same": ("相同", "same"), "looser": ("本市较宽", "city looser"),
            "not_comparable": ("不可直接比较", "not comparable")}
GRID = {"north_china": ("华北区域电网", "North China grid"), "inner_mongolia": ("内蒙古电网", "Inner Mongolia grid"),
        "national": ("全国电网平均", "national average")}
DIGITS = {"intensity": 4, "rate": 2, "progress": 1, "amount": 2}
FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, sans-serif"


def label(table: dict, code) -> tuple[str, str]:
    return table.get(code, (code or "—", code or "—"))


def kind_of(unit: str | None) -> str:
    unit = unit or ""
    if "/万元" in unit or "/万吨公里" in unit:
        return "intensity"
    return "rate" if unit == "%" else "amount"


def fmt(x, kind: str = "amount") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    text = f"{x:,.{DIGITS[kind]}f}"
    if kind == "amount":
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def unit_zh(unit: str | None, price_base_year: int | None) -> str:
    """The bureau's unit: 吨标准煤/万元（2020年可比价）, the price base from the plan."""
    stem = (unit or "").split(" (")[0]
    if stem == "tce/万元":
        return f"吨标准煤/万元（{price_base_year}年可比价）"
    if stem == "tCO2/万元":
        return f"吨二氧化碳/万元（{price_base_year}年可比价）"
    if stem == "tCO2/万吨公里":
        return "吨二氧化碳/万吨公里"
    return unit or ""
