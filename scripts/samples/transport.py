"""Write the transport bureau's (交通运输局) sample deliveries under raw/transport/, with provenance.

Run by a maintainer when the sample changes (`.venv/bin/python -m scripts.samples.transport --force`);
the pipeline never runs it.

No transport figure for Bayannur was found in any publication: every value here is illustrative
and each file's provenance says so. The values are built to sit on plausible paths towards the
plan's 2025 targets (巴彦淖尔市"十四五"应对气候变化规划, 第三章五 and Table 1): 469 new-energy
buses, 90 % of new and replaced buses new-energy, 20 % of new and replaced urban logistics
vehicles and 30 % of government vehicles new-energy, operating-vehicle CO2 per converted turnover
−5 % against 2020, public transport 10 % of motorised trips, green travel 60 %, charging points on
10 % of parking spaces. The one 2020 statement the plan makes (第一章二: 出租汽车全部使用天然气, all
taxis run on natural gas) is kept: the taxi row burns natural gas only until 2023.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

YEARS = [2020, 2021, 2022, 2023, 2024]
PUBLISHER = "巴彦淖尔市交通运输局"
LICENCE = "Illustrative sample data written for this project (no published figures); free to reuse"
PLAN = "巴彦淖尔市\"十四五\"应对气候变化规划 (2021–2025)"


def full_width(value: float, decimals: int = 0) -> str:
    """'１２３，４５６' as a report typed in a Chinese word processor writes it."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))


def title(ws, cell: str, text: str, merge: str) -> None:
    ws[cell] = text
    ws[cell].font = Font(bold=True, size=14)
    ws.merge_cells(merge)


# --- 1. bus_fleet: buses by power type, per region, one workbook per year ----------------------

POWER = ["柴油", "天然气", "纯电动", "混合动力", "氢燃料电池"]  # order of every tuple below
NEW_ENERGY = (2, 3, 4)  # battery electric, (plug-in) hybrid, hydrogen: 新能源 in the plan's sense
COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
# Illustrative: year-end 2019 fleet (diesel, natural gas, battery electric, hybrid, hydrogen).
# 临河区 includes the city bus company's central-area routes; the county seats run small fleets.
BUS_2019 = {
    "临河区": (40, 90, 100, 30, 0),
    "五原县": (15, 20, 8, 0, 0),
    "磴口县": (10, 15, 8, 0, 0),
    "乌拉特前旗": (20, 20, 10, 5, 0),
    "乌拉特中旗": (12, 10, 6, 0, 0),
    "乌拉特后旗": (10, 8, 4, 0, 0),
    "杭锦后旗": (15, 20, 10, 5, 0),
}
# Illustrative: buses added to the fleet (新增) and bought to replace retired ones (更新) each year,
# by power type. Retired buses are diesel first, then natural gas, then hybrid. The city's
# new-energy fleet runs 186 (2019) -> 206 -> 256 -> 306 -> 356 -> 412 (2024), leaving 57 for 2025
# to reach the plan's 469; the new-energy share of added + replaced buses rises 69 % -> 93 %
# towards the plan's 90 %.
_ = (0, 0, 0, 0, 0)
BUS_EVENTS = {  # year: {county: (added, replaced)}
    2020: {"临河区": ((0, 2, 2, 0, 0), (0, 0, 10, 0, 0)), "五原县": (_, (0, 2, 2, 0, 0)),
           "磴口县": ((1, 0, 0, 0, 0), (0, 1, 1, 0, 0)), "乌拉特前旗": (_, (0, 0, 3, 0, 0)),
           "乌拉特中旗": ((0, 1, 0, 0, 0), (1, 0, 0, 0, 0)), "乌拉特后旗": (_, (0, 1, 0, 0, 0)),
           "杭锦后旗": (_, (0, 0, 2, 0, 0))},
    2021: {"临河区": ((0, 4, 8, 0, 0), (0, 0, 22, 0, 0)), "五原县": ((0, 2, 0, 0, 0), (0, 0, 5, 0, 0)),
           "磴口县": (_, (0, 1, 3, 0, 0)), "乌拉特前旗": ((0, 1, 0, 0, 0), (0, 0, 4, 2, 0)),
           "乌拉特中旗": ((1, 0, 0, 0, 0), (0, 0, 2, 0, 0)), "乌拉特后旗": (_, (0, 1, 1, 0, 0)),
           "杭锦后旗": (_, (0, 0, 3, 0, 0))},
    2022: {"临河区": ((0, 3, 6, 0, 0), (0, 0, 20, 0, 0)), "五原县": ((0, 1, 0, 0, 0), (0, 0, 5, 0, 0)),
           "磴口县": ((0, 1, 0, 0, 0), (0, 0, 4, 0, 0)), "乌拉特前旗": ((0, 1, 0, 0, 0), (0, 0, 5, 0, 0)),
           "乌拉特中旗": (_, (0, 0, 3, 0, 0)), "乌拉特后旗": (_, (0, 0, 3, 0, 0)),
           "杭锦后旗": ((0, 2, 0, 0, 0), (0, 0, 4, 0, 0))},
    2023: {"临河区": ((0, 0, 4, 0, 5), (0, 0, 18, 0, 0)), "五原县": ((0, 1, 0, 0, 0), (0, 0, 5, 0, 0)),
           "磴口县": (_, (0, 0, 4, 0, 0)), "乌拉特前旗": ((0, 1, 0, 0, 0), (0, 0, 5, 0, 0)),
           "乌拉特中旗": ((0, 1, 0, 0, 0), (0, 0, 3, 0, 0)), "乌拉特后旗": ((0, 1, 0, 0, 0), (0, 0, 2, 0, 0)),
           "杭锦后旗": ((0, 1, 0, 0, 0), (0, 0, 4, 0, 0))},
    2024: {"临河区": ((0, 0, 5, 0, 5), (0, 0, 20, 0, 0)), "五原县": (_, (0, 0, 6, 0, 0)),
           "磴口县": ((0, 1, 0, 0, 0), (0, 0, 4, 0, 0)), "乌拉特前旗": (_, (0, 0, 6, 0, 0)),
           "乌拉特中旗": ((0, 1, 0, 0, 0), (0, 0, 3, 0, 0)), "乌拉特后旗": (_, (0, 0, 3, 0, 0)),
           "杭锦后旗": ((0, 2, 0, 0, 0), (0, 0, 4, 0, 0))},
}
# How the bureau's clerk wrote the names: the official names in 2020, abbreviations from 2021 on
# (the seed's region_aliases map them), and a footnote mark on 临河区.
BUS_NAMES = {
    2020: {"临河区": "临河区①"},
    **{y: {"临河区": "临河区①", "乌拉特前旗": "乌前旗", "乌拉特中旗": "乌中旗", "乌拉特后旗": "乌后旗",
           "杭锦后旗": "杭后旗"} for y in YEARS[1:]},
}


