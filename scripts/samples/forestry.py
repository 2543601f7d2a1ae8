"""Write the forestry and grassland bureau's (林草局) sample deliveries under raw/forestry/.

Run by a maintainer when the sample changes: `.venv/bin/python -m scripts.samples.forestry --force`.

Published figures used (each cited in the provenance file beside its delivery):
- 森林覆盖率 6.47 % in 2020 and the 2025 targets (6.97 %, 森林蓄积量 291.7万立方米, 草原综合植被盖度
  稳定在 28 %, 造林 82.5万亩 over 2021-2025, 退化草原修复 100万亩 over 2021-2025): the plan
  (巴彦淖尔市"十四五"应对气候变化规划, 表1, 第四章 and 专栏6).
- 森林覆盖率 6.5 % and 草原综合植被盖度 28.2 % in 2021, 26.9 % at the start of the 2017-2021 term:
  巴彦淖尔市政府工作报告 2022-02 (grade A, shared reference published_figures.md).
Everything else is illustrative, and the provenance files say so. Areas and stocks are not
published as such: the forest areas below only reproduce the published cover ratio.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

PUBLISHER = "巴彦淖尔市林业和草原局"
LICENCE = "Public government information (政府信息公开); sample assembled for this project"
COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
PLAN = "巴彦淖尔市“十四五”应对气候变化规划 (2021-2025)"
WORK_REPORT = "巴彦淖尔市政府工作报告 (2022-02)"

# --- forest resources -------------------------------------------------------------------------

# Land area (万亩). The city total is the commonly quoted 6.44万平方公里 = 9660万亩 (1 km² = 1500亩);
# the plan does not state it, so it is illustrative (not verified here). County areas: illustrative,
# set to add up to the city.
LAND_AREA = {"临河区": 350.0, "五原县": 374.0, "磴口县": 625.0, "乌拉特前旗": 1121.0,
             "乌拉特中旗": 3350.0, "乌拉特后旗": 3580.0, "杭锦后旗": 260.0}
CITY_LAND_AREA = 9660.0  # illustrative (6.44万km²), = sum of LAND_AREA

# City forest area (万亩). Not published; chosen so that forest area / 9660 reproduces the
# published cover: 2020 625.0 -> 6.470 % (plan, 表1: 6.47); 2021 628.0 -> 6.501 % (work report
# 2022: 6.5). 2022-2024: illustrative, on a path to the plan's 6.97 % (673.3万亩) in 2025.
FOREST_AREA = {2020: 625.0, 2021: 628.0, 2022: 637.0, 2023: 646.5, 2024: 655.0}
# Illustrative: each county's share of the city's forest area, and the tree-forest and
# state-designated-shrubland shares of its own forest (the rest: trees around farmland, villages,
# roads and water, 四旁树 etc.). The Urad banners' forest is mostly saxaul shrubland.
FOREST_SPLIT = {
    "临河区": (0.07, 0.55, 0.20), "五原县": (0.06, 0.55, 0.20), "磴口县": (0.16, 0.25, 0.70),
    "乌拉特前旗": (0.20, 0.45, 0.50), "乌拉特中旗": (0.22, 0.10, 0.88),
    "乌拉特后旗": (0.23, 0.08, 0.90), "杭锦后旗": (0.06, 0.55, 0.20),
}
# City forest stock (万立方米). Illustrative: no 2020-2024 value was found; a path to the plan's
# 291.7万立方米 in 2025. Live standing stock (活立木总蓄积量) illustrative at 1.22 times it.
FOREST_STOCK = {2020: 265.0, 2021: 270.2, 2022: 275.8, 2023: 281.0, 2024: 286.3}
LIVE_STOCK_RATIO = 1.22  # illustrative
# Illustrative county shares of the stock: the Wula mountains (乌拉山, 大桦背) in 乌拉特前旗 and
# the farmland shelterbelts of the irrigated counties hold most of it; shrubland holds little.
STOCK_SHARE = {"临河区": 0.14, "五原县": 0.13, "磴口县": 0.12, "乌拉特前旗": 0.30,
               "乌拉特中旗": 0.08, "乌拉特后旗": 0.07, "杭锦后旗": 0.16}

# Delivery quirks, one year each, all declared in the contracts:
AREA_IN_HECTARES = 2022   # 单位：公顷 with thousands separators -> 万亩 (× 0.0015)
STOCK_IN_M3 = 2023        # 单位：立方米 with thousands separators -> 万立方米 (× 0.0001)
# Region names as the bureau wrote them that year (variants in region_aliases.csv).
NAMES = {
    2020: {},
    2021: {"乌拉特前旗": "乌前旗", "杭锦后旗": "杭后旗"},
    2022: {},
    2023: {"乌拉特中旗": "乌中旗", "乌拉特后旗": "乌后旗"},
    2024: {"乌拉特前旗": "乌拉特前旗①"},  # footnote mark on a name, explained under the table
}


def split(total: float, shares: dict[str, float], digits: int = 2) -> dict[str, float]:
    """Counties' parts of a city total, rounded, the rounding remainder on the largest part, so the
    counties add up to the city exactly."""
    parts = {k: round(total * s, digits) for k, s in shares.items()}
    largest = max(shares, key=shares.get)
    parts[largest] = round(total - sum(v for k, v in parts.items() if k != largest), digits)
    return parts


def forest_rows(year: int) -> list[tuple[str, float, float, float, float, float]]:
    """(region, land, forest total, tree forest, shrubland, other) in 万亩; the city row first."""
    area = split(FOREST_AREA[year], {k: v[0] for k, v in FOREST_SPLIT.items()})
    rows = []
    for county in COUNTIES:
        total, (_, tree, shrub) = area[county], FOREST_SPLIT[county]
        t, s = round(total * tree, 2), round(total * shrub, 2)
        rows.append((county, LAND_AREA[county], total, t, s, round(total - t - s, 2)))
    city = ("巴彦淖尔市", CITY_LAND_AREA, FOREST_AREA[year],
            *(round(sum(r[i] for r in rows), 2) for i in (3, 4, 5)))
    return [city] + rows


def stock_rows(year: int) -> list[tuple[str, float, float]]:
    """(region, forest stock, live standing stock) in 万立方米; the city row first."""
    stock = split(FOREST_STOCK[year], STOCK_SHARE)
    live = split(round(FOREST_STOCK[year] * LIVE_STOCK_RATIO, 1), STOCK_SHARE)
    return [("巴彦淖尔市", FOREST_STOCK[year], round(FOREST_STOCK[year] * LIVE_STOCK_RATIO, 1))] + [
        (c, stock[c], live[c]) for c in COUNTIES]


def delivered_name(year: int, name: str) -> str:
    if name == "巴彦淖尔市":
        return "全市" if year <= 2022 else "巴彦淖尔市"
    return NAMES[year].get(name, name)


def thousands(value: float) -> str:
    """A whole number as text with thousands separators, as the bureau's export prints it."""
    return f"{round(value):,}"


