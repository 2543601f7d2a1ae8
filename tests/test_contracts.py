"""The contract machinery on each layout quirk, with small deliveries written here.

Each test writes a contract and a delivery the way a department would send it, and checks what
orchestration.deliveries makes of it. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import textwrap

import openpyxl
import pytest
import yaml

from orchestration.deliveries import Contract, DeliveryError, read_delivery
from scripts.samples._common import write_csv, write_provenance


def contract(tmp_path, text: str) -> Contract:
    path = tmp_path / "contract.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Contract.load(path)


def deliver(path, status="final", **extra):
    write_provenance(path, source="test", publisher="测试局", title="test", status=status,
                     licence="test", citation="none", **extra)
    return path


def read(c, path, raw):
    return read_delivery(c, path, None, raw)


def problems_of(c, path, raw) -> str:
    with pytest.raises(DeliveryError) as info:
        read(c, path, raw)
    return str(info.value)


CSV_CONTRACT = """
    source: test
    dataset: heating
    title_zh: 清洁取暖率
    title_en: Clean heating
    department_zh: 住建局
    file_pattern: heating.csv
    {encoding}
    header: {{first_cell: 年份}}
    missing_values: ["", "—", "…", "/"]
    key: [year, region_code, area]
    columns:
      - {{name: year, type: year, aliases: [年份]}}
      - {{name: region_code, type: region, aliases: [地区]}}
      - name: area
        type: category
        aliases: [范围]
        values: {{urban: [城区], county_town: [县城], rural: [农村]}}
      - {{name: clean_heating_pct, type: number, aliases: ["清洁取暖率(%)"], unit: "%"}}
      - {{name: heated_area_10k_m2, type: number, aliases: ["供热面积(平方米)"], unit: 万平方米, delivered_unit: 平方米}}
"""

CSV_ROWS = [
    ["年份", "地区", "范围", "清洁取暖率(%)", "供热面积(平方米)"],
    ["2021年", "杭后旗", "县城", "８５.５%", "1,234,000"],
    ["2022", "巴彦淖尔市", "城区", "91.2", "—"],
    ["2022", "乌前旗", "农村", "…", "56,000"],
]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_csv_in_either_encoding_with_year_column_category_and_units(tmp_path, encoding):
    c = contract(tmp_path, CSV_CONTRACT.format(encoding=""))
    path = tmp_path / "test" / "heating.csv"
    path.parent.mkdir()
    write_csv(path, CSV_ROWS, encoding)
    df = read(c, deliver(path), tmp_path)
    assert df.columns[:6] == ["year", "region_name_as_delivered", "region_code", "area", "clean_heating_pct",
                              "heated_area_10k_m2"]
    first = df.row(0, named=True)
    # 杭后旗 is 杭锦后旗; "８５.５%" is 85.5; 1,234,000 平方米 = 123.4 万平方米
    assert (first["year"], first["region_code"], first["area"]) == (2021, "150826", "county_town")
    assert first["clean_heating_pct"] == 85.5
    assert first["heated_area_10k_m2"] == pytest.approx(123.4)
    assert (first["_source_sheet"], first["_source_row"]) == ("heating.csv", 2)
    assert df["heated_area_10k_m2"][1] is None and df["clean_heating_pct"][2] is None  # — and …
    assert df["region_code"][2] == "150823"  # 乌前旗


def test_csv_in_the_wrong_declared_encoding(tmp_path):
    c = contract(tmp_path, CSV_CONTRACT.format(encoding="encoding: utf-8"))
    path = tmp_path / "test" / "heating.csv"
    path.parent.mkdir()
    write_csv(path, CSV_ROWS, "gb18030")
    assert "test/heating.csv, row 1: is not valid utf-8: byte" in problems_of(c, deliver(path), tmp_path)


def test_unknown_category_and_bad_year(tmp_path):
    c = contract(tmp_path, CSV_CONTRACT.format(encoding=""))
    path = tmp_path / "test" / "heating.csv"
    path.parent.mkdir()
    write_csv(path, [CSV_ROWS[0], ["二〇二一", "临河区", "郊区", "80", "1"]], "utf-8-sig")
    message = problems_of(c, deliver(path), tmp_path)
    assert "test/heating.csv, sheet 'heating.csv', row 2, column A (年份): '二〇二一' is not a year" in message
    assert "row 2, column C (范围): '郊区' is not one of the known values ['城区', '县城', '农村']" in message


BALANCE_CONTRACT = """
    source: test
    dataset: balance
    title_zh: 能源平衡表
    title_en: Energy balance
    department_zh: 统计局
    file_pattern: "balance_{year}.xlsx"
    sheet: 平衡表
    header: {first_cell: 项目, rows: 2}
    region: "150800"
    key: [year, flow, fuel]
    columns:
      - name: flow
        type: category
        aliases: [项目]
        values: {final_consumption: [终端消费量], industry: [工业], feedstock: ["其中:用作原料、材料"]}
      - {name: sector_group, type: text, aliases: [分组], fill_down: true}
    unpivot:
      name: fuel
      value: quantity
      unit_column: unit
      columns:
        - {code: raw_coal, aliases: [原煤/万吨], unit: 万吨}
        - {code: natural_gas, aliases: [天然气/万立方米], unit: 亿立方米, delivered_unit: 万立方米}
