"""The explanation as the bureau writes it (issue 13, item 3): the macro
tracking__bureau_explanation compiled by dbt and run on hand-made tracking rows, one or two per
target form, against sentences written out by hand (Chinese and English). Inputs are chosen so
that each number's rounding can be checked by eye: intensities 4 decimals, rates and 个百分点 2,
progress shares 1; 时间进度 as a percentage; units in Chinese with the plan's price base."""

from __future__ import annotations

import duckdb
import pytest

from tests.compiled import compile_inline

COLUMNS = {
    "indicator_id": "VARCHAR", "name_zh": "VARCHAR", "name_en": "VARCHAR", "region_name_zh": "VARCHAR",
    "region_name_en": "VARCHAR", "year": "INTEGER", "k": "INTEGER", "period_years": "INTEGER", "target_form": "VARCHAR",
    "desired_direction": "VARCHAR", "target_value": "DOUBLE", "target_unit": "VARCHAR", "value_unit": "VARCHAR",
    "price_base_year": "INTEGER", "actual_value": "DOUBLE", "base_value": "DOUBLE", "progress_value": "DOUBLE",
    "required_value": "DOUBLE", "share_done": "DOUBLE", "required_per_remaining_year": "DOUBLE",
    "worsened_year_on_year": "BOOLEAN", "is_met": "BOOLEAN", "official_status": "VARCHAR", "official_rule": "VARCHAR",
    "judged_basis": "VARCHAR", "data_status": "VARCHAR", "tracking_status": "VARCHAR", "not_available_reason": "VARCHAR",
    "target_source": "VARCHAR", "region_requirement_value": "DOUBLE", "final_verdict": "VARCHAR",
    "final_verdict_zh": "VARCHAR", "consecutive_years_met": "INTEGER", "bound_strict": "BOOLEAN",
}
CITY = {"region_name_zh": "巴彦淖尔市", "region_name_en": "Bayannur City", "period_years": 5, "price_base_year": 2020,
        "tracking_status": "tracked", "target_source": "plan", "data_status": "illustrative"}
ENERGY = {**CITY, "name_zh": "单位地区生产总值能耗下降", "name_en": "Decline in energy consumption per unit of GDP",
          "target_form": "cumulative_decline", "desired_direction": "decrease", "target_value": 15.5, "target_unit": "%",
          "value_unit": "tce/万元 (2020年价)", "official_rule": "dual-control barometer 2021 rule",
          "judged_basis": "plain_statistics"}
