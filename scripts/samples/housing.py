"""Write the housing bureau's (住建局) sample deliveries under raw/housing/, each with its provenance file.

Run by a maintainer when the sample changes (`.venv/bin/python -m scripts.samples.housing --force`);
the pipeline never runs it.

What is published: only the plan's own 2020 baselines (Table 1 / 表1 主要指标体系): green-standard
buildings were 55 % of new urban buildings and star-rated green buildings 15.2 % in 2020. The
plan gives targets, not baselines, for everything else (prefabricated 30 %, retrofits 90万平方米,
wall-insulation integration 30 %, clean heating 100 / 100 / 80 %, central-heating energy per m²
down 10 %, sponge city 35 % of the built-up area, ≥1 low-carbon community pilot per county).
Every area, rate and count below is illustrative; the 2020 city row of new_buildings is built so
that its shares reproduce the two published ones.

Five deliveries, each with the quirks its department's files have:
  new_buildings_{year}.xlsx  two-row header, footnote marks, 平方米 with thousands separators
                             (2023, 2024), a full-width number (2021), `—` for no prefab
  retrofits_{year}.csv       UTF-8 with BOM, region variants (杭后旗, 乌前旗, 乌中旗, 临河), notes
  clean_heating.csv          GB18030, several years with a 年份 column, `/`, a full-width number
  sponge_city_{year}.xlsx    `—` for counties without data, the city row named 全市
  low_carbon_pilots.xlsx     county merged over its year rows (fill_down), year column, two-row header
"""

from __future__ import annotations

from datetime import datetime

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

SOURCE = "housing"
PUBLISHER = "巴彦淖尔市住房和城乡建设局"
LICENCE = "Public government information (政府信息公开); sample assembled for this project"
PLAN = "巴彦淖尔市“十四五”应对气候变化规划"
COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

# --- 1. new_buildings: new urban building area completed (万平方米) --------------------------------
# City totals per year: (new building area, green-standard share, star-rated share, prefab share).
# Illustrative areas. 2020 shares 55 % and 15.2 % are the plan's published baselines (Table 1,
# indicators 6 and 7); 2021-2024 shares are illustrative, on the way to the 2025 targets
# (100 %, 30 %, prefabricated 30 %).
NEW_CITY = {
    2020: (250.0, 0.550, 0.152, 0.050),  # area illustrative; shares 55 % / 15.2 % published (plan Table 1)
    2021: (268.0, 0.700, 0.180, 0.090),  # illustrative
    2022: (231.0, 0.850, 0.210, 0.140),  # illustrative
    2023: (215.0, 0.950, 0.250, 0.190),  # illustrative
    2024: (204.0, 1.000, 0.280, 0.240),  # illustrative
}
# Illustrative county shares of the city's new building area (the central city builds most);
# the last county takes the remainder so the counties add up to the city row exactly.
NEW_COUNTY_SHARE = {"临河区": 0.46, "五原县": 0.09, "磴口县": 0.07, "乌拉特前旗": 0.11,
                    "乌拉特中旗": 0.06, "乌拉特后旗": 0.07, "杭锦后旗": None}
# Illustrative: counties that built no prefabricated buildings that year (delivered as `—`).
NO_PREFAB = {2020: {"乌拉特中旗", "乌拉特后旗"}, 2021: {"乌拉特中旗"}}
# Deliveries of these years came in 平方米 (unit line 单位：平方米, thousands separators).
IN_SQUARE_METRES = {2023, 2024}


def split(total: float, shares: dict[str, float | None], ndigits: int = 2) -> dict[str, float]:
    """Illustrative county values from county shares; the last county takes the remainder."""
    out = {name: round(total * s, ndigits) for name, s in shares.items() if s is not None}
    rest = next(name for name, s in shares.items() if s is None)
    out[rest] = round(total - sum(out.values()), ndigits)
    return out


def new_building_rows(year: int) -> list[tuple[str, list[float | None]]]:
    """(region, [area, green, star-rated, prefab]) in 万平方米, city first then the counties."""
    area, g, s, p = NEW_CITY[year]
    city = [area, round(area * g, 2), round(area * s, 2), round(area * p, 2)]
    columns = [split(v, NEW_COUNTY_SHARE) for v in city]
    rows = []
    for name in COUNTIES:
        values = [col[name] for col in columns]
        if name in NO_PREFAB.get(year, set()):
            values[3] = None
        rows.append((name, values))
    # A county without prefab gives its (illustrative) share to the remainder county, so the
    # counties still add up to the city row.
    missing = sum(columns[3][n] for n in NO_PREFAB.get(year, set()))
    if missing:
        rows[-1][1][3] = round(rows[-1][1][3] + missing, 2)
    return [("全市", city)] + rows


