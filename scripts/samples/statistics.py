"""Write the statistics bureau's bundled sample deliveries under raw/statistics/, each with its provenance file.

Run by a maintainer when the sample changes (`.venv/bin/python -m scripts.samples.statistics`);
the pipeline never runs it, and raw files once delivered are not rewritten: the script skips a
file that exists unless --force is given.

Three datasets (raw/statistics/README.md lists every file):
- regional_gdp_{year}.xlsx (2015-2024): 各旗县区地区生产总值, yearbook layout; and the revisions
  regional_gdp_2020_rev1.xlsx (the city row of 2020 revised to the plan's industrial structure) and
  regional_gdp_2022_rev1.xlsx (the city's 2022 total as later published, 1081.3亿元, grade C).
- industrial_value_added_{year}.xlsx (2015, 2020-2024): 规模以上工业增加值 in 万元, as text with
  thousands separators, a few cells in full-width digits.
- population.csv: 年末常住人口 and 城镇人口 for 2015 and 2020-2024, a GB18030 export with region
  name variants; population_rev1.csv, the same export with the published city figures of 2020
  (year end 153.6万人, grade A derived; census urban population 92.30万人, grade C) and 2022
  (151.8万人, grade C).

City figures are the published ones (shared reference: published_figures.md, and the plan's
2015/2020 industrial structure); every value no publication gives is illustrative and the
provenance file says which rows those are.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
LICENCE = "Public government statistics (政府信息公开); sample assembled for this project"

# --- regional_gdp -------------------------------------------------------------------------------

# City GDP at current prices (亿元): total, primary, secondary, tertiary; then the volume indices
# (上年=100) of the total and of the three sectors. None = not published for that year.
CITY = {
    # 2015-2019: totals and total indices are fixed by the project brief so that the real-growth
    # chain 2015->2020 is unbroken (the energy sample depends on them): 2020/2015 real GDP =
    # 1.07 x 1.055 x 1.05 x 1.048 x 0.985. Illustrative except 2018's total (see below).
    # 2015: total illustrative; sectors split the total by the plan's published 2015 structure
    # 24.7 : 35.9 : 39.4 (规划 第一章 二, "四是合理优化产业结构"); indices illustrative.
    # The 2015 index (108.0) links to 2014 and cancels out of every chain from 2015 on.
    2015: ((760.0, 187.7, 272.8, 299.5), (108.0, 103.5, 109.2, 109.5)),
    # 2016-2019: sectors illustrative, split by shares interpolated linearly between the plan's
    # 2015 structure and the 2020 bulletin's 25.3 : 29.4 : 45.3; indices illustrative.
    2016: ((790.2, 196.0, 273.4, 320.8), (107.0, 103.6, 107.8, 108.2)),   # illustrative
    2017: ((770.5, 191.9, 256.6, 322.0), (105.5, 103.2, 104.6, 107.3)),   # illustrative
    # Total 813.1亿元: 内蒙古新闻网 2019-09-04 (grade B); sectors and indices illustrative.
    2018: ((813.1, 204.1, 260.2, 348.8), (105.0, 103.8, 103.9, 106.4)),
    2019: ((846.0, 213.2, 259.7, 373.1), (104.8, 102.9, 104.2, 106.1)),   # illustrative
    # 巴彦淖尔市2020年国民经济和社会发展统计公报 (2021-03-24), preliminary (初步核算).
    2020: ((874.0, 221.5, 256.6, 395.9), (98.5, 103.8, 94.3, 98.7)),
    # 巴彦淖尔市2021年国民经济和社会发展统计公报 (2022-04-06), preliminary.
    2021: ((982.7, 244.9, 328.0, 409.8), (104.3, 105.4, 103.2, 104.3)),
    # Illustrative: no 2022 figures were found.
    2022: ((1086.4, 272.3, 372.5, 441.6), (104.0, 105.0, 103.6, 103.8)),
    # Total 1161.10 from a secondary page (grade C); sectors and indices illustrative.
    2023: ((1161.1, 280.0, 405.2, 475.9), (106.0, 105.8, 107.1, 105.3)),
    # Illustrative.
    2024: ((1215.0, 287.4, 430.1, 497.5), (105.2, 104.6, 106.0, 104.9)),
}
PUBLISHED = {
    2020: dict(title="巴彦淖尔市2020年国民经济和社会发展统计公报", published="2021-03-24",
               status="preliminary", grade="A"),
    2021: dict(title="巴彦淖尔市2021年国民经济和社会发展统计公报", published="2022-04-06",
               status="preliminary", grade="A"),
}
# Citations of the years whose rows are all illustrative but that use some published figure.
PARTIAL_CITATIONS = {
    2015: "sector split: the three-sector structure 24.7 : 35.9 : 39.4 of 2015 given by "
          "巴彦淖尔市\"十四五\"应对气候变化规划 (第一章 二, grade A), applied to an illustrative total; "
          "everything else illustrative",
    2018: "GDP total 813.1亿元 from 内蒙古新闻网 (2019-09-04, grade B); everything else illustrative",
    2023: "GDP total 1161.10亿元 from a secondary page (163.com, grade C); everything else illustrative",
}
# Revised deliveries: {(year, revision): city row as in CITY}. 2020: the plan (第一章 二) restates
# the 2020 structure as 25.5 : 29.5 : 44.9 (the preliminary bulletin: 25.3 : 29.4 : 45.3) and gives
# no revised total, so the total stays 874.0 and the indices stay the bulletin's. The plan gives
# shares only; the amounts are chosen within the rounding of those shares (25.45-25.55 % ...) so
# that they add up to 874.0: 223.2 / 874.0 = 25.54 %, 258.2 / 874.0 = 29.54 %, 392.6 / 874.0 = 44.92 %
# (the shares themselves add up to 99.9, so 874.0 x each share would not).
# 2022: published_figures.md lists the 2022 total, 1081.3亿元 (secondary page, grade C, low), where
# the 2022 file had an illustrative 1086.4; the bureau's revised city row carries it, the tertiary
# sector taking the difference (272.3 + 372.5 + 436.5 = 1081.3; sectors and indices illustrative).
REVISIONS = {
    (2020, 1): ((874.0, 223.2, 258.2, 392.6), (98.5, 103.8, 94.3, 98.7)),
    (2022, 1): ((1081.3, 272.3, 372.5, 436.5), (104.0, 105.0, 103.6, 103.8)),
}
REVISION_NOTES = {
    (2020, 1): "    2. 2020年三次产业结构按巴彦淖尔市\"十四五\"应对气候变化规划修订为25.5:29.5:44.9；总量及指数未修订。",
    (2022, 1): "    2. 2022年地区生产总值总量修订为1081.3亿元；分产业及指数为示意数据。",
}
PLAN = "巴彦淖尔市\"十四五\"应对气候变化规划"


# Illustrative split of city GDP among the counties: share of total GDP, and a tilt of the
# primary/secondary sector shares against the city's (agricultural counties vs industrial ones),
# and a deviation of the volume index from the city's. No county figures were found.
COUNTY_MODEL = {
    "临河区": (0.330, (-0.08, -0.02), 0.3),
    "五原县": (0.120, (+0.12, -0.06), -0.2),
    "磴口县": (0.080, (+0.02, +0.05), 0.4),
    "乌拉特前旗": (0.160, (-0.03, +0.08), -0.1),
    "乌拉特中旗": (0.100, (+0.04, +0.06), 0.2),
    "乌拉特后旗": (0.090, (-0.12, +0.20), -0.3),
    "杭锦后旗": (0.120, (+0.10, -0.04), 0.0),
}


def county_rows(year: int) -> list[tuple]:
    (total, prim, sec, _), (idx, *_sector_idx) = CITY[year]
    rows = []
    for name, (share, (tilt_p, tilt_s), didx) in COUNTY_MODEL.items():
        gdp = round(total * share, 1)
        p = round(gdp * (prim / total + tilt_p), 1)
        s = round(gdp * (sec / total + tilt_s), 1)
        t = round(gdp - p - s, 1)
        rows.append((name, gdp, p, s, t, round(idx + didx, 1), None, None, None))
    return rows


def write_gdp_workbook(year: int, path: Path, revision: int = 0) -> None:
    """The yearbook table of `year`; a revision carries the revised city row only."""
    (total, prim, sec, ter), (idx, ip, is_, it) = REVISIONS[year, revision] if revision else CITY[year]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "地区生产总值"
    ws["A1"] = f"表3-2  {year}年各旗县区地区生产总值"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:I1")
    ws["I2"] = "单位：亿元"
    ws["I2"].alignment = Alignment(horizontal="right")
    # Two-row header: group titles merged over their columns, as the yearbook prints them.
    ws["A3"], ws["B3"], ws["F3"] = "地  区", "地区生产总值", "地区生产总值指数（上年=100）"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:E3")
    ws.merge_cells("F3:I3")
    for col, name in zip("BCDEFGHI", ["合计", "第一产业", "第二产业", "第三产业"] * 2):
        ws[f"{col}4"] = name
    rows = [("巴彦淖尔市", total, prim, sec, ter, idx, ip, is_, it)] + ([] if revision else county_rows(year))
    for r, values in enumerate(rows, start=5):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value="—" if v is None else v)
    note_row = 5 + len(rows)
    ws.cell(row=note_row, column=1, value="注：1. 地区生产总值按当年价格计算，指数按可比价格计算。")
    status = PUBLISHED.get(year, {}).get("status")
    if revision:
        ws["A1"] = f"表3-2  {year}年地区生产总值（修订）"
        ws.cell(row=note_row + 1, column=1, value=REVISION_NOTES[year, revision])
    else:
        ws.cell(row=note_row + 1, column=1,
                value=f"    2. {year}年数据为{'初步核算数' if status == 'preliminary' else '示意数据（非公布数）'}。")
    for col, width in zip("ABCDEFGHI", [14, 12, 10, 10, 10, 12, 10, 10, 10]):
        ws.column_dimensions[col].width = width
    # Fixed document times so that the same sample gives the same bytes, hence the same sha256.
    save_workbook(wb, path, datetime(year + 1, 12, 31) if revision else datetime(year + 1, 4, 1))


def gdp_revision_provenance(year: int, revision: int) -> dict:
    if (year, revision) == (2022, 1):
        return {
            "source": "statistics",
            "publisher": "巴彦淖尔市统计局",
            "department_zh": "统计局",
            "title": "2022年地区生产总值（修订，样例交付）",
            "revises": "regional_gdp_2022.xlsx",
            "received": "2024-03-01",
            "licence": LICENCE,
            "status": "preliminary",
            "citation": "GDP total 1081.3亿元 (current prices) from a secondary page (published_figures.md, "
                        "grade C, low confidence), replacing the illustrative 1086.4 of regional_gdp_2022.xlsx; "
                        "the sector amounts (tertiary 436.5 takes the difference) and the indices are illustrative",
            "grade": {"gdp_current_100m_yuan": "C"},
            "illustrative": {
                "regions": "all",
                "reason": "the row holds a grade-C total beside illustrative sectors and indices, so it is "
                          "marked illustrative as a whole; the total itself is the published figure",
            },
            "note": "the receipt date is illustrative",
        }
    return {
        "source": "statistics",
        "publisher": "巴彦淖尔市统计局",
        "department_zh": "统计局",
        "title": f"{year}年地区生产总值（修订，样例交付）",
        "revises": f"regional_gdp_{year}.xlsx",
        # The plan was issued in 2021; its text gives no date. The receipt date orders this
        # vintage after the bulletin's (received 2021-05-01) and is illustrative.
        "received": f"{year + 1}-12-31",
        "licence": LICENCE,
        "status": "final",
        "citation": f"{PLAN} (2021), 第一章 二, grade A: the 2020 three-sector structure 25.5 : 29.5 : 44.9 "
                    "(revised from the preliminary bulletin's 25.3 : 29.4 : 45.3). The plan gives no revised "
                    "total or index: the total 874.0 and the indices are the bulletin's (巴彦淖尔市2020年国民经济和"
                    "社会发展统计公报, 2021-03-24); the sector amounts 223.2 / 258.2 / 392.6 are chosen within the "
                    "rounding of the published shares so that they add up to 874.0 (illustrative amounts, "
                    "published shares)",
        "note": "the receipt date is illustrative (the plan's text gives no issue date)",
    }


def gdp_provenance(year: int) -> dict:
    pub = PUBLISHED.get(year)
    spec = {
        "source": "statistics",
        "publisher": "巴彦淖尔市统计局",
        "department_zh": "统计局",
        "title": f"{year}年各旗县区地区生产总值（样例交付）",
        "received": f"{year + 1}-05-01",
        "licence": LICENCE,
    }
    if pub:
        return spec | {
            "status": pub["status"],
            "published": pub["published"],
            "citation": f"{pub['title']} ({pub['published']}), grade {pub['grade']}: the city row "
                        "(total, sectors and indices) as published",
            "illustrative": {
                "regions": COUNTIES,
                "reason": "no county figures were found; county rows split the city total by "
                          "assumed shares and are illustrative",
            },
        }
    return spec | {
        "status": "illustrative",
        "citation": PARTIAL_CITATIONS.get(year, "none: no figures for this year were found"),
        "illustrative": {
            "regions": "all",
            "reason": "no published sector values or comparable-price growth for this year; "
                      "the rows are illustrative",
        },
    }


# --- industrial_value_added ---------------------------------------------------------------------

# City 规模以上工业增加值 at current prices (万元), its index (上年=100, comparable prices) and the
# number of above-scale industrial enterprises. All illustrative: no published figure was found.
# Sized at 66-71 % of the secondary sector of the regional_gdp sample (e.g. 2020: 169.74 / 256.6).
IVA_CITY = {
    2015: (1_905_600, 108.3, 236),   # illustrative, 69.9 % of 272.8亿元
    2020: (1_697_400, 95.1, 198),    # illustrative, 66.1 % of 256.6亿元 (secondary index 94.3)
    2021: (2_262_800, 104.6, 207),   # illustrative, 69.0 % of 328.0亿元
    2022: (2_646_300, 105.8, 223),   # illustrative, 71.0 % of 372.5亿元
    2023: (2_861_500, 108.4, 241),   # illustrative, 70.6 % of 405.2亿元
    2024: (3_004_700, 106.7, 254),   # illustrative, 69.9 % of 430.1亿元
}
# Illustrative county split: share of value added, share of enterprises, index deviation from the
# city's. Mining, smelting and power sit in the Urad banners; food processing in Linhe.
IVA_COUNTY_MODEL = {
    "临河区": (0.24, 0.27, +0.5),
    "五原县": (0.06, 0.10, -0.8),
    "磴口县": (0.09, 0.09, +1.2),
    "乌拉特前旗": (0.21, 0.17, -0.4),
    "乌拉特中旗": (0.13, 0.12, +0.9),
    "乌拉特后旗": (0.19, 0.14, +0.3),
    "杭锦后旗": (0.08, 0.11, -1.1),
}
# The quirks of each year's file (cell text as the bureau's export has it), by (year, region).
IVA_FULL_WIDTH_VALUE = {(2021, "五原县")}        # value added typed in full-width digits and comma
IVA_FULL_WIDTH_COUNT = {(2023, "巴彦淖尔市")}    # enterprise count in full-width digits
IVA_MISSING_INDEX = {(2015, "磴口县")}           # index not compiled: "…"
IVA_NAME_AS_DELIVERED = {(2015, "杭锦后旗"): "杭后旗", (2022, "乌拉特后旗"): "乌拉特后旗①"}


def iva_rows(year: int) -> list[tuple[str, int, int, float | None]]:
    """(region, enterprises, value added in 万元, index): the city, then the counties, whose value
    added and enterprises add up to the city's exactly (Linhe takes the rounding remainder)."""
    value, idx, firms = IVA_CITY[year]
    counties = []
    for name, (v_share, f_share, didx) in IVA_COUNTY_MODEL.items():
        counties.append([name, round(firms * f_share), round(value * v_share), round(idx + didx, 1)])
    counties[0][1] += firms - sum(c[1] for c in counties)
    counties[0][2] += value - sum(c[2] for c in counties)
    return [("巴彦淖尔市", firms, value, idx)] + [tuple(c) for c in counties]


