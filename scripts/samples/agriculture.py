"""Write the agriculture sample deliveries (农牧局, 水利局) under raw/agriculture/, with provenance.

Run by a maintainer when the sample changes: `.venv/bin/python -m scripts.samples.agriculture`
(--force to overwrite). The pipeline never runs it.

Five deliveries, laid out the way the departments send them:
  fertiliser_{year}.xlsx      化肥施用量（折纯量）及农作物播种面积, by region, 2020-2024
  utilisation_rates.csv       化肥/农药利用率, 畜禽粪污产生量/利用量/利用率, city, 2017 and 2020-2024 (GB18030)
  livestock_{year}.xlsx       年末牲畜存栏, by region, 2020-2024
  farmland_{year}.xlsx        高标准农田 and crop base areas, by region, 2020-2024
  irrigation_coefficient.csv  农田灌溉水有效利用系数, city, 2017 and 2020-2024 (UTF-8 with BOM)

Published figures come from the plan (巴彦淖尔市"十四五"应对气候变化规划, 第一章 review and the
2025 targets) and the shared reference's published_figures.md; every other value is illustrative
and each provenance file says which rows those are. County values split an illustrative city
total by assumed shares, so counties add up to the city exactly.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
YEARS = [2020, 2021, 2022, 2023, 2024]
LICENCE = "Public government information (政府信息公开); sample assembled for this project"
PLAN = "巴彦淖尔市\"十四五\"应对气候变化规划 (2021-2025)"
SOURCE = "agriculture"
NONGMU_PUBLISHER = "巴彦淖尔市农牧局"


def split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split an integer total (tonnes, tenths of 万亩...) by shares; the largest share takes the
    rounding remainder, so the parts add up to the total exactly. Shares of 0 give 0."""
    parts = {k: round(total * s) for k, s in shares.items()}
    biggest = max(shares, key=shares.get)
    parts[biggest] += total - sum(parts.values())
    return parts


def tenths(v: int) -> float:
    return round(v / 10, 1)


def sheet_header(ws, title: str, unit_line: str, unit_col: str) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws[f"{unit_col}2"] = unit_line
    ws[f"{unit_col}2"].alignment = Alignment(horizontal="right")


def write_rows(ws, rows: list[list[object]], first_row: int = 5) -> int:
    for r, values in enumerate(rows, start=first_row):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
    return first_row + len(rows)


def full_width(text: str) -> str:
    """Digits and punctuation as full-width characters, as some county clerks type them."""
    return text.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))


# --- 1. fertiliser: 化肥施用量（折纯量，吨）and 农作物总播种面积 --------------------------------------

# City fertiliser applied, 折纯量, tonnes. Illustrative (no city figure found): falling about 2 % a
# year, in line with the plan's "化肥亩均用量持续保持负增长".
FERTILISER_T = {2020: 262_400, 2021: 257_100, 2022: 251_300, 2023: 246_800, 2024: 242_500}
# Shares of N, P2O5, K2O and compound fertiliser. Illustrative: a slow shift to compound fertiliser.
NUTRIENT_SHARES = {
    2020: (0.46, 0.22, 0.06, 0.26),
    2021: (0.45, 0.22, 0.06, 0.27),
    2022: (0.44, 0.21, 0.07, 0.28),
    2023: (0.44, 0.21, 0.07, 0.28),
    2024: (0.43, 0.21, 0.07, 0.29),
}
# City total crop sown area, 亩. Illustrative, about 1,100万亩 (the plan's 100/450/400万亩 wheat,
# maize and sunflower bases sit inside it).
SOWN_AREA_MU = {2020: 11_046_000, 2021: 11_128_000, 2022: 11_205_000, 2023: 11_187_000, 2024: 11_240_000}
# 2022 was delivered in 公顷 (the form changed for one year): 11,205,000 亩 / 15 = 747,000 公顷.
SOWN_AREA_IN_HECTARES = {2022}
# County shares of fertiliser and of sown area. Illustrative.
FERTILISER_SHARES = dict(zip(COUNTIES, [0.17, 0.21, 0.07, 0.19, 0.07, 0.03, 0.26]))
AREA_SHARES = dict(zip(COUNTIES, [0.17, 0.20, 0.08, 0.19, 0.08, 0.03, 0.25]))