"""


def balance_workbook(path, edit=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "平衡表"
    ws["A1"] = "2020年能源平衡表（实物量）"
    ws.append([])
    ws.append(["项目", "分组", "原煤", "天然气"])
    ws.append([None, None, "万吨", "万立方米"])
    ws.append(["终端消费量", "消费", 1200.5, "12,000"])
    ws.append(["工业", None, 1000, 9000])
    ws.append(["其中：用作原料、材料", None, "—", 500])
    ws.merge_cells("B5:B7")  # one group label over three rows
    ws.append(["注：天然气单位为万立方米。"])
    if edit:
        edit(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_wide_fuels_become_rows_with_units_converted_and_merged_labels_filled(tmp_path):
    c = contract(tmp_path, BALANCE_CONTRACT)
    path = deliver(balance_workbook(tmp_path / "test" / "balance_2020.xlsx"))
    df = read(c, path, tmp_path)
    assert df.height == 6  # 3 flows x 2 fuels
    assert set(df["region_code"]) == {"150800"} and set(df["year"]) == {2020}
    gas = df.filter(flow="final_consumption", fuel="natural_gas").row(0, named=True)
    # 12,000 万立方米 = 1.2 亿立方米
    assert (gas["quantity"], gas["unit"], gas["_source_row"]) == (pytest.approx(1.2), "亿立方米", 5)
    coal = df.filter(flow="feedstock", fuel="raw_coal").row(0, named=True)
    assert coal["quantity"] is None and coal["sector_group"] == "消费"  # filled down from B5


def test_missing_wide_column_and_missing_sheet(tmp_path):
    c = contract(tmp_path, BALANCE_CONTRACT)
    path = deliver(balance_workbook(tmp_path / "test" / "balance_2020.xlsx", lambda ws: ws.delete_cols(4)))
    assert ("row 3: column '天然气/万立方米' (natural_gas) not found" in problems_of(c, path, tmp_path))
    wrong = deliver(balance_workbook(tmp_path / "test" / "balance_2021.xlsx",
                                     lambda ws: setattr(ws, "title", "Sheet1")))
    assert "test/balance_2021.xlsx: has no sheet '平衡表'; its sheets are ['Sheet1']" in problems_of(c, wrong, tmp_path)


def test_no_header_no_rows_and_two_matching_columns(tmp_path):
    c = contract(tmp_path, BALANCE_CONTRACT)
    no_header = deliver(balance_workbook(tmp_path / "test" / "balance_2020.xlsx",
                                         lambda ws: ws.__setitem__("A3", "指标")))
    assert "no header row whose first cell reads '项目'" in problems_of(c, no_header, tmp_path)
    no_rows = deliver(balance_workbook(tmp_path / "test" / "balance_2021.xlsx",
                                       lambda ws: ws.delete_rows(5, 3)))
    assert "row 5: the table has no data rows under its header" in problems_of(c, no_rows, tmp_path)
    twice = deliver(balance_workbook(tmp_path / "test" / "balance_2022.xlsx",
                                     lambda ws: (ws.__setitem__("E3", "原煤"), ws.__setitem__("E4", "万吨"))))
    assert "row 3, column C, E: more than one column matches '原煤/万吨'" in problems_of(c, twice, tmp_path)


def test_illustrative_rows_in_provenance(tmp_path):
    c = contract(tmp_path, BALANCE_CONTRACT)
    path = deliver(balance_workbook(tmp_path / "test" / "balance_2020.xlsx"),
                   illustrative={"except_rows": [5], "reason": "only the total is published"})
    status = dict(read(c, path, tmp_path).select("_source_row", "status").unique().iter_rows())
    assert status == {5: "final", 6: "illustrative", 7: "illustrative"}


def test_provenance_with_unknown_status(tmp_path):
    c = contract(tmp_path, BALANCE_CONTRACT)
    path = deliver(balance_workbook(tmp_path / "test" / "balance_2020.xlsx"), status="draft")
    assert ("test/balance_2020.xlsx.provenance.yml: status 'draft' is not one of preliminary, final, illustrative"
            in problems_of(c, path, tmp_path))


def test_contract_must_say_where_the_year_comes_from(tmp_path):
    spec = yaml.safe_load(textwrap.dedent(BALANCE_CONTRACT))
    spec["file_pattern"] = "balance.xlsx"
    (tmp_path / "c.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="the year comes either from {year} in file_pattern or from a column"):
        Contract.load(tmp_path / "c.yml")


# --- exact numbers and plausibility rules -----------------------------------------------------

AREA_CONTRACT = """
    source: test
    dataset: area
    title_zh: 面积
    title_en: Area
    department_zh: 住建局
    file_pattern: area.csv
    header: {first_cell: 年份}
    region: "150800"
    key: [year]
    columns:
      - {name: year, type: year, aliases: [年份]}
      - {name: area_10k_m2, type: number, aliases: ["面积(平方米)"], unit: 万平方米, delivered_unit: 平方米}
      - {name: change_10k_m2, type: number, aliases: ["增减(平方米)"], unit: 万平方米, delivered_unit: 平方米}
      - {name: share_pct, type: number, aliases: ["占比(%)"], unit: "%"}
    plausibility:
      area_10k_m2: {min: 0}
      share_pct: {percent: true}