def write_forest_resources(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    # Sheet 1: areas. Two-row header, the forest-area group title merged over its parts.
    ws = wb.active
    ws.title = "森林资源"
    ws["A1"] = f"表1  巴彦淖尔市{year}年森林资源面积（按旗县区）"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    hectares = year == AREA_IN_HECTARES
    ws["F2"] = "单位：公顷" if hectares else "单位：万亩"
    ws["F2"].alignment = Alignment(horizontal="right")
    ws["A3"], ws["B3"], ws["C3"] = "地  区", "土地总面积", "森林面积"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:F3")
    for col, name in zip("CDEF", ["合计", "乔木林", "国家特别规定灌木林", "其他"]):
        ws[f"{col}4"] = name
    for r, (name, *values) in enumerate(forest_rows(year), start=5):
        ws.cell(row=r, column=1, value=delivered_name(year, name))
        for c, v in enumerate(values, start=2):
            # 公顷 = 万亩 / 0.0015, printed as whole hectares with thousands separators.
            ws.cell(row=r, column=c, value=thousands(v / 0.0015) if hectares else v)
    note = 13
    ws.cell(row=note, column=1, value="注：1. 森林面积含乔木林地、国家特别规定灌木林地和四旁树等折算面积；"
                                      "森林覆盖率=森林面积÷土地总面积。")
    if year == 2024:
        ws.cell(row=note + 1, column=1, value="    ①含乌拉山国有林场（大桦背）经营面积。")
    ws.cell(row=note + 2, column=1, value="资料来源：森林资源管理“一张图”年度更新（样例数据）。")
    for col, width in zip("ABCDEF", [14, 14, 12, 12, 20, 10]):
        ws.column_dimensions[col].width = width

    # Sheet 2: stocks, one-row header, its own unit line.
    ws = wb.create_sheet("森林蓄积量")
    ws["A1"] = f"表2  巴彦淖尔市{year}年森林蓄积量（按旗县区）"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:C1")
    m3 = year == STOCK_IN_M3
    ws["C2"] = "单位：立方米" if m3 else "单位：万立方米"
    ws["A3"], ws["B3"], ws["C3"] = "地区", "森林蓄积量", "活立木总蓄积量"
    for r, (name, *values) in enumerate(stock_rows(year), start=4):
        ws.cell(row=r, column=1, value=delivered_name(year, name))
        for c, v in enumerate(values, start=2):
            ws.cell(row=r, column=c, value=thousands(v * 10000) if m3 else v)
    ws.cell(row=13, column=1, value="注：活立木总蓄积量含森林、疏林、散生木和四旁树蓄积量。")
    for col, width in zip("ABC", [14, 14, 16]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(year + 1, 3, 15))


def forest_provenance(year: int) -> dict:
    published = {
        2020: f"森林覆盖率 6.47 % in 2020: {PLAN}, 表1 (grade A)",
        2021: f"森林覆盖率 6.5 % in 2021: {WORK_REPORT} (grade A)",
    }.get(year)
    citation = (
        f"{published}. The city forest area is not published: it is set so that forest area / land "
        "area reproduces that cover (land area 9660万亩 = 6.44万平方公里, commonly quoted, not verified "
        "here). Every other value is illustrative."
        if published else "none: no forest area or stock for this year was found; every value is illustrative"
    )
    return dict(
        source="forestry", publisher=PUBLISHER, department_zh="林草局",
        title=f"{year}年森林资源面积及蓄积量（样例交付）", received=f"{year + 1}-03-20",
        status="illustrative", licence=LICENCE, citation=citation,
        illustrative={"regions": "all",
                      "reason": "areas and stocks are not published; county rows split assumed city totals"},
    )


# --- afforestation ----------------------------------------------------------------------------

# City afforestation (造林: 人工造林 + 飞播造林 + 封山(沙)育林, 万亩) a year. Illustrative, on a path to
# the plan's 82.5万亩 over 2021-2025 (专栏6): 66.50万亩 after four years = 80.6 %.
AFFORESTATION = {2021: 17.20, 2022: 16.85, 2023: 16.40, 2024: 16.05}
# Illustrative share of each method in 造林.
METHOD_SHARE = {"人工造林": 0.45, "飞播造林": 0.15, "封山（沙）育林": 0.40}
# 退化林修复 (degraded forest restoration, 万亩): illustrative; it is 营造林 but not 造林, so it is
# a column of its own and not part of the 82.5万亩.
RESTORATION = {2021: 3.00, 2022: 3.50, 2023: 4.00, 2024: 4.20}
# Illustrative county shares per method. Aerial seeding only over the deserts and the Urad banners.
COUNTY_SHARE = {
    "人工造林": {"临河区": 0.10, "五原县": 0.10, "磴口县": 0.22, "乌拉特前旗": 0.16,
                 "乌拉特中旗": 0.15, "乌拉特后旗": 0.17, "杭锦后旗": 0.10},
    "飞播造林": {"磴口县": 0.30, "乌拉特前旗": 0.10, "乌拉特中旗": 0.30, "乌拉特后旗": 0.30},
    "封山（沙）育林": {"临河区": 0.03, "五原县": 0.03, "磴口县": 0.20, "乌拉特前旗": 0.14,
                     "乌拉特中旗": 0.27, "乌拉特后旗": 0.30, "杭锦后旗": 0.03},
    "退化林修复": {"临河区": 0.15, "五原县": 0.15, "磴口县": 0.12, "乌拉特前旗": 0.18,
                   "乌拉特中旗": 0.12, "乌拉特后旗": 0.10, "杭锦后旗": 0.18},
}
# Footnote marks the bureau put on some figures, explained under the table: (year, county, method).
AFFORESTATION_MARKS = {
    (2022, "磴口县", "人工造林"): ("①", "①含乌兰布和沙漠光伏治沙项目配套造林。"),
    (2023, "乌拉特后旗", "飞播造林"): ("①", "①为飞播作业面积，成效待第三年核查。"),
    (2023, "乌拉特中旗", "封山（沙）育林"): ("②", "②含新建围栏封育面积。"),
    (2024, "磴口县", "人工造林"): ("①", "①含乌兰布和沙漠光伏治沙项目配套造林。"),
}
METHODS = ["人工造林", "飞播造林", "封山（沙）育林", "退化林修复"]


def afforestation_rows(year: int) -> list[tuple[str, dict[str, float | None]]]:
    city = {m: round(AFFORESTATION[year] * s, 2) for m, s in METHOD_SHARE.items()}
    # the rounding remainder on the largest method, so the methods add up to the 造林 total
    city["人工造林"] = round(AFFORESTATION[year] - city["飞播造林"] - city["封山（沙）育林"], 2)
    city["退化林修复"] = RESTORATION[year]
    parts = {m: split(city[m], COUNTY_SHARE[m]) for m in METHODS}
    rows = [("巴彦淖尔市", city)]
    for county in COUNTIES:
        rows.append((county, {m: parts[m].get(county) for m in METHODS}))
    return rows


def write_afforestation(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "营造林完成情况"
    ws["A1"] = f"巴彦淖尔市{year}年营造林任务完成情况"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    ws["F2"] = "单位：万亩"
    # Two-row header: 造林 merged over its three methods; the other titles merged down two rows.
    ws["A3"], ws["B3"], ws["C3"], ws["F3"] = "地区", "营造林合计", "造林", "退化林修复"
    for rng in ("A3:A4", "B3:B4", "C3:E3", "F3:F4"):
        ws.merge_cells(rng)
    for col, name in zip("CDE", METHODS[:3]):
        ws[f"{col}4"] = name
    notes = []
    for r, (name, values) in enumerate(afforestation_rows(year), start=5):
        ws.cell(row=r, column=1, value="合计" if name == "巴彦淖尔市" else
                ("杭后旗" if name == "杭锦后旗" and year >= 2023 else name))
        ws.cell(row=r, column=2, value=round(sum(v or 0 for v in values.values()), 2))
        for c, method in enumerate(METHODS, start=3):
            v = values[method]
            mark = AFFORESTATION_MARKS.get((year, name, method))
            if v is None:
                cell = "—"  # no aerial seeding in the irrigated counties
            elif mark:
                cell = f"{v:.2f}{mark[0]}"
                notes.append(mark[1])
            else:
                cell = v
            ws.cell(row=r, column=c, value=cell)
    notes = sorted(set(notes))  # ① before ②
    ws.cell(row=13, column=1, value="注：" + ("".join(notes) or "营造林合计含造林和退化林修复。"))
    ws.cell(row=14, column=1, value="说明：“—”表示无此项任务。")
    for col, width in zip("ABCDEF", [12, 12, 10, 10, 16, 12]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(year + 1, 1, 20))


# --- grassland --------------------------------------------------------------------------------

# One long CSV export (GB18030) from the bureau's reporting system: year, indicator, unit, value.
# (year, indicator, unit, value, source or None for illustrative)
GRASSLAND = [
    # 26.9 % at the start of the 2017-2021 government term: work report 2022-02 (grade A), taken as 2017.
    (2017, "草原综合植被盖度", "%", "26.9", WORK_REPORT),
    (2020, "草原综合植被盖度", "%", "28", f"{PLAN}, 表1"),  # the plan's 2020 baseline
    (2020, "退化草原生态修复面积", "万亩", "18.6", None),   # illustrative
    (2020, "草原管护员", "人", "—", None),                    # not compiled before the 14th plan (illustrative)
    (2021, "草原综合植被盖度", "%", "28.2", WORK_REPORT),     # published, grade A
    (2021, "退化草原生态修复面积", "万亩", "21.5", None),   # illustrative; the plan: 100万亩 over 2021-2025
    (2021, "草原管护员", "人", "712", None),                  # illustrative; plan: one per 10万亩 of grassland
    (2022, "草原综合植被盖度", "%", "28.3", None),            # illustrative (target: stay at 28)
    (2022, "退化草原生态修复面积", "万亩", "20.0", None),   # illustrative
    (2022, "草原管护员", "人", "735", None),                  # illustrative
    (2023, "草原综合植被盖度", "%", "28.1", None),            # illustrative
    (2023, "退化草原生态修复面积", "万亩", "２２．４", None),  # illustrative; full-width digits as exported
    (2023, "草原管护员", "人", "748", None),                  # illustrative
    (2024, "草原综合植被盖度", "%", "28.4", None),            # illustrative
    (2024, "退化草原生态修复面积", "万亩", "19.8", None),   # illustrative
    (2024, "草原管护员", "人", "752", None),                  # illustrative
]
GRASSLAND_HEADER = ["年份", "指标名称", "计量单位", "本年实际"]


def write_grassland(path: Path) -> list[int]:
    """Write the CSV; return the line numbers of the published values."""
    rows: list[list[object]] = [GRASSLAND_HEADER]
    published_lines = []
    for year, indicator, unit, value, source in GRASSLAND:
        rows.append([f"{year}年", indicator, unit, value])
        if source:
            published_lines.append(len(rows))  # CSV line number of this row
    rows.append(["注：草原综合植被盖度为天然草原监测值；草原管护员按每10万亩草原聘用一名配备。"])
    write_csv(path, rows, "gb18030")
    return published_lines


def main() -> int:
    args = arguments(__doc__)
    folder = args.raw_dir / "forestry"
    for year in sorted(FOREST_AREA):
        path = folder / f"forest_resources_{year}.xlsx"
        if may_write(path, args.force):
            write_forest_resources(year, path)
            write_provenance(path, **forest_provenance(year))
    for year in sorted(AFFORESTATION):
        path = folder / f"afforestation_{year}.xlsx"
        if may_write(path, args.force):
            write_afforestation(year, path)
            write_provenance(
                path, source="forestry", publisher=PUBLISHER, department_zh="林草局",
                title=f"{year}年营造林任务完成情况（样例交付）", received=f"{year + 1}-01-25",
                status="illustrative", licence=LICENCE,
                citation="none: no yearly afforestation figures were found (the plan gives only the "
                         "target, 82.5万亩 over 2021-2025, and the 2016-2020 total, 397.03万亩 营造林); "
                         "every value is illustrative",
                illustrative={"regions": "all", "reason": "no published yearly or county figures"},
            )
    path = folder / "grassland.csv"
    if may_write(path, args.force):
        published = write_grassland(path)
        write_provenance(
            path, source="forestry", publisher=PUBLISHER, department_zh="林草局",
            title="草原生态主要指标 2017-2024（样例交付，系统导出）", received="2025-02-10",
            status="final", licence=LICENCE,
            citation=(f"草原综合植被盖度: 2020 28 % ({PLAN}, 表1, grade A); 2021 28.2 % and 26.9 % at the "
                      f"start of the 2017-2021 term ({WORK_REPORT}, grade A; the start value is taken as "
                      "2017 here, it may be the 2016 year-end value). Everything else illustrative."),
            illustrative={"except_rows": published,
                          "reason": "restoration areas, ranger counts and the 2022-2024 cover are not published"},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