def bus_fleet() -> dict[int, dict[str, tuple]]:
    """{year: {county: (stock, added, replaced)}}, each a tuple over POWER, rolled from 2019."""
    stock = {c: list(v) for c, v in BUS_2019.items()}
    out: dict[int, dict[str, tuple]] = {}
    for year in YEARS:
        out[year] = {}
        for county in COUNTIES:
            added, replaced = BUS_EVENTS[year].get(county, (_, _))
            retire = sum(replaced)
            for k in (0, 1, 3):  # diesel, then natural gas, then hybrid buses are retired
                n = min(retire, stock[county][k])
                stock[county][k] -= n
                retire -= n
            assert retire == 0, (year, county)
            stock[county] = [s + a + r for s, a, r in zip(stock[county], added, replaced)]
            out[year][county] = (tuple(stock[county]), added, replaced)
    return out


def write_bus_fleet(year: int, fleet: dict[str, tuple], path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公交车辆"
    title(ws, "A1", f"{year}年各旗县区城市公交车辆情况", "A1:S1")
    ws["S2"] = "单位：辆"
    ws["S2"].alignment = Alignment(horizontal="right")
    # Two-row header: 年末保有量 / 本年新增 / 本年更新 merged over 合计 and the five power types.
    ws["A3"] = "地区"
    ws.merge_cells("A3:A4")
    for start, group in zip((2, 8, 14), ("年末保有量", "本年新增", "本年更新")):
        ws.cell(row=3, column=start, value=group)
        ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=start + 5)
        for k, name in enumerate(["合计", *POWER]):
            ws.cell(row=4, column=start + k, value=name)
    city = tuple(tuple(sum(fleet[c][g][k] for c in COUNTIES) for k in range(5)) for g in range(3))
    rows = [("全市", city)] + [(BUS_NAMES[year].get(c, c), fleet[c]) for c in COUNTIES]
    for r, (name, groups) in enumerate(rows, start=5):
        ws.cell(row=r, column=1, value=name)
        for g, values in enumerate(groups):
            for k, v in enumerate((sum(values), *values)):
                ws.cell(row=r, column=2 + 6 * g + k, value=v)
    n = 5 + len(rows)
    ws.cell(row=n, column=1, value="注：1. 新能源公交车包括纯电动、插电式混合动力和氢燃料电池公交车；天然气含CNG和LNG。")
    ws.cell(row=n + 1, column=1, value="    2. ①临河区含市公共交通公司中心城区线路车辆。")
    ws.cell(row=n + 2, column=1, value="    3. 示意数据，非公布数。")
    ws.column_dimensions["A"].width = 12
    save_workbook(wb, path, datetime(year + 1, 1, 20))