def _full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))


def write_iva_workbook(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "规上工业"
    ws["A1"] = f"表7-3  {year}年各旗县区规模以上工业主要指标"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:D1")
    ws["D2"] = "单位：万元"
    ws["D2"].alignment = Alignment(horizontal="right")
    ws["A3"], ws["B3"], ws["C3"] = "地  区", "企业单位数（个）", "规模以上工业增加值"
    ws["C4"], ws["D4"] = "当年价格", "指数（上年=100）"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:D3")
    for r, (name, firms, value, idx) in enumerate(iva_rows(year), start=5):
        key = (year, name)
        # The statistics system exports amounts as text with thousands separators.
        value_text = f"{int(value):,}"
        ws.cell(row=r, column=1, value=IVA_NAME_AS_DELIVERED.get(key, name))
        ws.cell(row=r, column=2, value=_full_width(str(firms)) if key in IVA_FULL_WIDTH_COUNT else firms)
        ws.cell(row=r, column=3, value=_full_width(value_text) if key in IVA_FULL_WIDTH_VALUE else value_text)
        ws.cell(row=r, column=4, value="…" if key in IVA_MISSING_INDEX else idx)
    note_row = 5 + 1 + len(IVA_COUNTY_MODEL)
    ws.cell(row=note_row, column=1, value="注：1. 规模以上工业统计范围为年主营业务收入2000万元及以上的工业法人单位。")
    ws.cell(row=note_row + 1, column=1, value="    2. 增加值按当年价格计算，指数按可比价格计算；“…”表示数据不详。")
    if year == 2022:
        ws.cell(row=note_row + 2, column=1, value="    ① 含乌拉特后旗工业园区。")
    for col, width in zip("ABCD", [14, 16, 14, 16]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(year + 1, 4, 15))


def iva_provenance(year: int) -> dict:
    return {
        "source": "statistics",
        "publisher": "巴彦淖尔市统计局",
        "department_zh": "统计局",
        "title": f"{year}年各旗县区规模以上工业主要指标（样例交付）",
        "received": f"{year + 1}-05-01",
        "licence": LICENCE,
        "status": "illustrative",
        "citation": "none: no published 规模以上工业增加值 for Bayannur or its counties was found; "
                    "sized at about 66-71 % of the secondary sector of the regional_gdp sample",
        "illustrative": {
            "regions": "all",
            "reason": "no published figures; every row is illustrative",
        },
    }


# --- population ---------------------------------------------------------------------------------

# City 年末常住人口 (万人) and 常住人口城镇化率 (%).
POP_CITY = {
    2015: (168.50, 52.6),   # illustrative
    # 第七次全国人口普查 153.87万人 (行政区划网, grade C): a 1 November 2020 figure used for the
    # year end; the urbanisation rate is illustrative.
    2020: (153.87, 59.9),
    # 巴彦淖尔市2021年国民经济和社会发展统计公报 (2022-04-06, grade A): 152.8万人, 60.6 %.
    2021: (152.80, 60.6),
    2022: (151.92, 61.3),   # illustrative
    2023: (151.06, 62.0),   # illustrative
    2024: (150.21, 62.7),   # illustrative
}
# Illustrative county split: share of the city's population and urbanisation rate in 2020
# (these rates weight to the city's 59.9 %); other years scale the rates with the city's.
POP_COUNTY_MODEL = {
    "临河区": (0.35, 0.78),
    "五原县": (0.16, 0.45),
    "磴口县": (0.06, 0.58),
    "乌拉特前旗": (0.17, 0.48),
    "乌拉特中旗": (0.08, 0.55),
    "乌拉特后旗": (0.04, 0.70),
    "杭锦后旗": (0.14, 0.47),
}
# Names as the export writes them in each year (the system kept whatever was typed that year).
POP_NAME_AS_DELIVERED = {
    (2015, "巴彦淖尔市"): "全市", (2015, "乌拉特前旗"): "乌前旗", (2015, "杭锦后旗"): "杭后旗",
    (2022, "杭锦后旗"): "杭后旗", (2023, "乌拉特前旗"): "乌前旗", (2024, "乌拉特中旗"): "乌中旗",
}
POP_FILE = "population.csv"


def population_lines() -> tuple[list[list[object]], int]:
    """The CSV's lines, and the line number of the 2021 city row (the published one)."""
    lines: list[list[object]] = [
        ["巴彦淖尔市分旗县区年末常住人口", "", "", ""],
        ["单位：万人", "", "", ""],
        ["年份", "地区", "年末常住人口", "城镇人口"],
    ]
    published_line = 0
    for year, (pop, rate) in sorted(POP_CITY.items()):
        rows = [("巴彦淖尔市", pop, round(pop * rate / 100, 2))]
        for name, (share, rate_2020) in POP_COUNTY_MODEL.items():
            county_pop = round(pop * share, 2)
            # County urban population was not compiled for 2015 (before the census revision).
            urban = None if year == 2015 else round(county_pop * min(rate_2020 * rate / 59.9, 0.99), 2)
            rows.append((name, county_pop, urban))
        for name, p, u in rows:
            lines.append([f"{year}年", POP_NAME_AS_DELIVERED.get((year, name), name),
                          f"{p:.2f}", "…" if u is None else f"{u:.2f}"])
            if (year, name) == (2021, "巴彦淖尔市"):
                published_line = len(lines)
    lines.append(["注：2020年为第七次全国人口普查数（11月1日零时），其余年份为年度人口变动抽样调查推算数。", "", "", ""])
    lines.append(["数据来源：巴彦淖尔市统计局", "", "", ""])
    return lines, published_line


def population_provenance(published_line: int) -> dict:
    return {
        "source": "statistics",
        "publisher": "巴彦淖尔市统计局",
        "department_zh": "统计局",
        "title": "2015、2020-2024年分旗县区年末常住人口（样例交付，统计数据系统导出）",
        "received": "2025-05-06",
        "licence": LICENCE,
        "status": "preliminary",
        "citation": "巴彦淖尔市2021年国民经济和社会发展统计公报 (2022-04-06), grade A: 2021 year-end "
                    "resident population 152.8万人 and urbanisation rate 60.6 % (城镇人口 92.60 = "
                    "152.8 x 60.6 %). The 2020 city population 153.87万人 is the seventh census "
                    "figure (1 November 2020, not year end; 行政区划网, grade C), used for 2020 "
                    "and marked illustrative with its illustrative urban population",
        "illustrative": {
            "except_rows": [published_line],
            "reason": "only the 2021 city row is published (bulletin); the 2020 city row uses the "
                      "census figure (grade C) with an illustrative urban population; every other "
                      "row and every county row is illustrative",
        },
    }


# The re-sent export (population_rev1.csv): the published city figures where the original export
# had illustrative ones. 2020: the year-end population 153.6万人, implied by the 2021 bulletin
# (152.8, "0.8 fewer than a year before", grade A derived) instead of the census figure, and the
# census urban population 92.30万人 (七普, 1 November 2020, grade C; no year-end urban figure was
# found). 2022: the year-end population 151.8万人 (secondary page, grade C); its urban population
# stays illustrative (the 2022 rate of the model, 61.3 %: 151.8 x 61.3 % = 93.05). County rows as
# in the original export.
POP_REVISED_CITY = {2020: (153.60, 92.30), 2022: (151.80, 93.05)}
POP_REVISION_FILE = "population_rev1.csv"


def population_revision_lines() -> tuple[list[list[object]], list[int]]:
    """The re-sent export's lines, and the line numbers of its published city rows (2020, 2021)."""
    lines, _ = population_lines()
    published = []
    for number, line in enumerate(lines, start=1):
        year = int(line[0][:4]) if line[0][:4].isdigit() else None
        if line[1] in ("巴彦淖尔市", "全市") and year in POP_REVISED_CITY:
            pop, urban = POP_REVISED_CITY[year]
            line[2], line[3] = f"{pop:.2f}", f"{urban:.2f}"
        if line[1] in ("巴彦淖尔市", "全市") and year in (2020, 2021):
            published.append(number)
    lines[-2] = ["注：2020年年末常住人口按2021年统计公报推算（152.8 + 0.8），城镇人口为第七次全国人口普查数（11月1日零时）；"
                 "其余年份为年度人口变动抽样调查推算数。", "", "", ""]
    return lines, published


def population_revision_provenance(published_lines: list[int]) -> dict:
    return {
        "source": "statistics",
        "publisher": "巴彦淖尔市统计局",
        "department_zh": "统计局",
        "title": "2015、2020-2024年分旗县区年末常住人口（修订，样例交付，统计数据系统导出）",
        "revises": POP_FILE,
        "received": "2025-09-01",
        "licence": LICENCE,
        "status": "preliminary",
        "citation": "2020 city: year-end resident population 153.6万人, implied by 巴彦淖尔市2021年国民经济和社会发展"
                    "统计公报 (2022-04-06; 152.8万人, 0.8万人 fewer than a year before; grade A, derived); urban "
                    "population 92.30万人, the seventh census figure (1 November 2020, 行政区划网, grade C). "
                    "2021 city: 152.8万人 and urbanisation 60.6 % (the same bulletin, grade A). 2022 city: "
                    "year-end population 151.8万人 (secondary page, grade C) with an illustrative urban population",
        "grade": {"2020 city resident_population_10k": "A (derived)", "2020 city urban_population_10k": "C",
                  "2021 city": "A", "2022 city resident_population_10k": "C"},
        "illustrative": {
            "except_rows": published_lines,
            "reason": "the 2020 and 2021 city rows are published figures; the 2022 city row holds a grade-C "
                      "population beside an illustrative urban population; every other row and every "
                      "county row is illustrative",
        },
        "note": "the receipt date is illustrative",
    }


def main() -> int:
    args = arguments(__doc__)
    folder = args.raw_dir / "statistics"
    for year in sorted(CITY):
        path = folder / f"regional_gdp_{year}.xlsx"
        if may_write(path, args.force):
            write_gdp_workbook(year, path)
            write_provenance(path, **gdp_provenance(year))
    for year, revision in sorted(REVISIONS):
        path = folder / f"regional_gdp_{year}_rev{revision}.xlsx"
        if may_write(path, args.force):
            write_gdp_workbook(year, path, revision)
            write_provenance(path, **gdp_revision_provenance(year, revision))
    for year in sorted(IVA_CITY):
        path = folder / f"industrial_value_added_{year}.xlsx"
        if may_write(path, args.force):
            write_iva_workbook(year, path)
            write_provenance(path, **iva_provenance(year))
    path = folder / POP_FILE
    if may_write(path, args.force):
        lines, published_line = population_lines()
        write_csv(path, lines, "gb18030")
        write_provenance(path, **population_provenance(published_line))
    path = folder / POP_REVISION_FILE
    if may_write(path, args.force):
        lines, published_lines = population_revision_lines()
        write_csv(path, lines, "gb18030")
        write_provenance(path, **population_revision_provenance(published_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