def fertiliser_rows(year: int) -> list[list[object]]:
    by_county = split(FERTILISER_T[year], FERTILISER_SHARES)
    hectares = year in SOWN_AREA_IN_HECTARES
    area_total = round(SOWN_AREA_MU[year] / 15) if hectares else SOWN_AREA_MU[year]
    area = split(area_total, AREA_SHARES)
    rows, city = [], [0, 0, 0, 0, 0, 0]
    for name in COUNTIES:
        parts = split(by_county[name], dict(zip("npkc", NUTRIENT_SHARES[year])))
        values = [by_county[name], parts["n"], parts["p"], parts["k"], parts["c"], area[name]]
        city = [a + b for a, b in zip(city, values)]
        rows.append([name, *values])
    rows.insert(0, ["巴彦淖尔市", *city])
    # Tonnes and 亩 as text with thousands separators, as the reporting system exports them.
    return [[r[0], *(f"{v:,}" for v in r[1:])] for r in rows]


def write_fertiliser(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "化肥施用"
    hectares = year in SOWN_AREA_IN_HECTARES
    sheet_header(ws, f"{year}年各旗县区化肥施用量（折纯量）及农作物播种面积",
                 f"面积单位：{'公顷' if hectares else '亩'}", "G")
    ws.merge_cells("A1:G1")
    ws["A3"], ws["B3"], ws["G3"] = "地区", "化肥施用量（折纯量，吨）", "农作物总播种面积"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:F3")
    ws.merge_cells("G3:G4")
    for col, name in zip("BCDEF", ["合计", "氮肥", "磷肥", "钾肥", "复合肥"]):
        ws[f"{col}4"] = name
    end = write_rows(ws, fertiliser_rows(year))
    ws.cell(row=end, column=1, value="注：化肥施用量按折纯量计算（氮肥折N、磷肥折P2O5、钾肥折K2O，复合肥按所含养分折纯）。")
    ws.cell(row=end + 1, column=1, value="填报单位：巴彦淖尔市农牧局")
    save_workbook(wb, path, datetime(year + 1, 3, 15))


def fertiliser_provenance(year: int, path: Path) -> None:
    write_provenance(
        path, source=SOURCE, publisher=NONGMU_PUBLISHER, department_zh="农牧局",
        title=f"{year}年各旗县区化肥施用量（折纯量）及农作物播种面积（样例交付）",
        received=f"{year + 1}-03-20", status="illustrative", licence=LICENCE,
        citation="none: no city or county fertiliser statistics were found; values are illustrative "
                 "(about 26万吨 折纯 on about 1,100万亩, falling per 亩 as the plan requires)",
        illustrative={"regions": "all", "reason": "no published fertiliser or sown-area figures; "
                      "county rows split an illustrative city total by assumed shares"},
    )


# --- 2. utilisation_rates: 化肥/农药利用率 and 畜禽粪污资源化利用, city, long format ----------------------

# (year, indicator as delivered, unit, value as delivered, published?)
# The plan (第一章 二): "截至2020年底，全市化肥和农药利用率均达到40%，分别较2017年提高7.8%和5%".
# 2017 = 40 - 7.8 = 32.2 % and 40 - 5 = 35.0 %, reading 提高7.8% as percentage points.
RATES = {
    2017: {"fert": (32.2, True), "pest": (35.0, True)},  # derived from the plan, see above
    2020: {"fert": (40.0, True), "pest": (40.0, True)},  # the plan: both 40 % at the end of 2020
    # Illustrative, towards the plan's 2025 fertiliser target of 43 %.
    2021: {"fert": (40.6, False), "pest": (40.8, False)},
    2022: {"fert": (41.3, False), "pest": (41.5, False)},
    2023: {"fert": (41.9, False), "pest": (42.2, False)},
    2024: {"fert": (42.5, False), "pest": (None, False)},  # pesticide not yet assessed: "…"
}
# Manure produced and utilised, 万吨. Illustrative (no city figure found; about 1,100万吨 from the
# livestock below); the rate rises towards the plan's 2025 target of 92 % or more.
MANURE = {2020: (1085.0, 950.5), 2021: (1112.4, 986.7), 2022: (1146.0, 1030.3),
          2023: (1158.2, 1056.3), 2024: (1150.6, 1063.2)}


def utilisation_lines() -> tuple[list[list[object]], list[int]]:
    """The CSV's rows and the line numbers of the published values."""
    rows: list[list[object]] = [
        ["巴彦淖尔市化肥农药利用率及畜禽粪污资源化利用情况", "", "", ""],
        ["年份", "指标名称", "计量单位", "数值"],
    ]
    published = []
    for year in sorted(RATES):
        for key, name in (("fert", "化肥利用率"), ("pest", "农药利用率")):
            value, is_published = RATES[year][key]
            # 2023 was exported with a % sign on the rates.
            text = "…" if value is None else (f"{value}%" if year == 2023 else f"{value}")
            rows.append([year, name, "%", text])
            if is_published:
                published.append(len(rows))
        if year in MANURE:
            produced, used = MANURE[year]
            rate = round(used / produced * 100, 1)
            produced_text = f"{produced:,.1f}"
            if year == 2021:  # typed in full-width digits by the clerk
                produced_text = full_width(produced_text)
            rows += [[year, "畜禽粪污产生量", "万吨", produced_text],
                     [year, "畜禽粪污资源化利用量", "万吨", f"{used:,.1f}"],
                     [year, "畜禽粪污资源化利用率", "%", f"{rate}%" if year == 2023 else f"{rate}"]]
    rows.append(["注：2017、2020年化肥、农药利用率引自《巴彦淖尔市“十四五”应对气候变化规划》；“…”表示尚未测算。", "", "", ""])
    rows.append(["数据来源：巴彦淖尔市农牧局", "", "", ""])
    return rows, published


def write_utilisation(path: Path) -> None:
    rows, published = utilisation_lines()
    write_csv(path, rows, "gb18030")
    write_provenance(
        path, source=SOURCE, publisher=NONGMU_PUBLISHER, department_zh="农牧局",
        title="巴彦淖尔市化肥农药利用率及畜禽粪污资源化利用情况 2017-2024（样例交付）",
        received="2025-03-20", status="final", licence=LICENCE,
        citation=f"{PLAN}, 第一章 二 (grade A): fertiliser and pesticide utilisation both 40 % at the "
                 "end of 2020, 7.8 and 5 up on 2017 (2017 = 32.2 % and 35.0 %, reading the rises as "
                 "percentage points). Targets (not delivered): fertiliser 43 %, manure >= 92 % in 2025",
        illustrative={"except_rows": published,
                      "reason": "2021-2024 rates and every manure figure are illustrative; only the "
                                "2017 and 2020 fertiliser and pesticide rates come from the plan"},
    )


# --- 3. livestock: 年末牲畜存栏, two-row header group per animal ---------------------------------

# City year-end stock (万头 / 万只; pigs in 头, as delivered). Illustrative: no city figure found.
# Dairy cattle grow towards the plan's 30万头 dairy base; sheep follow "增羊增牛".
LIVESTOCK = {
    "dairy": {2020: 98, 2021: 116, 2022: 135, 2023: 151, 2024: 160},       # tenths of 万头
    "beef": {2020: 186, 2021: 204, 2022: 227, 2023: 243, 2024: 252},       # tenths of 万头
    "sheep": {2020: 7815, 2021: 8062, 2022: 8298, 2023: 8416, 2024: 8279},  # tenths of 万只
    "goats": {2020: 1213, 2021: 1186, 2022: 1152, 2023: 1124, 2024: 1098},  # tenths of 万只
    "pigs": {2020: 552_300, 2021: 623_800, 2022: 660_400, 2023: 638_200, 2024: 605_100},  # 头
}
LIVESTOCK_SHARES = {  # illustrative county shares
    "dairy": [0.22, 0.12, 0.18, 0.16, 0.04, 0.02, 0.26],
    "beef": [0.18, 0.17, 0.10, 0.18, 0.12, 0.07, 0.18],
    "sheep": [0.14, 0.19, 0.07, 0.20, 0.14, 0.06, 0.20],
    "goats": [0.04, 0.05, 0.06, 0.15, 0.38, 0.28, 0.04],
    "pigs": [0.21, 0.20, 0.08, 0.16, 0.05, 0.03, 0.27],
}
# How each year's clerk wrote some names (variants and a footnote mark).
LIVESTOCK_NAMES = {2020: {"磴口县": "磴口县①"}, 2023: {"乌拉特后旗": "乌后旗"}, 2024: {"杭锦后旗": "杭后旗"}}


def livestock_rows(year: int) -> list[list[object]]:
    split_by = {a: split(LIVESTOCK[a][year], dict(zip(COUNTIES, LIVESTOCK_SHARES[a]))) for a in LIVESTOCK}
    names = LIVESTOCK_NAMES.get(year, {})

    def row(name, values):
        dairy, beef, sheep, goats, pigs = values
        return [name, tenths(dairy), tenths(beef), tenths(sheep), tenths(goats), f"{pigs:,}"]

    rows = [row("全市", [LIVESTOCK[a][year] for a in LIVESTOCK])]
    rows += [row(names.get(c, c), [split_by[a][c] for a in LIVESTOCK]) for c in COUNTIES]
    if year == 2021:  # the city row typed in full-width digits
        rows[0] = [rows[0][0], *(full_width(str(v)) for v in rows[0][1:])]
    return rows


def write_livestock(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "牲畜存栏"
    ws["A1"] = f"{year}年末各旗县区主要牲畜存栏"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    ws["F2"] = "统计时点：12月31日"
    # Group titles carry the unit; pigs are counted in 头, not 万头.
    ws["A3"], ws["B3"], ws["D3"], ws["F3"] = "地区", "牛（万头）", "羊（万只）", "生猪（头）"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.merge_cells("F3:F4")
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "奶牛", "肉牛", "绵羊", "山羊"
    end = write_rows(ws, livestock_rows(year))
    ws.cell(row=end, column=1, value="注：年末存栏数。" + ("①含磴口县农垦单位。" if year == 2020 else ""))
    ws.cell(row=end + 1, column=1, value="填报单位：巴彦淖尔市农牧局")
    save_workbook(wb, path, datetime(year + 1, 2, 20))


def livestock_provenance(year: int, path: Path) -> None:
    write_provenance(
        path, source=SOURCE, publisher=NONGMU_PUBLISHER, department_zh="农牧局",
        title=f"{year}年末各旗县区主要牲畜存栏（样例交付）",
        received=f"{year + 1}-02-25", status="illustrative", licence=LICENCE,
        citation="none: no city livestock statistics were found; values are illustrative (the plan "
                 "names a 30万头 dairy base and 增羊增牛 but gives no stock figures)",
        illustrative={"regions": "all", "reason": "every row is illustrative"},
    )


# --- 4. farmland: 高标准农田 and crop bases, 万亩 ----------------------------------------------------

# High-standard farmland, tenths of 万亩. Illustrative, with these published constraints:
# - 2017-2021 newly built 199.7万亩 (巴彦淖尔市政府工作报告 2022-02, grade A): 2020 + 2021 = 95.0
#   here, so 2017-2019 would be 104.7 (not delivered; stated in the 2021 table's note);
# - 2024 annual construction plan 185万亩 (内蒙古日报 2024-02-27, grade B): the 2024 当年建设任务;
# - 2025 target 1014万亩 cumulative (the plan): 1011.0 at the end of 2024 here.
HSF_CUMULATIVE_END_2019 = 5200
HSF_NEW = {2020: 465, 2021: 485, 2022: 980, 2023: 1200, 2024: 1780}
HSF_PLANNED = {2020: 450, 2021: 500, 2022: 1000, 2023: 1200, 2024: 1850}  # 2024: published plan
HSF_SHARES = dict(zip(COUNTIES, [0.18, 0.21, 0.08, 0.19, 0.07, 0.02, 0.25]))
# 乌拉特后旗 had no farmland project in 2020-2021: its task and new area are "/" (not applicable).
HSF_NONE = {2020: {"乌拉特后旗"}, 2021: {"乌拉特后旗"}}
# Crop base areas, tenths of 万亩. Illustrative, towards the plan's 100 / 450 / 400万亩 bases.
BASES = {
    "wheat": {2020: 680, 2021: 745, 2022: 820, 2023: 905, 2024: 960},
    "maize": {2020: 3320, 2021: 3560, 2022: 3815, 2023: 4050, 2024: 4280},
    "sunflower": {2020: 3150, 2021: 3380, 2022: 3525, 2023: 3710, 2024: 3860},
}
BASE_SHARES = {  # illustrative; no wheat base in the two pastoral banners ("/")
    "wheat": [0.22, 0.24, 0.08, 0.16, 0.0, 0.0, 0.30],
    "maize": [0.20, 0.16, 0.10, 0.20, 0.06, 0.02, 0.26],
    "sunflower": [0.12, 0.26, 0.06, 0.22, 0.10, 0.02, 0.22],
}
# County figures not yet reported when the table was compiled ("…"); the city total includes them.
NOT_REPORTED = {2022: {("乌拉特中旗", "sunflower")}, 2024: {("乌拉特后旗", "new"), ("乌拉特后旗", "cumulative")}}
FARMLAND_NAMES = {2021: {"乌拉特前旗": "乌前旗", "杭锦后旗": "杭后旗"}, 2022: {"乌拉特中旗": "乌中旗"},
                  2023: {"临河区": "临河"}, 2024: {"杭锦后旗": "杭后旗", "乌拉特后旗": "乌后旗"}}


def farmland_table() -> dict[int, dict[str, dict[str, int | None]]]:
    """year -> county -> column -> tenths of 万亩 (None: not applicable)."""
    cumulative = split(HSF_CUMULATIVE_END_2019, HSF_SHARES)
    out = {}
    for year in YEARS:
        shares = {c: (0.0 if c in HSF_NONE.get(year, set()) else s) for c, s in HSF_SHARES.items()}
        new, planned = split(HSF_NEW[year], shares), split(HSF_PLANNED[year], shares)
        bases = {b: split(BASES[b][year], dict(zip(COUNTIES, BASE_SHARES[b]))) for b in BASES}
        table = {}
        for c in COUNTIES:
            cumulative[c] += new[c]
            na = shares[c] == 0
            table[c] = {"planned": None if na else planned[c], "new": None if na else new[c],
                        "cumulative": cumulative[c],
                        **{b: (bases[b][c] if BASE_SHARES[b][COUNTIES.index(c)] else None) for b in BASES}}
        out[year] = table
    return out


def farmland_rows(year: int, table: dict) -> list[list[object]]:
    cols = ["planned", "new", "cumulative", "wheat", "maize", "sunflower"]
    city = [sum(v[k] or 0 for v in table.values()) for k in cols]
    rows = [["全市", *(tenths(v) for v in city)]]
    names, missing = FARMLAND_NAMES.get(year, {}), NOT_REPORTED.get(year, set())
    for c in COUNTIES:
        cells = []
        for k in cols:
            v = table[c][k]
            cells.append("…" if (c, k) in missing else "/" if v is None else tenths(v))
        rows.append([names.get(c, c), *cells])
    return rows


def write_farmland(year: int, path: Path, table: dict) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "高标准农田"
    sheet_header(ws, f"{year}年各旗县区高标准农田建设及优势作物基地面积", "单位：万亩", "G")
    ws.merge_cells("A1:G1")
    ws["A3"], ws["B3"], ws["E3"] = "旗县区", "高标准农田", "优势作物基地面积"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:D3")
    ws.merge_cells("E3:G3")
    for col, name in zip("BCDEFG", ["当年建设任务", "当年新建", "累计建成", "优质小麦", "玉米", "向日葵"]):
        ws[f"{col}4"] = name
    end = write_rows(ws, farmland_rows(year, table))
    notes = ["注：“/”表示无此项，“…”表示旗县区尚未上报，全市合计含其数。"]
    if year == 2021:
        notes.append("    2017—2021年全市累计新增高标准农田199.7万亩。")
    if year == 2024:
        notes.append("    2024年全市高标准农田建设任务185万亩。")
    for i, note in enumerate(notes):
        ws.cell(row=end + i, column=1, value=note)
    save_workbook(wb, path, datetime(year + 1, 3, 10))


def farmland_provenance(year: int, path: Path) -> None:
    cites = ["2025 target of 1014万亩 cumulative: " + PLAN + " (grade A)"]
    if year == 2021:
        cites.insert(0, "2017-2021 newly built 199.7万亩: 巴彦淖尔市政府工作报告 2022-02 (grade A); the "
                        "table's note quotes it, and the 2020 and 2021 new areas (46.5 + 48.5) leave "
                        "104.7万亩 for 2017-2019")
    if year == 2024:
        cites.insert(0, "2024 annual construction task 185万亩 (当年建设任务, city row): 内蒙古日报 "
                        "2024-02-27 (grade B); the row is marked illustrative because its other values are")
    write_provenance(
        path, source=SOURCE, publisher=NONGMU_PUBLISHER, department_zh="农牧局（水利局配合）",
        title=f"{year}年各旗县区高标准农田建设及优势作物基地面积（样例交付）",
        received=f"{year + 1}-03-15", status="illustrative", licence=LICENCE,
        citation="; ".join(cites) + ". Every delivered value is illustrative unless named here.",
        illustrative={"regions": "all", "reason": "no city or county area figures were found for "
                      "single years; the values respect the published totals named in the citation"},
    )


# --- 5. irrigation: 农田灌溉水有效利用系数, city (水利局) ---------------------------------------------

# (year, coefficient, note as delivered, published?)
IRRIGATION = [
    (2017, 0.412, "自治区测算分析成果", True),   # the plan, 第一章 二: 0.412 in 2017
    (2020, 0.467, "“十四五”规划基数", True),      # the plan: 0.467 in 2020
    (2021, 0.472, "", False),                   # illustrative, towards 0.488 in 2025 (the plan)
    (2022, 0.476, "", False),                   # illustrative
    (2023, 0.480, "", False),                   # illustrative
    (2024, 0.484, "初步测算", False),            # illustrative
]


def write_irrigation(path: Path) -> None:
    rows: list[list[object]] = [["巴彦淖尔市农田灌溉水有效利用系数测算成果", "", ""],
                                ["年份", "灌溉水有效利用系数", "备注"]]
    published = []
    for year, coefficient, note, is_published in IRRIGATION:
        rows.append([f"{year}年", f"{coefficient:.3f}", note])
        if is_published:
            published.append(len(rows))
    rows.append(["注：按首尾法测算；2018、2019年未列入本表。", "", ""])
    rows.append(["数据来源：巴彦淖尔市水利局", "", ""])
    write_csv(path, rows, "utf-8-sig")
    write_provenance(
        path, source=SOURCE, publisher="巴彦淖尔市水利局", department_zh="水利局",
        title="巴彦淖尔市农田灌溉水有效利用系数 2017、2020-2024（样例交付）",
        received="2025-04-10", status="final", licence=LICENCE,
        citation=f"{PLAN}, 第一章 二 (grade A): 0.412 in 2017 and 0.467 in 2020; target 0.488 in 2025 "
                 "(第五章, not delivered)",
        illustrative={"except_rows": published, "reason": "2021-2024 coefficients are illustrative"},
    )


def main() -> int:
    args = arguments(__doc__)
    folder = args.raw_dir / SOURCE
    farmland = farmland_table()
    for year in YEARS:
        if may_write(path := folder / f"fertiliser_{year}.xlsx", args.force):
            write_fertiliser(year, path)
            fertiliser_provenance(year, path)
        if may_write(path := folder / f"livestock_{year}.xlsx", args.force):
            write_livestock(year, path)
            livestock_provenance(year, path)
        if may_write(path := folder / f"farmland_{year}.xlsx", args.force):
            write_farmland(year, path, farmland[year])
            farmland_provenance(year, path)
    if may_write(path := folder / "utilisation_rates.csv", args.force):
        write_utilisation(path)
    if may_write(path := folder / "irrigation_coefficient.csv", args.force):
        write_irrigation(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