# --- 2. fleet_vehicles: logistics and government vehicles, city, GB18030 CSV -------------------

# Illustrative: (year-end stock, added or replaced in the year) for new-energy / conventional
# vehicles. New-energy stock grows exactly by its additions (none retired yet). The new-energy
# share of added + replaced vehicles: logistics 7 % (2020) -> 29 % (2024) against the plan's
# 20 %; government 11 % -> 48 % against 30 %.
FLEET = {  # fleet: {year: ((ne_stock, ne_added), (conv_stock, conv_added))}
    "城市物流配送车辆": {
        2020: ((95, 30), (2850, 380)), 2021: ((160, 65), (2920, 360)), 2022: ((245, 85), (2960, 340)),
        2023: ((350, 105), (2990, 330)), 2024: ((480, 130), (3010, 320)),
    },
    "党政机关公务用车": {
        2020: ((42, 12), (2310, 95)), 2021: ((70, 28), (2250, 80)), 2022: ((105, 35), (2190, 75)),
        2023: ((150, 45), (2120, 70)), 2024: ((205, 55), (2050, 60)),
    },
}


def write_fleet_vehicles(path: Path) -> None:
    width = 5  # Excel's CSV export pads every line to the used range
    pad = lambda *cells: [*cells, *[""] * (width - len(cells))]  # noqa: E731
    rows = [pad("巴彦淖尔市城市物流配送及党政机关公务用车新能源汽车推广情况（2020—2024年）"),
            pad("单位：辆"),
            ["年份", "车辆类别", "动力类型", "年末保有量", "本年新增及更新量"]]
    for year in YEARS:
        for f, fleet in enumerate(FLEET):
            ne, conv = FLEET[fleet][year]
            # The year and the fleet were merged cells in the workbook: blank below their first row.
            rows.append([f"{year}年" if f == 0 else "", fleet, "新能源汽车", f"{ne[0]:,}", f"{ne[1]:,}"])
            rows.append(["", "", "传统燃料汽车", f"{conv[0]:,}", f"{conv[1]:,}"])
    rows.append(pad("注：新能源汽车指纯电动、插电式混合动力和燃料电池汽车；公务用车数据由市机关事务服务中心提供。"))
    write_csv(path, rows, "gb18030")


# --- 3. operating_vehicles: fuel use and turnover of operating vehicles, city, per year --------

# Illustrative, per year: {class: (diesel t, gasoline t, natural gas m³, electricity 万kWh,
# passenger turnover 万人公里, freight turnover 万吨公里)}; None = not counted ("—").
# Built so that direct CO2 of passenger + freight vehicles (diesel 3.096 t/t, gasoline 2.925 t/t,
# natural gas 21.65 t/万m³; methods.md §3) per converted turnover (freight + 0.1 × passenger,
# methods.md §4) falls 1.0 / 2.0 / 2.8 / 3.8 % against 2020 in 2021-2024 (0.5852 t/万吨公里 in
# 2020), towards the plan's −5 % by 2025. Taxis run on natural gas only (the plan, 第一章二),
# with a few electric taxis in 2024, and carry no turnover.
OPERATING = {
    2020: {"营运客车": (7_800, 350, 2_100_000, 12, 62_000, None),
           "营运货车": (201_500, 1_200, 18_500_000, 35, None, 1_185_000),
           "出租汽车": (0, 0, 10_800_000, 0, None, None)},
    2021: {"营运客车": (8_600, 380, 2_300_000, 20, 70_000, None),
           "营运货车": (215_120, 1_220, 22_700_000, 60, None, 1_290_000),
           "出租汽车": (0, 0, 11_200_000, 0, None, None)},
    2022: {"营运客车": (6_000, 320, 2_400_000, 35, 48_000, None),
           "营运货车": (202_900, 1_180, 26_600_000, 110, None, 1_240_000),
           "出租汽车": (0, 0, 10_100_000, 0, None, None)},
    2023: {"营运客车": (8_900, 360, 2_600_000, 60, 75_000, None),
           "营运货车": (226_650, 1_290, 33_400_000, 180, None, 1_420_000),
           "出租汽车": (0, 0, 11_500_000, 0, None, None)},
    2024: {"营运客车": (9_200, 370, 2_800_000, 90, 80_000, None),
           "营运货车": (235_170, 1_330, 40_200_000, 260, None, 1_510_000),
           "出租汽车": (0, 0, 11_800_000, 15, None, None)},
}