def write_new_buildings(year: int, path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "新建建筑"
    ws["A1"] = f"{year}年全市城镇新建建筑及绿色建筑、装配式建筑情况"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:E1")
    in_m2 = year in IN_SQUARE_METRES
    ws["E2"] = "单位：平方米" if in_m2 else "单位：万平方米"
    ws["E2"].alignment = Alignment(horizontal="right")
    # Two-row header: 地区 and 新建建筑面积 merged down, 其中 merged across its three sub-titles.
    ws["A3"], ws["B3"], ws["C3"] = "地区", "新建建筑面积", "其中"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    ws["C4"], ws["D4"], ws["E4"] = "绿色建筑", "星级绿色建筑", "装配式建筑"
    for r, (name, values) in enumerate(new_building_rows(year), start=5):
        # 临河区 carries a footnote mark, as the bureau's tables do.
        ws.cell(row=r, column=1, value="临河区①" if name == "临河区" else name)
        for c, v in enumerate(values, start=2):
            if v is None:
                cell = "—"
            elif in_m2:
                cell = f"{round(v * 10000):,}"  # text with thousands separators, as exported
            else:
                cell = v
            ws.cell(row=r, column=c, value=cell)
    if year == 2021:
        # One cell typed with a full-width IME: 五原县's green-building area.
        ws["C7"] = f"{ws['C7'].value}".translate(FULL_WIDTH)
    ws["A13"] = "注：①临河区含巴彦淖尔经济技术开发区。"
    ws["A14"] = "    绿色建筑指按绿色建筑标准设计、施工并竣工验收的城镇新建民用建筑。"
    for col, width in zip("ABCDE", [14, 16, 14, 16, 14]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(year + 1, 2, 15))


# --- 2. retrofits: existing-building energy retrofits (万平方米), per year 2021-2024 -------------
# Illustrative city totals: (energy retrofit area, of which residential (old residential
# compounds), area of buildings with wall insulation integrated with the structure).
# Plan target: 90万平方米 of retrofits in 2021-2025 and integration at 30 % of projects by 2025.
RETRO_CITY = {
    2021: (15.20, 12.60, 2.10),  # illustrative
    2022: (18.60, 15.10, 8.50),  # illustrative
    2023: (20.40, 16.30, 14.60),  # illustrative
    2024: (19.80, 15.40, 22.00),  # illustrative
}
RETRO_COUNTY_SHARE = {"临河区": 0.42, "五原县": 0.10, "磴口县": 0.08, "乌拉特前旗": 0.12,
                      "乌拉特中旗": 0.07, "乌拉特后旗": 0.08, "杭锦后旗": None}
# How the bureau's system export spells the regions (variants resolved by the alias seed).
RETRO_NAMES = {"临河区": "临河", "五原县": "五原县", "磴口县": "磴口县", "乌拉特前旗": "乌前旗",
               "乌拉特中旗": "乌中旗", "乌拉特后旗": "乌拉特后旗", "杭锦后旗": "杭后旗"}


def write_retrofits(year: int, path) -> None:
    columns = [split(v, RETRO_COUNTY_SHARE) for v in RETRO_CITY[year]]
    lines = [
        [f"{year}年既有建筑节能改造完成情况（系统导出）", "", "", "", ""],
        ["旗县区", "既有建筑节能改造面积(万平方米)", "其中:居住建筑(万平方米)",
         "墙体保温结构一体化建筑面积(万平方米)", "备注"],
    ]
    for name in COUNTIES:
        note = "老旧小区改造" if name == "临河区" else ""
        lines.append([RETRO_NAMES[name], *[f"{col[name]:.2f}" for col in columns], note])
    lines.append(["合计", *[f"{v:.2f}" for v in RETRO_CITY[year]], ""])
    lines.append(["注：改造面积按竣工验收计。", "", "", "", ""])
    write_csv(path, lines, "utf-8-sig")


# --- 3. clean_heating: clean-heating rate (%) and central-heating energy (kgce/m²), 2020-2024 ------
# One multi-year file for the city. Rows: (year, area type as delivered, clean-heating rate %,
# central-heating energy per m² of heated floor area, kgce/m²; None = not applicable).
# All illustrative. Plan targets for 2025: 市区 100 %, 县城 100 %, 农村 ≥ 80 %; central-heating
# energy per m² down 10 % or more.
HEATING = [
    (2020, "市区", 88.0, 22.5), (2020, "县城", 70.0, 24.8), (2020, "农村牧区", 25.0, None),
    (2021, "市区", 91.5, 22.1), (2021, "县城", 76.0, 24.3), (2021, "农村牧区", 31.0, None),
    (2022, "市区", 94.0, 21.6), (2022, "县城", 82.5, 23.7), (2022, "农村牧区", 38.5, None),
    (2023, "市区", 96.8, 21.0), (2023, "县城", 87.0, 23.0), (2023, "农村牧区", 46.0, None),
    (2024, "市区", 98.5, 20.5), (2024, "县城", 92.0, 22.4), (2024, "农村牧区", 55.0, None),
]


def write_heating(path) -> None:
    lines = [
        ["巴彦淖尔市城乡清洁取暖情况（2020—2024年）", "", "", ""],
        ["年份", "区域", "清洁取暖率(%)", "单位建筑面积集中供热能耗(kgce/m2)"],
    ]
    for year, area, rate, energy in HEATING:
        rate_text = f"{rate:.1f}"
        if (year, area) == (2023, "县城"):
            rate_text = rate_text.translate(FULL_WIDTH)  # typed with a full-width IME
        # Years typed as "2020年" on the 市区 rows, plain on the others.
        year_text = f"{year}年" if area == "市区" else str(year)
        lines.append([year_text, area, rate_text, "/" if energy is None else f"{energy:.1f}"])
    lines.append(["注：农村牧区无集中供热，以“/”表示。", "", "", ""])
    write_csv(path, lines, "gb18030")


# --- 4. sponge_city: built-up area meeting sponge-city requirements (平方公里) --------------------
# Illustrative: (built-up area km², area meeting sponge-city requirements km²; None = `—`, the
# county has not assessed it yet). City row = sum over the counties that reported the area;
# the built-up area is the sum of all. Plan target: 35 % of the built-up area by 2025.
SPONGE = {
    2020: {"临河区": (62.0, 12.4), "五原县": (14.5, 1.2), "磴口县": (9.8, None), "乌拉特前旗": (16.2, 1.5),
           "乌拉特中旗": (8.4, None), "乌拉特后旗": (7.6, None), "杭锦后旗": (15.5, 1.4)},
    2021: {"临河区": (63.0, 15.1), "五原县": (14.8, 2.0), "磴口县": (10.0, None), "乌拉特前旗": (16.5, 2.4),
           "乌拉特中旗": (8.5, None), "乌拉特后旗": (7.7, 0.5), "杭锦后旗": (15.8, 2.2)},
    2022: {"临河区": (64.0, 18.6), "五原县": (15.0, 3.1), "磴口县": (10.1, 1.2), "乌拉特前旗": (16.7, 3.4),
           "乌拉特中旗": (8.6, None), "乌拉特后旗": (7.8, 1.0), "杭锦后旗": (16.0, 3.2)},
    2023: {"临河区": (64.8, 21.4), "五原县": (15.2, 4.1), "磴口县": (10.2, 2.0), "乌拉特前旗": (16.9, 4.6),
           "乌拉特中旗": (8.7, 1.2), "乌拉特后旗": (7.9, 1.6), "杭锦后旗": (16.2, 4.2)},
    2024: {"临河区": (65.5, 24.2), "五原县": (15.4, 5.0), "磴口县": (10.3, 2.8), "乌拉特前旗": (17.0, 5.6),
           "乌拉特中旗": (8.8, 2.0), "乌拉特后旗": (8.0, 2.2), "杭锦后旗": (16.4, 5.1)},
}


def sponge_rows(year: int) -> list[tuple[str, float, float | None, float | None]]:
    """(region, built-up km², sponge km², sponge share %), 全市 first."""
    data = SPONGE[year]
    built = round(sum(b for b, _ in data.values()), 1)
    sponge = round(sum(s for _, s in data.values() if s is not None), 1)
    rows = [("全市", built, sponge, round(100 * sponge / built, 1))]
    for name in COUNTIES:
        b, s = data[name]
        rows.append((name, b, s, None if s is None else round(100 * s / b, 1)))
    return rows


def write_sponge_city(year: int, path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "海绵城市"
    ws["A1"] = f"{year}年各旗县区海绵城市建设情况"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:D1")
    ws["A2"] = "填报单位：巴彦淖尔市住房和城乡建设局"
    ws.append(["地区", "城市建成区面积（平方公里）", "达到海绵城市建设要求的面积（平方公里）",
               "占建成区面积比例（%）"])
    for name, built, sponge, share in sponge_rows(year):
        ws.append([name, built, "—" if sponge is None else sponge, "—" if share is None else share])
    ws.append([])
    ws.append(["说明：“—”表示该旗县尚未开展海绵城市建设达标评估；全市合计只含已评估旗县。"])
    for col, width in zip("ABCD", [14, 24, 34, 22]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(year + 1, 3, 10))


# --- 5. low_carbon_pilots: low-carbon community pilots, cumulative counts, 2021-2024 ------------
# Illustrative: per county and year, cumulative numbers at year end of pilot communities
# designated (列入试点计划) and established (已建成, accepted), urban and rural.
# Plan: every county ≥1 low-carbon community pilot (urban or rural) by 2025; 五原县 (a low-carbon
# demonstration county of the autonomous region, 第一章二) and
# 杭锦后旗 (low-carbon county pilot, 第三章一 and 专栏1): qualitative, the notes say so.
# Values: (planned urban, planned rural, established urban, established rural).
PILOTS = {
    "临河区": {2021: (2, 0, 0, 0), 2022: (3, 1, 1, 0), 2023: (4, 1, 2, 0), 2024: (4, 2, 3, 1)},
    "五原县": {2021: (1, 1, 1, 0), 2022: (1, 2, 1, 1), 2023: (2, 2, 1, 1), 2024: (2, 3, 2, 2)},
    "磴口县": {2021: (0, 0, 0, 0), 2022: (1, 0, 0, 0), 2023: (1, 1, 1, 0), 2024: (1, 1, 1, 1)},
    "乌拉特前旗": {2021: (1, 0, 0, 0), 2022: (1, 1, 0, 0), 2023: (2, 1, 1, 0), 2024: (2, 1, 1, 1)},
    "乌拉特中旗": {2021: (0, 0, 0, 0), 2022: (0, 1, 0, 0), 2023: (1, 1, 0, 0), 2024: (1, 1, 0, 1)},
    "乌拉特后旗": {2021: (0, 0, 0, 0), 2022: (1, 0, 0, 0), 2023: (1, 0, 0, 0), 2024: (1, 1, 1, 0)},
    "杭锦后旗": {2021: (1, 1, 1, 0), 2022: (2, 1, 1, 1), 2023: (2, 2, 2, 1), 2024: (3, 2, 2, 2)},
}
PILOT_YEARS = [2021, 2022, 2023, 2024]
# The bureau's sheet writes 杭锦后旗 as 杭后旗.
PILOT_NAMES = {**{n: n for n in COUNTIES}, "杭锦后旗": "杭后旗"}
PILOT_NOTES = {("五原县", 2021): "自治区级低碳示范县", ("杭锦后旗", 2021): "低碳旗县试点"}


def pilot_city(year: int) -> tuple[int, ...]:
    return tuple(sum(PILOTS[n][year][i] for n in COUNTIES) for i in range(4))


def write_pilots(path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "低碳社区试点"
    ws["A1"] = "各旗县区低碳社区试点创建情况（2021—2024年，累计数）"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:G1")
    ws["G2"] = "单位：个"
    # Two-row header: region and year merged down, the two groups merged across.
    ws["A3"], ws["B3"], ws["C3"], ws["E3"], ws["G3"] = "旗县区", "年份", "列入试点计划", "已建成", "备注"
    for rng in ("A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:G4"):
        ws.merge_cells(rng)
    ws["C4"], ws["D4"], ws["E4"], ws["F4"] = "城镇社区", "农村社区", "城镇社区", "农村社区"
    r = 5
    blocks = [(PILOT_NAMES[n], {y: PILOTS[n][y] for y in PILOT_YEARS}) for n in COUNTIES]
    blocks.append(("全市", {y: pilot_city(y) for y in PILOT_YEARS}))
    for name, by_year in blocks:
        # The region sits in the first cell of a merge over its four year rows.
        ws.cell(row=r, column=1, value=name)
        ws.merge_cells(start_row=r, start_column=1, end_row=r + len(PILOT_YEARS) - 1, end_column=1)
        ws.cell(row=r, column=1).alignment = Alignment(vertical="center")
        for year in PILOT_YEARS:
            ws.cell(row=r, column=2, value=f"{year}年")
            for c, v in enumerate(by_year[year], start=3):
                ws.cell(row=r, column=c, value=v)
            county = next((n for n in COUNTIES if PILOT_NAMES[n] == name), None)
            ws.cell(row=r, column=7, value=PILOT_NOTES.get((county, year)))
            r += 1
    ws.cell(row=r, column=1, value="注：累计数，含往年列入或建成的试点社区；试点社区名单另附。")
    for col, width in zip("ABCDEFG", [14, 10, 12, 12, 12, 12, 20]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(2025, 1, 20))


ILLUSTRATIVE_ALL = {"regions": "all", "reason": "no published figures for this table; every value is illustrative"}


def main() -> int:
    args = arguments(__doc__)
    folder = args.raw_dir / SOURCE
    common = dict(source=SOURCE, publisher=PUBLISHER, department_zh="住房和城乡建设局", licence=LICENCE)

    for year in NEW_CITY:
        path = folder / f"new_buildings_{year}.xlsx"
        if may_write(path, args.force):
            write_new_buildings(year, path)
            citation = "none: no published areas for this year were found"
            reason = "no published building areas; every value is illustrative"
            if year == 2020:
                citation = (f"{PLAN}, 第二章 表1 主要指标体系 (indicators 6 and 7), grade A: in 2020 green-standard "
                            "buildings were 55 % and star-rated green buildings 15.2 % of new urban buildings. "
                            "The city row's areas are illustrative, chosen so that these shares hold "
                            "(137.5 / 250.0 = 55 %, 38.0 / 250.0 = 15.2 %)")
                reason = ("areas are not published (only the 2020 shares are); the city row reproduces the "
                          "published shares, every area is illustrative")
            write_provenance(path, **common, title=f"{year}年全市城镇新建建筑及绿色建筑情况（样例交付）",
                             received=f"{year + 1}-02-15", status="illustrative", citation=citation,
                             illustrative={"regions": "all", "reason": reason})

    for year in RETRO_CITY:
        path = folder / f"retrofits_{year}.csv"
        if may_write(path, args.force):
            write_retrofits(year, path)
            write_provenance(path, **common, title=f"{year}年既有建筑节能改造完成情况（样例交付）",
                             received=f"{year + 1}-01-31", status="illustrative",
                             citation=f"none; the target (90万平方米 in 2021-2025) is from {PLAN}, 第三章五",
                             illustrative=ILLUSTRATIVE_ALL)

    path = folder / "clean_heating.csv"
    if may_write(path, args.force):
        write_heating(path)
        write_provenance(path, **common, title="巴彦淖尔市城乡清洁取暖情况 2020—2024（样例交付）",
                         received="2025-02-28", status="illustrative",
                         citation=f"none; the targets (100 / 100 / 80 %, energy per m² −10 %) are from {PLAN}, 第三章五",
                         illustrative=ILLUSTRATIVE_ALL)

    for year in SPONGE:
        path = folder / f"sponge_city_{year}.xlsx"
        if may_write(path, args.force):
            write_sponge_city(year, path)
            write_provenance(path, **common, title=f"{year}年各旗县区海绵城市建设情况（样例交付）",
                             received=f"{year + 1}-03-10", status="illustrative",
                             citation=f"none; the target (35 % of the built-up area by 2025) is from {PLAN}, 第四章一",
                             illustrative=ILLUSTRATIVE_ALL)

    path = folder / "low_carbon_pilots.xlsx"
    if may_write(path, args.force):
        write_pilots(path)
        write_provenance(path, **common, title="各旗县区低碳社区试点创建情况 2021—2024（样例交付）",
                         received="2025-01-20", status="illustrative",
                         citation=(f"none; the target (every county ≥1 pilot by 2025) and the earlier pilots of "
                                   f"五原县 and 杭锦后旗 (qualitative) are from {PLAN}, 第一章二, 第三章一 and 专栏1"),
                         illustrative=ILLUSTRATIVE_ALL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