"""


def test_unit_conversion_keeps_the_delivered_digits_and_folds_minus_zero(tmp_path):
    c = contract(tmp_path, AREA_CONTRACT)
    path = tmp_path / "test" / "area.csv"
    path.parent.mkdir()
    # 978000 平方米 x 0.0001 = 97.8 万平方米 exactly in decimal (in binary floating point,
    # 978000 * 0.0001 = 97.80000000000001); U+2212 −12300 平方米 = -1.23; "-0" = 0.0, not -0.0.
    write_csv(path, [["年份", "面积(平方米)", "增减(平方米)", "占比(%)"],
                     ["2021", "978000", "\u221212300", "45.5"],
                     ["2022", "978000", "-0", "46"]], "utf-8-sig")
    df = read(c, deliver(path), tmp_path)
    assert df["area_10k_m2"].to_list() == [97.8, 97.8]
    assert df["change_10k_m2"].to_list() == [-1.23, 0.0]
    assert str(df["change_10k_m2"][1]) == "0.0"


def test_plausibility_rules_name_row_column_and_rule(tmp_path):
    c = contract(tmp_path, AREA_CONTRACT)
    path = tmp_path / "test" / "area.csv"
    path.parent.mkdir()
    write_csv(path, [["年份", "面积(平方米)", "增减(平方米)", "占比(%)"],
                     ["2021", "-978000", "0", "0.455"],
                     ["2022", "inf", "0", "0.46"]], "utf-8-sig")
    text = problems_of(c, deliver(path), tmp_path)
    # -978000 平方米 = -97.8 万平方米, below min 0; 0.455 and 0.46 are fractions of a percent column.
    assert "area.csv, sheet 'area.csv', row 2, column B (面积(平方米)): -97.8 万平方米 is negative" in text
    assert "row 3, column B (面积(平方米)): 'inf' is not a finite number" in text
    assert "row 2, column D (占比(%)): every value of the column lies between 0 and 1" in text


@pytest.mark.parametrize("block,message", [
    ("plausibility: {year: {min: 0}}", "plausibility names ['year']"),
    ("plausibility: {area_10k_m2: {minimum: 0}}", "plausibility names ['minimum']"),
    ("regions: most", "regions 'most' is not one of"),
])
def test_contract_rules_are_checked_when_the_contract_loads(tmp_path, block, message):
    text = AREA_CONTRACT.split("    plausibility:")[0] + "    " + block + "\n"
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        contract(tmp_path, text)