def write_operating_vehicles(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "营运车辆能耗"
    title(ws, "A1", f"{year}年全市营运车辆能源消费及运输周转量", "A1:G1")
    ws["A3"] = "车辆类别"
    ws.merge_cells("A3:A4")
    ws["B3"], ws["F3"] = "能源消费量", "运输周转量"
    ws.merge_cells("B3:E3")
    ws.merge_cells("F3:G3")
    for col, name in zip("BCDEFG", ["柴油（吨）", "汽油（吨）", "天然气（立方米）", "电力（万千瓦时）",
                                    "旅客周转量（万人公里）", "货物周转量（万吨公里）"]):
        ws[f"{col}4"] = name
    for r, (klass, values) in enumerate(OPERATING[year].items(), start=5):
        ws.cell(row=r, column=1, value=klass)
        for c, v in enumerate(values, start=2):
            # The figures were typed in a word processor and pasted: full-width text, not numbers.
            ws.cell(row=r, column=c, value="—" if v is None else full_width(v))
    ws.cell(row=8, column=1, value="注：出租汽车不统计运输周转量；营运客车不含公交车。")
    ws.column_dimensions["A"].width = 12
    save_workbook(wb, path, datetime(year + 1, 3, 10))


# --- 4. charging: charging points and parking spaces per region, UTF-8-BOM CSV ----------------

# Illustrative: 2020 public chargers, private chargers and parking spaces per county, then the
# yearly growth factors of each; rounded to whole units. None: not surveyed (written "/").
CHARGING_2020 = {
    "临河区": (180, 520, 120_000),
    "五原县": (25, 70, 18_000),
    "磴口县": (20, 45, 12_000),
    "乌拉特前旗": (30, 80, 20_000),
    "乌拉特中旗": (15, 35, 9_000),
    "乌拉特后旗": (12, None, 8_000),  # private chargers not surveyed in 2020
    "杭锦后旗": (28, 65, 17_000),
}
CHARGING_GROWTH = {  # year: (public, private, parking) factor on the previous year
    2021: (1.6, 1.8, 1.04), 2022: (1.7, 1.9, 1.04), 2023: (1.6, 1.8, 1.05), 2024: (1.5, 1.7, 1.04),
}
CHARGING_PRIVATE_2021_URAD_REAR = 40  # illustrative: first year 乌拉特后旗 counted private chargers
CHARGING_NAMES = {"乌拉特前旗": "乌前旗", "乌拉特中旗": "乌中旗", "乌拉特后旗": "乌后旗", "杭锦后旗": "杭后旗"}


def charging() -> dict[int, dict[str, tuple]]:
    out = {2020: dict(CHARGING_2020)}
    for year in YEARS[1:]:
        prev, growth = out[year - 1], CHARGING_GROWTH[year]
        out[year] = {}
        for county, values in prev.items():
            new = tuple(None if v is None else round(v * g) for v, g in zip(values, growth))
            if county == "乌拉特后旗" and new[1] is None:
                new = (new[0], CHARGING_PRIVATE_2021_URAD_REAR, new[2])
            out[year][county] = new
    return out


def write_charging(path: Path) -> None:
    data = charging()
    rows = [["巴彦淖尔市充电基础设施及停车位统计（2020—2024年）", "", "", "", ""],
            ["年份", "旗县区", "公共充电桩（个）", "私人充电桩（个）", "停车位（个）"]]
    for year in YEARS:
        for county in COUNTIES:
            pub, priv, spaces = data[year][county]
            rows.append([year, CHARGING_NAMES.get(county, county), f"{pub:,}",
                         "/" if priv is None else f"{priv:,}", f"{spaces:,}"])
        # The total row sums what was reported ("/" counts as nothing).
        tot = [sum(data[year][c][k] or 0 for c in COUNTIES) for k in range(3)]
        rows.append([year, "合计", *(f"{v:,}" for v in tot)])
    rows.append(["说明：停车位含公共停车场和居住区停车位；“/”表示未统计。", "", "", "", ""])
    write_csv(path, rows, "utf-8-sig")


# --- 5. mode_share: public-transport and green-travel shares, city, multi-year xlsx ------------

# Illustrative: (public transport share of motorised trips %, green-travel share of trips in the
# central urban area %, note). None: no survey that year ("—"). Targets for 2025: 10 and 60.
MODE_SHARE = {
    2020: (7.6, 52.3, "居民出行调查"),
    2021: (None, None, "未开展调查"),
    2022: (8.1, 54.8, "抽样调查"),
    2023: (None, 56.0, "绿色出行创建评估"),
    2024: (8.9, 57.5, "居民出行调查"),
}


def write_mode_share(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "出行分担率"
    title(ws, "A1", "巴彦淖尔市城区居民出行方式分担率（2020—2024年）", "A1:D1")
    ws["D2"] = "单位：%"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "年份", "公共交通机动化出行分担率", "城区绿色出行分担率", "数据来源"
    for r, (year, (pt, green, note)) in enumerate(MODE_SHARE.items(), start=4):
        ws.cell(row=r, column=1, value=f"{year}年")
        ws.cell(row=r, column=2, value="—" if pt is None else pt)
        ws.cell(row=r, column=3, value="—" if green is None else green)
        ws.cell(row=r, column=4, value=note)
    ws.cell(row=9, column=1, value="注：1. 公共交通机动化出行分担率=公共交通出行量/机动化出行总量×100%。")
    ws.cell(row=10, column=1, value="    2. 绿色出行含公共交通、步行和自行车出行；“—”表示当年未开展调查。")
    save_workbook(wb, path, datetime(2025, 2, 15))


# --- provenance ---------------------------------------------------------------------------------

def provenance(path: Path, title_zh: str, received: str, targets: str) -> None:
    write_provenance(
        path,
        source="transport",
        publisher=PUBLISHER,
        department_zh="交通运输局",
        title=title_zh,
        received=received,
        status="illustrative",
        licence=LICENCE,
        citation=f"none: no published figures were found. Values are illustrative, on a path towards "
                 f"the 2025 targets of {PLAN}: {targets}",
        illustrative={"regions": "all",
                      "reason": "no published transport statistics for Bayannur; every row is illustrative"},
    )


def main() -> int:
    args = arguments(__doc__)
    folder = args.raw_dir / "transport"
    fleet = bus_fleet()
    for year in YEARS:
        path = folder / f"bus_fleet_{year}.xlsx"
        if may_write(path, args.force):
            write_bus_fleet(year, fleet[year], path)
            provenance(path, f"{year}年各旗县区城市公交车辆情况（样例交付）", f"{year + 1}-01-25",
                       "469 new-energy buses, 90 % of new and replaced buses new-energy, 新能源及清洁能源公交车比例 "
                       "90 % (第三章五, Table 1 no. 9); 2020 baseline '/' in Table 1")
        path = folder / f"operating_vehicles_{year}.xlsx"
        if may_write(path, args.force):
            write_operating_vehicles(year, path)
            provenance(path, f"{year}年全市营运车辆能源消费及运输周转量（样例交付）", f"{year + 1}-03-15",
                       "operating-vehicle CO2 per converted turnover −5 % vs 2020 (Table 1 no. 8, [5]); "
                       "the taxi row follows the plan's statement that all taxis used natural gas in 2020 "
                       "(第一章二), a qualitative statement, not a figure")
    path = folder / "fleet_vehicles_2020_2024.csv"
    if may_write(path, args.force):
        write_fleet_vehicles(path)
        provenance(path, "城市物流配送及党政机关公务用车新能源汽车推广情况 2020—2024（样例交付）", "2025-02-20",
                   "new and replaced urban logistics vehicles 20 % new-energy, government vehicles 30 % (第三章五)")
    path = folder / "charging_2020_2024.csv"
    if may_write(path, args.force):
        write_charging(path)
        provenance(path, "充电基础设施及停车位统计 2020—2024（样例交付）", "2025-02-20",
                   "charging points installed at no less than 10 % of parking spaces by 2025 (第三章五)")
    path = folder / "mode_share_2020_2024.xlsx"
    if may_write(path, args.force):
        write_mode_share(path)
        provenance(path, "城区居民出行方式分担率 2020—2024（样例交付）", "2025-02-20",
                   "public transport 10 % of motorised trips, green travel 60 % in the urban area (第三章五)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