ROWS = [
    # 1 - 1.245236 / 1.278815 = 2.6258 % -> 2.63; 1 - 0.845^(3/5) = 9.61 %; ln(0.973742)/ln(0.845) = 16.1 %;
    # 1 - (0.845 / 0.973742)^(1/2) = 6.84 %; 时间进度 3/5 = 60.0 %
    {**ENERGY, "indicator_id": "decline_behind", "year": 2023, "k": 3, "actual_value": 1.245236, "base_value": 1.278815,
     "progress_value": 2.6258, "required_value": 9.6114, "share_done": 0.16098, "required_per_remaining_year": 6.8449,
     "is_met": False, "official_status": "yellow", "data_status": "preliminary"},
    # met, but risen on the year before: red by the 2021 rule, said without contradiction; no "需下降"
    {**ENERGY, "indicator_id": "decline_met_red", "year": 2024, "k": 4, "actual_value": 1.0700, "base_value": 1.2788,
     "progress_value": 16.3278, "required_value": 12.6102, "share_done": 1.06, "required_per_remaining_year": 0.0,
     "worsened_year_on_year": True, "is_met": True, "official_status": "red"},
    # 70.53 - 68.12 = 2.41 个百分点; a cap met at the base is a bound, not a path; <75 is strict (低于)
    {**CITY, "indicator_id": "cap", "bound_strict": True, "name_zh": "煤炭消费比重", "name_en": "Coal share of total energy consumption",
     "year": 2024, "k": 4, "target_form": "level_at_most", "desired_direction": "decrease", "target_value": 75.0,
     "target_unit": "%", "value_unit": "%", "actual_value": 68.12, "base_value": 70.53, "progress_value": 68.12,
     "required_value": 75.0, "is_met": True, "official_status": "green", "official_rule": "plan wording: bound"},
    # 10.65 - 8.32 = 2.33 个百分点; the region's 18 % (达到自治区要求); last year to go: 2025年需
    {**CITY, "indicator_id": "floor_region", "name_zh": "非化石能源消费占比", "name_en": "Non-fossil share of energy consumption",
     "year": 2024, "k": 4, "target_form": "level_at_least", "desired_direction": "increase", "target_value": 18.0,
     "target_unit": "%", "value_unit": "%", "actual_value": 10.65, "base_value": 8.32, "progress_value": 10.65,
     "required_value": 16.064, "share_done": 0.2411, "required_per_remaining_year": 7.35, "is_met": False,
     "official_status": "red", "official_rule": "even path", "target_source": "autonomous_region",
     "region_requirement_value": 18.0},
    # 316 - 306 = 10; four falls in a row
    {**CITY, "indicator_id": "direction", "name_zh": "燃煤发电机组平均供电煤耗", "name_en": "Average supply coal rate of coal power",
     "year": 2024, "k": 4, "target_form": "direction_only", "desired_direction": "decrease", "target_unit": "克标准煤/千瓦时",
     "value_unit": "克标准煤/千瓦时", "actual_value": 306.0, "base_value": 316.0, "progress_value": 306.0, "is_met": True,
     "official_status": "green", "official_rule": "plan wording: direction", "consecutive_years_met": 4,
     "tracking_status": "tracked (direction only)"},
    # 82.5 x 4/5 = 66; 66.5 / 82.5 = 80.6 %; 82.5 - 66.5 = 16 in the last year
    {**CITY, "indicator_id": "period_total", "name_zh": "造林面积", "name_en": "Area afforested", "year": 2024, "k": 4,
     "target_form": "completed_over_period", "desired_direction": "increase", "target_value": 82.5, "target_unit": "万亩",
     "value_unit": "万亩", "actual_value": 66.5, "base_value": 0.0, "progress_value": 66.5, "required_value": 66.0,
     "share_done": 0.80606, "required_per_remaining_year": 16.0, "is_met": False, "official_status": "green",
     "official_rule": "even path"},
    # 28 - 27.5 = 0.50 个百分点 below the hold
    {**CITY, "indicator_id": "hold", "name_zh": "草原综合植被盖度", "name_en": "Grassland vegetation cover", "year": 2024,
     "k": 4, "target_form": "hold_at", "desired_direction": "increase", "target_value": 28.0, "target_unit": "%",
     "value_unit": "%", "actual_value": 27.5, "base_value": 28.0, "progress_value": 27.5, "required_value": 28.0,
     "is_met": False, "official_status": "red", "official_rule": "plan wording: hold", "data_status": "final"},
    {**CITY, "indicator_id": "missing", "name_zh": "化肥利用率", "name_en": "Fertiliser use efficiency", "year": 2024,
     "k": 4, "target_form": "level_at_least", "target_value": 43.0, "target_unit": "%", "tracking_status": "not_available",
     "not_available_reason": "no delivery carries this indicator yet (expected from: agriculture)",
     "official_status": "not_available", "official_rule": "no data", "data_status": None},
]
EXPECTED_ZH = {
    "decline_behind": "单位地区生产总值能耗下降（巴彦淖尔市，2023年）：2023年为1.2452吨标准煤/万元（2020年可比价），比2020年（1.2788）"
                      "累计下降2.63%。目标为到2025年累计下降15.5%，按时间进度60.0%应累计下降9.61%，目标完成进度16.1%。"
                      "评价：黄灯（能耗双控晴雨表2021年规则）。余下2年年均需下降6.84%。考核口径：常规统计（未扣除原料用能和新增可再生能源）。"
                      "核算方法：电力按火电供电煤耗折标准煤。数据：初步数。",
    "decline_met_red": "单位地区生产总值能耗下降（巴彦淖尔市，2024年）：2024年为1.0700吨标准煤/万元（2020年可比价），比2020年（1.2788）"
                       "累计下降16.33%。目标为到2025年累计下降15.5%，按时间进度80.0%应累计下降12.61%，目标完成进度106.0%。"
                       "当年值已达到目标要求，但较上年反向变化。评价：红灯（能耗双控晴雨表2021年规则）。"
                       "考核口径：常规统计（未扣除原料用能和新增可再生能源）。核算方法：电力按火电供电煤耗折标准煤。数据：示例数据（非公布数）。",
    "cap": "煤炭消费比重（巴彦淖尔市，2024年）：2024年为68.12%，比2020年（70.53%）下降2.41个百分点。目标为到2025年低于75%，"
           "为每年均须保持的上限。当年值已达到目标要求。评价：绿灯（按规划表述：上下限每年均须保持）。数据：示例数据（非公布数）。",
    "floor_region": "非化石能源消费占比（巴彦淖尔市，2024年）：2024年为10.65%，比2020年（8.32%）提高2.33个百分点。"
                    "目标为到2025年不低于18%（达到自治区要求，自治区目标为18%），按时间进度80.0%应达到16.06%，目标完成进度24.1%。"
                    "评价：红灯（按时间进度均衡路径）。2025年需提高7.35个百分点。数据：示例数据（非公布数）。",
    "direction": "燃煤发电机组平均供电煤耗（巴彦淖尔市，2024年）：2024年为306克标准煤/千瓦时，比2020年（316）下降10克标准煤/千瓦时。"
                 "规划要求持续下降（无量化目标）。当年符合要求，已连续4年下降。评价：绿灯（按规划表述：逐年方向）。数据：示例数据（非公布数）。",
    "period_total": "造林面积（巴彦淖尔市，2024年）：2021年以来累计完成66.5万亩。目标为到2025年累计完成82.5万亩，按时间进度80.0%应完成66万亩，"
                    "目标完成进度80.6%。评价：绿灯（按时间进度均衡路径）。2025年需完成16万亩。数据：示例数据（非公布数）。",
    "hold": "草原综合植被盖度（巴彦淖尔市，2024年）：2024年为27.50%，比2020年（28.00%）下降0.50个百分点。目标为稳定在28%。"
            "当年低于目标0.50个百分点。评价：红灯（按规划表述：稳定在目标值）。数据：最终数。",
    "missing": "化肥利用率（巴彦淖尔市，2024年）：暂无法评估——尚无部门交付此指标的数据。",
}
EXPECTED_EN = {
    "decline_behind": "Decline in energy consumption per unit of GDP (Bayannur City, 2023): 1.2452 tce per 10,000 yuan "
                      "(2020 prices) in 2023, 2.63 % below 2020 (1.2788). Target: a cumulative decline of 15.5 % by 2025; "
                      "at 60.0 % of the period the even path requires a decline of 9.61 %; 16.1 % of the target done. "
                      "Verdict: yellow (dual-control barometer 2021 rule). Required in each of the remaining 2 years: "
                      "a decline of 6.84 %. Basis judged: plain statistics (feedstock and added renewable energy not deducted). "
                      "Accounting: electricity at the supply coal rate of coal power. Data: preliminary.",
    "cap": "Coal share of total energy consumption (Bayannur City, 2024): 68.12 % in 2024, down 2.41 percentage points "
           "on 2020 (70.53 %). Target: below 75 % by 2025, a cap to keep every year. This year's value meets the "
           "target. Verdict: green (plan wording: bound). Data: illustrative.",
    "floor_region": "Non-fossil share of energy consumption (Bayannur City, 2024): 10.65 % in 2024, up 2.33 percentage "
                    "points on 2020 (8.32 %). Target: at least 18 % by 2025 (the autonomous region's requirement: 18 %); "
                    "at 80.0 % of the period the even path requires 16.06 %; 24.1 % of the target done. Verdict: red "
                    "(even path). Required in 2025: a rise of 7.35 percentage points. Data: illustrative.",
    "period_total": "Area afforested (Bayannur City, 2024): 66.5 (10,000 mu) completed since 2021. Target: 82.5 "
                    "(10,000 mu) by 2025; at 80.0 % of the period the even path requires 66 (10,000 mu); 80.6 % of the "
                    "target done. Verdict: green (even path). Required in 2025: 16 (10,000 mu). Data: illustrative.",
    "missing": "Fertiliser use efficiency (Bayannur City, 2024): not available - no department has delivered this "
               "indicator yet.",
}


