"""The bad-delivery corpus: each kind of bad delivery or operator fault, applied to a copy of raw/,
must be rejected with its expected message (file, place, problem), and leave every state probe
(raw files, raw tables; tests/bad_delivery_kit.STATE_PROBES) exactly as it was.

Most kinds run the ingestion step's own reading (orchestration.deliveries.loading.ingest, then the
write it guards) without Dagster; a few run the real ingestion asset, and one the `check` command.
The session ends with "bad-delivery corpus: N kinds tried, N gave a located error" (conftest).
Values in messages are worked out by hand from the sample deliveries in comments.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from datetime import datetime

import pytest

from orchestration import settings
from orchestration.deliveries import Contract, DeliveryError, unknown_files
from orchestration.deliveries.loading import ingest
from orchestration.warehouse import replace_vintages
from tests.bad_delivery_kit import (
    Kind, bytes_of, cell, copy_as, csv_rows, error_cell, faults, prov, prov_text, rename, states, touch, xl,
)
from tests.helpers import RAW, ROOT

TALLY = {"tried": 0, "located": 0}
LOG = logging.getLogger("bad-deliveries")
# the configured years come from the plans (settings.YEARS); the first year past them
SPAN = f"{settings.YEARS[0]}-{settings.YEARS[-1]}"
AFTER = int(settings.YEARS[-1]) + 1

GDP_FILE = "statistics/regional_gdp_2021.xlsx"
GDP = f"{GDP_FILE}, sheet '地区生产总值'"
POP_FILE = "statistics/population.csv"
POP = f"{POP_FILE}, sheet 'population.csv'"
WS_FILE = "meteorology/weather_service.csv"
WS = f"{WS_FILE}, sheet 'weather_service.csv'"
GAS_FILE = "energy/gas_coverage_2022.xlsx"
GAS = f"{GAS_FILE}, sheet '燃气'"
LIV_FILE = "agriculture/livestock_2022.xlsx"
LIV = f"{LIV_FILE}, sheet '牲畜存栏'"
EB_FILE = "energy/energy_balance_2022.xlsx"
EB = f"{EB_FILE}, sheet '能源平衡表'"
PW_FILE = "energy/power_2022.xlsx"
PW = f"{PW_FILE}, sheet '电力'"
FR_FILE = "forestry/forest_resources_2022.xlsx"
PWP = f"{PW_FILE}.provenance.yml"

GDP_C8 = f"{GDP}, row 8, column C (地区生产总值/第一产业)"
POP_C21 = f"{POP}, row 21, column C (年末常住人口)"
Y21, Y22, Y20 = ("2021",), ("2022",), ("2020",)


def gdp(name, expected, *edits, cls="cell"):
    return Kind(cls, name, "statistics/regional_gdp", xl(GDP_FILE, *edits), expected, Y21)


def pop(name, expected, *edits, cls="cell"):
    return Kind(cls, name, "statistics/population", csv_rows(POP_FILE, *edits), expected)


def pw_prov(name, expected, fault):
    return Kind("provenance", name, "energy/power", fault, expected, Y22)


def delete_rows(idx, n=1):
    return lambda ws: ws.delete_rows(idx, n)


def insert_rows(idx):
    return lambda ws: ws.insert_rows(idx)


def clear_sheet(ws):
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    for row in ws.iter_rows():
        for c in row:
            c.value = None


def drop_line(n):
    return lambda rows: rows[: n - 1] + rows[n:]


def insert_line(n, line):
    return lambda rows: rows[: n - 1] + [line] + rows[n - 1:]


def drop_field(j):
    return lambda rows: [r[:j] + r[j + 1:] for r in rows]


def set_lines(col, values: dict[int, str]):
    def edit(rows):
        for n, v in values.items():
            rows[n - 1][col] = v
        return rows
    return edit


def outside_link(rel):
    """Replace a delivery by a symbolic link to a copy outside raw/."""
    def fault(raw):
        path = raw / rel
        outside = raw.parent / "elsewhere" / path.name
        outside.parent.mkdir(exist_ok=True)
        shutil.copy(path, outside)
        path.unlink()
        path.symlink_to(outside)
    return fault


def inside_link(rel, target):
    def fault(raw):
        (raw / rel).unlink()
        (raw / rel).symlink_to(raw / target)
    return fault


def linked_folder(source):
    def fault(raw):
        outside = raw.parent / "elsewhere" / source
        shutil.copytree(raw / source, outside)
        shutil.rmtree(raw / source)
        (raw / source).symlink_to(outside, target_is_directory=True)
    return fault


def mkdir(rel):
    return lambda raw: (raw / rel).mkdir(parents=True)


KINDS: list[Kind] = [
    # --- file: unreadable or not what its name says ---
    Kind("file", "truncated workbook", "statistics/regional_gdp", bytes_of(GDP_FILE, lambda b: b[:3000]),
         f"{GDP_FILE}: cannot be opened as an xlsx workbook", Y21),
    Kind("file", "empty workbook file", "statistics/regional_gdp", bytes_of(GDP_FILE, lambda b: b""),
         f"{GDP_FILE}: cannot be opened as an xlsx workbook", Y21),
    Kind("file", "CSV text saved as .xlsx", "statistics/regional_gdp", bytes_of(GDP_FILE, lambda b: "地区,合计\n".encode()),
         f"{GDP_FILE}: cannot be opened as an xlsx workbook", Y21),
    gdp("sheet renamed", f"{GDP_FILE}: has no sheet '地区生产总值'", lambda ws: setattr(ws, "title", "Sheet1"), cls="file"),
    gdp("sheet emptied", f"{GDP}: is empty", clear_sheet, cls="file"),
    Kind("file", "empty CSV", "statistics/population", bytes_of(POP_FILE, lambda b: b""), f"{POP_FILE}: is empty"),
    Kind("file", "CSV in UTF-16", "statistics/population",
         bytes_of(POP_FILE, lambda b: b.decode("gb18030").encode("utf-16")), f"{POP_FILE}: is UTF-16 text"),
    pop("CSV with its header only", f"{POP}, row 4: the table has no data rows under its header",
        lambda rows: rows[:3], cls="file"),
    Kind("file", "binary bytes as CSV", "statistics/population", bytes_of(POP_FILE, lambda b: bytes(range(1, 256)) * 40),
         f"{POP_FILE}"),
    # --- layout: the table is not where or what the contract says ---
    gdp("header first cell renamed", f"{GDP}: no header row whose first cell reads '地区'", ("A3", "区域"), cls="layout"),
    gdp("column deleted", f"{GDP}, row 3: column '地区生产总值/第二产业' (gdp_secondary_100m_yuan) not found",
        lambda ws: ws.delete_cols(4), cls="layout"),
    gdp("two columns with the same header", f"{GDP}, row 3, column F, I: more than one column matches",
        ("I4", "合计"), cls="layout"),
    gdp("unit line missing", f"{GDP}: no unit line above the table (expected 单位：亿元)", ("I2", None), cls="layout"),
    gdp("unit that cannot be converted", f"{GDP}: unit line says '美元'; expected one of", ("I2", "单位：美元"), cls="layout"),
    gdp("title of another year", f"{GDP}: the title above the table does not mention '2021年'",
        ("A1", "表3-2  2019年各旗县区地区生产总值"), cls="layout"),
    gdp("blank row between the two header rows", f"{GDP}, row 3: column '", insert_rows(4), cls="layout"),
    pop("CSV column dropped", f"{POP}, row 3: column '城镇人口' (urban_population_10k) not found", drop_field(3),
        cls="layout"),
    pop("CSV unit line in an unknown unit", f"{POP}: unit line says '千人'", cell(2, 0, "单位：千人"), cls="layout"),
    Kind("layout", "fuel column renamed", "energy/energy_balance", xl(EB_FILE, ("B4", "吨")),
         f"{EB}, row 3: column '原煤/万吨' (raw_coal) not found", Y22),
    Kind("layout", "livestock group title renamed", "agriculture/livestock", xl(LIV_FILE, ("D3", "羊")),
         f"{LIV}, row 3: column", Y22),
    # --- cell: a value that is not a value ---
    gdp("text in a number cell", f"{GDP_C8}: '约30' is not a number", ("C8", "约30")),
    gdp("two decimal points", f"{GDP_C8}: '1.2.3' is not a number", ("C8", "1.2.3")),
    gdp("NaN", f"{GDP_C8}: 'NaN' is not a finite number", ("C8", "NaN")),
    gdp("inf", f"{GDP_C8}: 'inf' is not a finite number", ("C8", "inf")),
    gdp("-Infinity", f"{GDP_C8}: '-Infinity' is not a finite number", ("C8", "-Infinity")),
    gdp("#DIV/0! error cell", f"{GDP_C8}: the cell holds the error value #DIV/0!", error_cell("C8", "#DIV/0!")),
    gdp("#REF! error cell", f"{GDP_C8}: the cell holds the error value #REF!", error_cell("C8", "#REF!")),
    gdp("#N/A error cell", f"{GDP_C8}: the cell holds the error value #N/A", error_cell("C8", "#N/A")),
    gdp("formula without a cached value", f"{GDP_C8}: the cell holds the formula =C6+C7 saved without its result",
        ("C8", "=C6+C7")),
    gdp("formula to another workbook", f"{GDP_C8}: the cell holds the formula", ("C8", "='[a.xlsx]S'!A1")),
    gdp("a date in a number cell", f"{GDP_C8}: '2021-01-01", ("C8", datetime(2021, 1, 1))),
    gdp("TRUE in a number cell", f"{GDP_C8}: '", ("C8", True)),
    gdp("region code of another city", f"{GDP}, row 9, column A (地区): '150200' is not a known region",
        ("A9", "150200")),
    gdp("unknown region", f"{GDP}, row 9, column A (地区): '乌拉特东旗' is not a known region", ("A9", "乌拉特东旗")),
    gdp("required value missing", f"{GDP}, row 10, column F (地区生产总值指数(上年=100)/合计): value is missing; "
        "this column is required", ("F10", "…")),
    gdp("percent sign doubled", f"{GDP_C8}: '21.2%%' is not a number", ("C8", "21.2%%")),
    gdp("header repeated inside the table", f"{GDP}, row 9, column A (地区): '地  区' is not a known region",
        insert_rows(9), ("A9", "地  区")),
    gdp("subtotal row", f"{GDP}, row 9, column A (地区): '其中：农区' is not a known region",
        insert_rows(9), ("A9", "其中：农区"), ("B9", 100)),
    pop("letter O for zero", f"{POP_C21}: '1O5.2' is not a number", cell(21, 2, "1O5.2")),
    pop("nan in a CSV", f"{POP_C21}: 'nan' is not a finite number", cell(21, 2, "nan")),
    pop("year with 年度", f"{POP}, row 21, column A (年份): '2021年度' is not a year", cell(21, 0, "2021年度")),
    pop("year in Chinese numerals", f"{POP}, row 21, column A (年份): '二〇二一' is not a year", cell(21, 0, "二〇二一")),
    pop("year with a decimal", f"{POP}, row 21, column A (年份): '2021.5' is not a year", cell(21, 0, "2021.5")),
    Kind("cell", "unknown balance row", "energy/energy_balance", xl(EB_FILE, ("A13", "五、平衡差额")),
         f"{EB}, row 13, column A (项目): '五、平衡差额' is not one of the known values", Y22),
    Kind("cell", "NaN in the energy balance", "energy/energy_balance", xl(EB_FILE, ("B6", "NaN")),
         f"{EB}, row 6, column B (原煤/万吨): 'NaN' is not a finite number", Y22),
    Kind("cell", "formula in the energy balance", "energy/energy_balance", xl(EB_FILE, ("B14", "=B15+B16")),
         f"{EB}, row 14, column B (原煤/万吨): the cell holds the formula =B15+B16", Y22),
    Kind("cell", "unknown plant type", "energy/power", xl(PW_FILE, ("A9", "  核电")),
         f"{PW}, row 9, column A (电源类型): '  核电' is not one of the known values", Y22),
    Kind("cell", "pigs with a letter", "agriculture/livestock", xl(LIV_FILE, ("F6", "138,68x")),
         f"{LIV}, row 6, column F (生猪(头)): '138,68x' is not a number", Y22),
    # --- plausibility: a number, but not a possible one ---
    gdp("negative GDP", f"{GDP_C8}: -21.2 is negative where the quantity cannot be (contract: min 0)",
        ("C8", -21.2), cls="plausibility"),
    gdp("U+2212 minus on a quantity that cannot be negative",
        f"{GDP_C8}: -21.2 is negative where the quantity cannot be", ("C8", "\u221221.2"), cls="plausibility"),
    gdp("index delivered as a growth rate", f"{GDP}, row 6, column F (地区生产总值指数(上年=100)/合计): 4.6 is below "
        "the plausible range (contract: min 50)", ("F6", 4.6), cls="plausibility"),
    gdp("index far too high", f"{GDP}, row 6, column F (地区生产总值指数(上年=100)/合计): 250 is above the plausible "
        "range (contract: max 200)", ("F6", 250), cls="plausibility"),
    # Counties 324.3+117.9+78.6+157.2+98.3+88.4+117.9 = 982.6 against a city of 756: +30.0 %.
    gdp("counties 30 % above the city", f"{GDP}, row 5, column B (地区生产总值/合计): the counties add up to 982.6, "
        "the city row says 756 (+30.0 %); the contract allows 1 %", ("B5", 756), cls="plausibility"),
    # Sectors allow 10 %: primary counties 54.9+43.5+21.2+34.5+28.4+11.4+41.2 = 235.1 vs 200: +17.6 %.
    gdp("sector counties 17.6 % above the city", f"{GDP}, row 5, column C (地区生产总值/第一产业): the counties add "
        "up to 235.1, the city row says 200 (+17.6 %); the contract allows 10 %", ("C5", 200), cls="plausibility"),
    pop("negative population", f"{POP_C21}: -53 万人 is negative where the quantity cannot be (contract: min 0)",
        cell(21, 2, "-53.00"), cls="plausibility"),
    pop("U+2212 minus on a population", f"{POP_C21}: -53.1 万人 is negative", cell(21, 2, "\u221253.1"),
        cls="plausibility"),
    pop("city population 20 % under its counties", f"{POP}, row 20, column C (年末常住人口): the counties add up to",
        cell(20, 2, "120.0"), cls="plausibility"),
    Kind("plausibility", "coverage as a fraction", "meteorology/weather_service",
         csv_rows(WS_FILE, set_lines(1, {3: "0.92", 4: "0.926", 5: "0.933", 6: "0.94", 7: "0.945"})),
         f"{WS}, row 3, column B (气象服务公众覆盖率(%)): every value of the column lies between 0 and 1"),
    Kind("plausibility", "coverage above 100 %", "meteorology/weather_service", csv_rows(WS_FILE, cell(5, 1, "103.3")),
         f"{WS}, row 5, column B (气象服务公众覆盖率(%)): 103.3 % is above the plausible range (contract: max 100)"),
    Kind("plausibility", "negative coverage", "meteorology/weather_service", csv_rows(WS_FILE, cell(5, 1, "-93.3")),
         f"{WS}, row 5, column B (气象服务公众覆盖率(%)): -93.3 % is negative"),
    Kind("plausibility", "gas coverage as fractions", "energy/gas_coverage",
         xl(GAS_FILE, *[(f"D{r}", v) for r, v in zip(range(5, 13), (0.9493, 0.9932, 0.9109, 0.9344, 0.9206, 0.8254,
                                                                       0.8405, 0.958))]),
         f"{GAS}, row 5, column D (管道天然气/覆盖率(%)): every value of the column lies between 0 and 1", Y22),
    Kind("plausibility", "gas coverage 130 %", "energy/gas_coverage", xl(GAS_FILE, ("D6", 130)),
         f"{GAS}, row 6, column D (管道天然气/覆盖率(%)): 130 % is above the plausible range", Y22),
    # 43.6+9.2+5.7+11.6+4.87+3.53+11.4 = 89.9 against 60: +49.8 %.
    Kind("plausibility", "gas users: counties half again the city", "energy/gas_coverage", xl(GAS_FILE, ("C5", 60)),
         f"{GAS}, row 5, column C (管道天然气/用气人口): the counties add up to 89.9, the city row says 60 (+49.8 %)", Y22),
    Kind("plausibility", "negative sheep", "agriculture/livestock", xl(LIV_FILE, ("D6", -116.2)),
         f"{LIV}, row 6, column D (羊(万只)/绵羊): -116.2", Y22),
    # Sheep counties 116.2+157.7+58.1+165.8+116.2+49.8+166 = 829.8 against 600: +38.3 %.
    Kind("plausibility", "sheep counties above the city", "agriculture/livestock", xl(LIV_FILE, ("D5", 600)),
         f"{LIV}, row 5, column D (羊(万只)/绵羊): the counties add up to 829.8, the city row says 600 (+38.3 %)", Y22),
    Kind("plausibility", "power share above 100 %", "energy/power", xl(PW_FILE, ("C6", 124.75)),
         f"{PW}, row 6, column C (装机容量/占比(%)): 124.75 % is above the plausible range", Y22),
    # 2,275.6 兆瓦 = 227.56 万千瓦 (x 0.1), negative.
    Kind("plausibility", "negative capacity", "energy/power", xl(PW_FILE, ("B6", "-2,275.6")),
         f"{PW}, row 6, column B (装机容量/年末容量): -227.56 万千瓦 is negative", Y22),
    Kind("plausibility", "U+2212 on a capacity", "energy/power", xl(PW_FILE, ("B6", "\u22122,275.6")),
         f"{PW}, row 6, column B (装机容量/年末容量): -227.56 万千瓦 is negative", Y22),
    Kind("plausibility", "industrial energy falling by 120 %", "energy/industrial_energy",
         csv_rows("energy/industrial_energy_2015_2024.csv", cell(12, 3, "-120")),
         "energy/industrial_energy_2015_2024.csv, sheet 'industrial_energy_2015_2024.csv', row 12, column D "
         "(比上年增长(%)): -120 % is below the plausible range (contract: min -100)"),
    Kind("plausibility", "irrigation coefficient as a percent", "agriculture/irrigation",
         csv_rows("agriculture/irrigation_coefficient.csv", cell(5, 1, "47.2")),
         "agriculture/irrigation_coefficient.csv, sheet 'irrigation_coefficient.csv', row 5, column B "
         "(灌溉水有效利用系数): 47.2 is above the plausible range (contract: max 1)"),
    # --- structure: rows missing, doubled or cut off ---
    gdp("blank row in the middle", f"{GDP}, row 9: blank row inside the table: row 10 below it holds data",
        insert_rows(9), cls="structure"),
    gdp("city row missing", f"{GDP}: no row for the city 巴彦淖尔市 (150800) in 2021", delete_rows(5), cls="structure"),
    gdp("county row missing", f"{GDP}: no row for 磴口县 (150822) in 2021: every county is required",
        delete_rows(8), cls="structure"),
    gdp("region cell blank", f"{GDP}, row 9, column A (地区): the region cell is blank", ("A9", None), cls="structure"),
    gdp("region cell a dash", f"{GDP}, row 9, column A (地区): the region cell is blank", ("A9", "—"), cls="structure"),
    gdp("region cells merged", f"{GDP}, row 7, column A (地区): the region cell is blank",
        lambda ws: ws.merge_cells("A6:A7"), cls="structure"),
    gdp("region listed twice", f"{GDP}, row 7: duplicate row: same key (year=2021, region_code=150802) as row 6",
        ("A7", "临河区"), cls="structure"),
    gdp("city alias on a county row", f"{GDP}, row 9: duplicate row: same key (year=2021, region_code=150800) as row 5",
        ("A9", "全市"), cls="structure"),
    pop("blank line in the middle of a CSV", f"{POP}, row 28: blank row inside the table: row 29 below it holds data",
        insert_line(28, []), cls="structure"),
    pop("CSV line repeated", f"{POP}, row 22: duplicate row: same key (year=2021, region_code=150802) as row 21",
        lambda rows: rows[:21] + [rows[20]] + rows[21:], cls="structure"),
    pop("city line missing in one year", f"{POP}: no row for the city 巴彦淖尔市 (150800) in 2022", drop_line(28),
        cls="structure"),
    pop("county line missing in one year", f"{POP}: no row for 临河区 (150802) in 2022", drop_line(29), cls="structure"),
    pop("CSV region blank", f"{POP}, row 30, column B (地区): the region cell is blank", cell(30, 1, ""),
        cls="structure"),
    pop("two-digit year in a several-year file", f"{POP}, row 20, column A (年份): '21' is not a four-digit year",
        cell(20, 0, "21"), cls="structure"),
    pop("year after the configured years", f"{POP}, row 44, column A (年份): year '{AFTER}年' is outside the configured "
        f"years {SPAN}", set_lines(0, {n: f"{AFTER}年" for n in range(44, 52)}), cls="structure"),
    pop("year before the configured years", f"{POP}, row 4, column A (年份): year '1999年' is outside",
        set_lines(0, {n: "1999年" for n in range(4, 12)}), cls="structure"),
    Kind("structure", "a year missing from a several-year file", "meteorology/weather_service",
         csv_rows(WS_FILE, drop_line(5)), f"{WS}, column A (年份): years 2020-2024 miss 2022"),
    Kind("structure", "balance row repeated", "energy/energy_balance", xl(EB_FILE, ("A15", "  2.工业")),
         f"{EB}, row 16: duplicate row: same key (year=2022, category=final_industry) as row 15", Y22),
    Kind("structure", "livestock county missing", "agriculture/livestock", xl(LIV_FILE, delete_rows(12)),
         f"{LIV}: no row for 杭锦后旗 (150826) in 2022", Y22),
    Kind("structure", "gas county missing", "energy/gas_coverage", xl(GAS_FILE, delete_rows(7)),
         f"{GAS}: no row for 五原县 (150821) in 2022", Y22),
    # One workbook, two tables: a bad 森林蓄积量 sheet rejects the 森林资源 table too, and back.
    Kind("structure", "second table of a workbook bad", "forestry/forest_resources",
         xl(FR_FILE, ("B5", -38.61), sheet="森林蓄积量"),
         f"{FR_FILE}, sheet '森林蓄积量', row 5, column B (森林蓄积量): rejected as raw.forestry__forest_stock "
         "(a file is loaded whole or not at all): -38.61 万立方米 is negative", Y22),
    Kind("structure", "first table of a workbook bad", "forestry/forest_stock",
         xl(FR_FILE, ("B6", "约23万"), sheet="森林资源"),
         f"{FR_FILE}, sheet '森林资源', row 6, column B (土地总面积): rejected as raw.forestry__forest_resources", Y22),
    # --- provenance ---
    pw_prov("provenance missing", f"{PW_FILE}: no provenance file 'power_2022.xlsx.provenance.yml'",
            lambda raw: (raw / PWP).unlink()),
    pw_prov("provenance not YAML", f"{PWP}: provenance is not valid UTF-8 YAML", prov_text(PW_FILE, "a: [unclosed\n")),
    pw_prov("provenance a list", f"{PWP}: provenance is not a YAML mapping", prov_text(PW_FILE, "- a\n- b\n")),
    pw_prov("provenance empty", f"{PWP}: provenance lacks 'publisher'", prov_text(PW_FILE, "")),
    pw_prov("provenance in GB18030", f"{PWP}: provenance is not valid UTF-8 YAML",
            prov_text(PW_FILE, "publisher: 巴彦淖尔市能源局\n".encode("gb18030"))),
    pw_prov("status missing", f"{PWP}: provenance lacks 'status'", prov(PW_FILE, lambda s: s.pop("status"))),
    pw_prov("status unknown", f"{PWP}: status 'draft' is not one of", prov(PW_FILE, lambda s: s.update(status="draft"))),
    pw_prov("file edited after delivery", f"{PW_FILE}: sha256 is ",
            bytes_of(PW_FILE, lambda b: b + b"\0", seal=False)),
    pw_prov("sha256 not hexadecimal", f"{PWP}: sha256 'abc' is not 64 hexadecimal digits",
            prov(PW_FILE, lambda s: s.update(sha256="abc"))),
    pw_prov("received a timestamp", f"{PWP}: received '2023-03-15 10:00:00' is a timestamp",
            prov(PW_FILE, lambda s: s.update(received=datetime(2023, 3, 15, 10, 0)))),
    pw_prov("received in words", f"{PWP}: received 'last spring' is not a date",
            prov(PW_FILE, lambda s: s.update(received="last spring"))),
    pw_prov("received an impossible day", f"{PWP}: received '2023-13-45' is not a date",
            prov(PW_FILE, lambda s: s.update(received="2023-13-45"))),
    pw_prov("no received nor published date", f"{PW_FILE}: its provenance gives neither a received nor a published date",
            prov(PW_FILE, lambda s: (s.pop("received", None), s.pop("published", None)))),
    pw_prov("illustrative not a mapping", f"{PWP}: illustrative must be a mapping",
            prov(PW_FILE, lambda s: s.update(illustrative=["all"]))),
    pw_prov("illustrative rows a single number", f"{PWP}: illustrative rows must be a list of row numbers, not 7",
            prov(PW_FILE, lambda s: s.update(illustrative={"rows": 7}))),
    pw_prov("illustrative regions a single name", f"{PWP}: illustrative regions must be 'all' or a list of names",
            prov(PW_FILE, lambda s: s.update(illustrative={"regions": "临河区"}))),
    pw_prov("provenance copied from another delivery", f"{PWP}: provenance is of 'power_2021.xlsx', not of "
            "'power_2022.xlsx'", prov(PW_FILE, lambda s: s.update(file="power_2021.xlsx"))),
    pw_prov("provenance is a directory", f"{PW_FILE}: a provenance that is not a plain file",
            lambda raw: ((raw / PWP).unlink(), (raw / PWP).mkdir())),
    Kind("provenance", "revision names another original", "statistics/regional_gdp",
         prov("statistics/regional_gdp_2020_rev1.xlsx", lambda s: s.update(revises="regional_gdp_2019.xlsx")),
         "statistics/regional_gdp_2020_rev1.xlsx: its provenance says it revises 'regional_gdp_2019.xlsx'", Y20),
    # --- raw tree: what the operator put under raw/ ---
    Kind("raw tree", "symbolic link out of raw/", "energy/power", outside_link(PW_FILE),
         f"{PW_FILE}: is a symbolic link (to ", Y22),
    Kind("raw tree", "symbolic link inside raw/", "energy/power", inside_link(PW_FILE, "energy/power_2021.xlsx"),
         f"{PW_FILE}: is a symbolic link (to ", Y22),
    Kind("raw tree", "source folder a symbolic link", "meteorology/weather_service", linked_folder("meteorology"),
         f"{WS_FILE}: is a symbolic link (to "),
    Kind("raw tree", "directory named like a delivery", "energy/power", mkdir("energy/power_2019.xlsx"),
         "energy/power_2019.xlsx: is named like a delivery but is a directory", Y22),
    Kind("raw tree", "file name with a year after the configured years", "energy/power", copy_as(PW_FILE, f"power_{AFTER}.xlsx"),
         f"energy/power_{AFTER}.xlsx: year {AFTER} is outside the configured years {SPAN}", Y22),
    Kind("raw tree", "file name with a year before the configured years", "energy/power", copy_as(PW_FILE, "power_2014.xlsx"),
         "energy/power_2014.xlsx: year 2014 is outside the configured years", Y22),
    Kind("raw tree", "two-digit year in a name", "energy/power", copy_as(PW_FILE, "power_22.xlsx"),
         "energy/power_22.xlsx: is named like power_{year}.xlsx but its year is not four digits", Y22),
    Kind("raw tree", "revision without its original", "energy/power",
         copy_as(PW_FILE, "power_2019_rev1.xlsx", revises="power_2019.xlsx"),
         "energy/power_2019_rev1.xlsx: is a revision of power_2019.xlsx, which is not in raw/", Y22),
    Kind("raw tree", "revision received before its original", "statistics/regional_gdp",
         copy_as(GDP_FILE, "regional_gdp_2021_rev1.xlsx", revises="regional_gdp_2021.xlsx", received="2020-01-01"),
         "statistics/regional_gdp_2021_rev1.xlsx: a revision received 2020-01-01 is not later", Y21),
    Kind("raw tree", "upper-case name, bad content", "energy/power",
         faults(rename(PW_FILE, "POWER_2022.XLSX"), xl("energy/POWER_2022.XLSX", ("C6", 124.75))),
         "energy/POWER_2022.XLSX, sheet '电力', row 6, column C (装机容量/占比(%)): 124.75 % is above", Y22),
    Kind("raw tree", "the same delivery twice in two letter cases", "energy/power",
         copy_as(PW_FILE, "Power_2022.xlsx"),
         "energy/power_2022.xlsx: the same name as Power_2022.xlsx apart from letter case", Y22),
    Kind("raw tree", "stray workbook in a source folder", "", touch("energy/notes.xlsx"),
         "raw/energy/notes.xlsx: matches no contract of 'energy'", unknown=True),
    Kind("raw tree", "stray upper-case file", "", touch("energy/NOTES.XLSX"),
         "raw/energy/NOTES.XLSX: matches no contract of 'energy'", unknown=True),
    Kind("raw tree", "hidden file", "", touch("energy/.DS_Store"),
         "raw/energy/.DS_Store: matches no contract of 'energy'", unknown=True),
    Kind("raw tree", "file directly in raw/", "", touch("stray.csv"),
         "raw/stray.csv: a file directly in raw/", unknown=True),
    Kind("raw tree", "folder of no contract", "", touch("water/usage_2022.xlsx"),
         "raw/water/: a folder no contract reads", unknown=True),
    Kind("raw tree", "sub-folder in a source", "", touch("energy/archive/power_2019.xlsx"),
         "raw/energy/archive/: a sub-folder", unknown=True),
    Kind("raw tree", "provenance of no delivery", "", touch("energy/old_power.xlsx.provenance.yml"),
         "raw/energy/old_power.xlsx.provenance.yml: a provenance file of no delivery", unknown=True),
    Kind("raw tree", "delivery in another department's folder", "",
         lambda raw: shutil.copy(raw / PW_FILE, raw / "statistics" / "power_2022.xlsx"),
         "raw/statistics/power_2022.xlsx: matches no contract of 'statistics'", unknown=True),
    Kind("raw tree", "stray symbolic link", "", lambda raw: (raw / "energy" / "latest").symlink_to("/tmp"),
         "raw/energy/latest: matches no contract of 'energy'", unknown=True),
    # --- caught by the expectation suite, after the contract ---
    gdp("value outside the suite's range", f"{GDP}, row 6, column gdp_index_prev_year_100: value 160.0 fails "
        "expect_column_values_to_be_between", ("F6", 160), cls="suite"),
]


@pytest.fixture(scope="session")
def loaded(tmp_path_factory):
    """A warehouse with the raw tables of every contract the corpus touches, loaded from the
    sample deliveries: what a rejected delivery must leave exactly as it is."""
    base = tmp_path_factory.mktemp("corpus")
    warehouse = base / "wh.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "WAREHOUSE_PATH", warehouse)
        for name in sorted({k.contract for k in KINDS if k.contract}):
            contract = Contract.load(settings.CONTRACTS_DIR / f"{name}.yml")
            frame, _, _ = ingest(contract, settings.YEARS, LOG, RAW)
            replace_vintages(contract.table, contract.warehouse_columns(), contract.key, frame,
                             [int(y) for y in settings.YEARS])
    return warehouse


def attempt(kind: Kind, raw) -> list[str]:
    """What the operator is told: the unknown files, or the problems of a rejected load (a load
    that passes is written, as the ingestion step would)."""
    if kind.unknown:
        return [f"raw/{rel}: {why}" for rel, why in unknown_files(raw)]
    contract = Contract.load(settings.CONTRACTS_DIR / f"{kind.contract}.yml")
    years = list(kind.years or settings.YEARS)
    try:
        frame, _, _ = ingest(contract, years, LOG, raw)
    except DeliveryError as exc:
        return [str(p) for p in exc.problems]
    replace_vintages(contract.table, contract.warehouse_columns(), contract.key, frame, [int(y) for y in years])
    return []


@pytest.mark.parametrize("kind", KINDS, ids=[f"{k.cls}: {k.name}" for k in KINDS])
def test_bad_delivery(kind, loaded, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy(loaded, warehouse)
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", warehouse)
    kind.fault(raw)
    before = states(raw, warehouse)
    TALLY["tried"] += 1
    messages = attempt(kind, raw)
    after = states(raw, warehouse)
    assert any(kind.expected in m for m in messages), "\n".join(messages) or "accepted without a word"
    # Located: the message names the file (and, inside a table, the sheet, row or column).
    if any(kind.expected in m and m.split(":")[0].count("/") for m in messages):
        TALLY["located"] += 1
    assert after == before


def test_corpus_is_large_and_grouped():
    assert len(KINDS) >= 100 and len({k.name for k in KINDS}) == len(KINDS)
    assert {k.cls for k in KINDS} >= {"file", "layout", "cell", "plausibility", "structure", "provenance", "raw tree"}


def test_check_lists_every_problem_of_every_delivery_without_a_traceback(tmp_path):
    """`python -m orchestration.deliveries check`: two bad deliveries of two sources, every problem
    of both listed, exit 1, no traceback."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    xl(GDP_FILE, ("C8", "约30"), ("C9", "NaN"))(raw)
    prov(PW_FILE, lambda s: s.update(received=datetime(2023, 3, 15, 10, 0)))(raw)
    touch("energy/notes.xlsx")(raw)
    done = subprocess.run([sys.executable, "-m", "orchestration.deliveries", "check"], cwd=ROOT,
                          env=os.environ | {"BAYANNUR_RAW_DIR": str(raw)}, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"{GDP_C8}: '约30' is not a number" in done.stdout
    assert f"{GDP}, row 9, column C (地区生产总值/第一产业): 'NaN' is not a finite number" in done.stdout
    assert f"{PWP}: received '2023-03-15 10:00:00' is a timestamp" in done.stdout
    assert "unknown file raw/energy/notes.xlsx" in done.stdout
    assert "2 of 30 table(s) rejected, 1 unknown file(s) under raw/" in done.stdout
    assert "statistics__population: " in done.stdout  # the others are still checked


def test_valid_oddities_are_accepted(tmp_path, monkeypatch):
    """Not faults: an upper-case sha256, a U+2212 minus where signs are allowed, an upper-case file
    name, a region given by its code; each is loaded with the delivered digits."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    prov(PW_FILE, lambda s: s.update(sha256=s["sha256"].upper()))(raw)
    xl(EB_FILE, ("B8", "\u2212160"))(raw)  # 本省调出量 is printed negative: −160 is -160.0
    rename(GAS_FILE, "GAS_COVERAGE_2022.XLSX")(raw)
    xl("energy/GAS_COVERAGE_2022.XLSX", ("A6", "150802"))(raw)  # 临河 by its GB/T 2260 code
    power = Contract.load(settings.CONTRACTS_DIR / "energy/power.yml")
    assert ingest(power, list(Y22), LOG, raw)[0].height > 0
    balance = Contract.load(settings.CONTRACTS_DIR / "energy/energy_balance.yml")
    frame = ingest(balance, list(Y22), LOG, raw)[0]
    assert frame.filter(category="outflow_other_provinces", fuel="raw_coal")["quantity"].to_list() == [-160.0]
    gas = Contract.load(settings.CONTRACTS_DIR / "energy/gas_coverage.yml")
    frame = ingest(gas, list(Y22), LOG, raw)[0]
    assert frame["_source_file"].unique().to_list() == ["energy/GAS_COVERAGE_2022.XLSX"]
    assert frame.filter(region_code="150802")["piped_gas_population_10k"].to_list() == [43.6]


def test_rejections_through_the_ingestion_asset(tmp_path, monkeypatch):
    """Three kinds through a real Dagster run of the ingestion asset: the step fails with the
    located message, the audit table has the file, and the raw table is as it was."""
    from dagster import DagsterInstance, materialize

    from orchestration.assets.ingestion import ingestion_assets, years_config
    from tests.helpers import query, snapshot

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", tmp_path / "wh.duckdb")
    contract = Contract.load(settings.CONTRACTS_DIR / "statistics/regional_gdp.yml")

    def run():
        return materialize([ingestion_assets([contract])], instance=DagsterInstance.ephemeral(),
                           run_config=years_config("2021"), raise_on_error=False)

    assert run().success
    before = snapshot(settings.WAREHOUSE_PATH, exclude=("_loaded_at", "loaded_at", "rejected_at"))
    chosen = [k for k in KINDS if k.name in ("counties 30 % above the city", "blank row in the middle",
                                              "formula without a cached value")]
    assert len(chosen) == 3
    for kind in chosen:
        shutil.rmtree(raw)
        shutil.copytree(RAW, raw)
        kind.fault(raw)
        result = run()
        failure = next(e for e in result.all_events if e.is_step_failure)
        assert kind.expected in failure.step_failure_data.user_failure_data.description
        assert snapshot(settings.WAREHOUSE_PATH, exclude=("_loaded_at", "loaded_at", "rejected_at")) == before
    files = query(settings.WAREHOUSE_PATH, "SELECT DISTINCT file FROM audit.rejected_deliveries")
    assert files == [(GDP_FILE,)]


def test_a_bad_delivery_and_an_unknown_file_through_bayannur_run(tmp_path):
    """The whole pipeline for 2021 on a landing zone with counties 30 % above the city in the GDP
    delivery and a stray workbook: the run fails naming file, row, column and problem, says the
    rejection was logged, lists the unknown file, and loads nothing of the bad delivery."""
    from tests.helpers import query, run_pipeline

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    kind = next(k for k in KINDS if k.name == "counties 30 % above the city")
    kind.fault(raw)
    touch("energy/notes.xlsx")(raw)
    warehouse = tmp_path / "warehouse" / "bayannur.duckdb"
    done = run_pipeline(raw, warehouse, tmp_path / "dagster_home", "--years", "2021")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out[-4000:]
    assert f"FAILED raw/statistics__regional_gdp: {kind.expected}" in out
    assert "Nothing was published" in out and "1 rejected delivery is logged in audit.rejected_deliveries" in out
    assert "UNKNOWN file raw/energy/notes.xlsx: matches no contract of 'energy'" in out
    assert "Traceback" not in done.stdout
    assert query(warehouse, "SELECT count(*) FROM information_schema.tables "
                            "WHERE table_schema = 'raw' AND table_name = 'statistics__regional_gdp'") == [(0,)]
    assert query(warehouse, "SELECT file FROM audit.rejected_deliveries") == [(GDP_FILE,)]