@pytest.fixture(scope="module")
def explained(tmp_path_factory) -> dict[str, tuple[str, str]]:
    workdir = tmp_path_factory.mktemp("explanations")
    sql = compile_inline("select indicator_id, {{ tracking__bureau_explanation('zh') }} as zh, "
                         "{{ tracking__bureau_explanation('en') }} as en from fixture", workdir)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE fixture ({', '.join(f'{c} {t}' for c, t in COLUMNS.items())})")
    for row in ROWS:
        con.execute(f"INSERT INTO fixture ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    return {r[0]: (r[1], r[2]) for r in con.execute(sql).fetchall()}


@pytest.mark.parametrize("indicator", sorted(EXPECTED_ZH))
def test_the_chinese_sentence_is_the_bureaus(explained, indicator):
    assert explained[indicator][0] == EXPECTED_ZH[indicator]


@pytest.mark.parametrize("indicator", sorted(EXPECTED_EN))
def test_the_english_sentence_says_the_same(explained, indicator):
    assert explained[indicator][1] == EXPECTED_EN[indicator]


def test_no_sentence_contradicts_itself(explained):
    for indicator, (zh, en) in explained.items():
        assert "%个百分点" not in zh and "tce/" not in zh and "(2020年价)" not in zh, indicator
        if "红灯" in zh and "已达到" in zh:  # only with the reason, never "红灯…已达到目标" bare
            assert "但较上年反向变化" in zh, indicator
        if "已达到目标要求" in zh:
            assert "需下降" not in zh and "需提高" not in zh, indicator
