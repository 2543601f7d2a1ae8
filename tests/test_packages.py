"""Exports as standard packages (issue 14 item 4, issue 12 item 6): the Frictionless Data Package
validated by `frictionless validate`, the Parquet column descriptions read with pyarrow, the
workbook's formats, filters and Chinese labels read with openpyxl, and byte-identical exports
from the same warehouse."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from orchestration.exports import export_marts, publish_to, read_marts
from tests.helpers import query


@pytest.fixture(scope="module")
def exported(built, tmp_path_factory) -> Path:
    """The exports of the session's warehouse, written twice into two folders."""
    base = tmp_path_factory.mktemp("exports")
    export_marts(dest=base / "first", warehouse=built["warehouse"])
    export_marts(dest=base / "second", warehouse=built["warehouse"])
    return base


def frictionless_validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
                          cwd=folder, capture_output=True, text=True, timeout=300)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_exports_of_the_same_warehouse_are_byte_identical(exported, built):
    first, second = files(exported / "first"), files(exported / "second")
    assert first.keys() == second.keys()
    assert {"datapackage.json", "tracking.xlsx", "fct_target_tracking.parquet", "fct_target_tracking.csv",
            "sdmx/structure.xml", "sdmx/TARGET_TRACKING.csv", "sdmx/INDICATOR_VALUES.xml"} <= set(first)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    # and the run's own exports (written by the exports asset in the second run) are the same bytes
    published = files(built["warehouse"].parent / "exports")
    assert [name for name in first if published.get(name) != first[name]] == []


def test_datapackage_is_valid_under_frictionless(exported):
    folder = exported / "first"
    done = frictionless_validate(folder)
    report = json.loads(done.stdout)
    assert report["valid"] is True, [t["errors"][:3] for t in report["tasks"] if not t["valid"]]
    assert done.returncode == 0
    # every file of the folder is a resource, and none is listed that is not there
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"] for r in package["resources"]}
    assert listed == set(files(folder)) - {"datapackage.json"}


def test_datapackage_describes_fields_sources_and_licences(exported, built):
    folder = exported / "first"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tracking = next(r for r in package["resources"] if r["name"] == "fct_target_tracking")
    fields = {f["name"]: f for f in tracking["schema"]["fields"]}
    assert (fields["year"]["type"], fields["share_done"]["type"], fields["in_table1"]["type"]) == \
        ("integer", "number", "boolean")
    assert fields["barometer_2020"]["title"] == "晴雨表（2020年规则）"
    assert fields["indicator_id"]["description"].startswith("指标标识 Catalog indicator")
    assert {"value": "green", "label": "绿灯 green"} in fields["barometer_2020"]["categories"]
    assert tracking["rows"] == query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    assert tracking["hash"] == "sha256:" + hashlib.sha256((folder / "fct_target_tracking.csv").read_bytes()).hexdigest()
    assert "巴彦淖尔市统计局" in {s["title"] for s in package["sources"]}
    assert any("政府信息公开" in lic["title"] for lic in package["licenses"])
    assert "generated_at" not in json.dumps(package)  # no clock time in the descriptor


def test_frictionless_catches_a_tampered_file(exported, tmp_path):
    """The validation is real: a CSV changed after packaging fails on its hash and bytes."""
    folder = tmp_path / "copy"
    for name, data in files(exported / "first").items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    with (folder / "dim_region.csv").open("ab") as f:
        f.write(b"150899,x,x,county,150800\n")
    done = frictionless_validate(folder)
    report = json.loads(done.stdout)
    assert report["valid"] is False and done.returncode != 0
    bad = [t for t in report["tasks"] if not t["valid"]]
    assert [t["name"] for t in bad] == ["dim_region"]
    assert {"hash-count", "byte-count"} <= {e["type"] for e in bad[0]["errors"]}


def test_parquet_carries_the_column_descriptions(exported):
    schema = pq.read_schema(exported / "first" / "fct_target_tracking.parquet")
    field = schema.field("barometer_2020")
    assert field.metadata[b"label_zh"].decode() == "晴雨表（2020年规则）"
    assert field.metadata[b"description"].decode().startswith("晴雨表")
    assert schema.metadata[b"description"].decode().startswith("目标跟踪")
    assert all(f.metadata and f.metadata.get(b"description") for f in schema)  # every column documented
    assert schema.field("year").type == "int32"


def test_workbook_formats_filters_and_chinese_labels(exported, built):
    book = openpyxl.load_workbook(exported / "first" / "tracking.xlsx")
    assert book.sheetnames == ["目标跟踪", "指标数值", "指标目录", "说明", "编码说明"]
    sheet = book["目标跟踪"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["规划标识", "指标标识", "指标名称", "指标英文名称", "地区代码", "地区名称", "评估年份"]
    (table,) = sheet.tables.values()
    assert table.autoFilter is not None and table.ref.startswith("A1:")
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    n = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    assert len(rows) == n
    col = {name: i for i, name in enumerate(header)}
    # coded values in Chinese, regions with their names, booleans 是/否
    assert {r[col["晴雨表（2020年规则）"]] for r in rows} == {"绿灯", "黄灯", "红灯", "无数据"}
    assert {r[col["数据状态"]] for r in rows} - {None} <= {"最终核实", "初步", "示意"}
    assert "不低于" in {r[col["目标形式"]] for r in rows}
    regions = {(r[col["地区代码"]], r[col["地区名称"]]) for r in rows}
    assert regions >= {("150800", "巴彦淖尔市"), ("150826", "杭锦后旗")}
    assert {r[col["表1主要指标"]] for r in rows} == {"是", "否"}
    # number formats by type and widths set from the contents
    first = sheet[2]
    assert first[col["评估年份"]].number_format == "0"
    assert first[col["目标值"]].number_format == "#,##0.00##"
    assert sheet.column_dimensions["B"].width > 20  # Chinese names are wide; the default is 8.43
    codes = list(book["编码说明"].iter_rows(values_only=True))
    assert ("晴雨表（2020年规则）", "barometer_2020", "green", "绿灯", "green") in codes
    assert book.properties.created.year == 1980  # fixed, not the clock: same bytes every run


def test_read_marts_sorts_rows_and_folds_negative_zero(tmp_path, monkeypatch):
    warehouse = tmp_path / "tiny.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t (k VARCHAR, v DOUBLE)")
    con.execute("INSERT INTO marts.t VALUES ('b', -0.0), ('a', 1.5), ('c', NULL)")
    con.close()
    frame = read_marts(warehouse)["t"]
    assert frame["k"].to_list() == ["a", "b", "c"]
    v = frame["v"].to_list()
    assert v[1] == 0.0 and math.copysign(1.0, v[1]) == 1.0  # +0.0: the sign bit is gone
    assert v[0] == 1.5 and v[2] is None


def test_publish_hook_writes_the_exports_beside_the_published_file(built, tmp_path, exported):
    published = tmp_path / "bayannur.duckdb"
    published.write_bytes(built["warehouse"].read_bytes())
    publish_to(published)
    assert files(tmp_path / "exports") == files(exported / "first")


def test_a_table_longer_than_a_sheet_goes_on_over_more_sheets(exported, built, tmp_path, monkeypatch):
    """Excel stops at 1,048,576 rows; a longer table continues on '<sheet> 2', '<sheet> 3' ...
    Here a sheet holds 400 rows: the sample's 375 tracking rows fit in one, its indicator values
    (between 801 and 1,200 rows) take three sheets of 400, 400 and the rest."""
    from orchestration.exports import mart_columns, workbook

    frames = read_marts(built["warehouse"])
    n = frames["fct_indicator_value"].height
    assert frames["fct_target_tracking"].height <= 400 and 800 < n <= 1200
    monkeypatch.setattr(workbook, "ROWS_PER_SHEET", 400)
    workbook.write(tmp_path / "split.xlsx", frames, mart_columns())
    book = openpyxl.load_workbook(tmp_path / "split.xlsx")
    assert book.sheetnames == ["目标跟踪", "指标数值", "指标数值 2", "指标数值 3", "指标目录", "说明", "编码说明"]
    whole = list(openpyxl.load_workbook(exported / "first" / "tracking.xlsx")["指标数值"].iter_rows(values_only=True))
    rows, header = [], whole[0]
    for name, table, count in (("指标数值", "fct_indicator_value", 400), ("指标数值 2", "fct_indicator_value_2", 400),
                               ("指标数值 3", "fct_indicator_value_3", n - 800)):
        sheet = book[name]
        part = list(sheet.iter_rows(values_only=True))
        assert part[0] == header and len(part) == count + 1
        (only,) = sheet.tables.values()
        assert only.name == table and only.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{count + 1}"
        assert sheet.freeze_panes == "A2"
        rows += part[1:]
    assert rows == whole[1:]  # every row once, in the order of the one-sheet workbook
    glossary = {r[0] for r in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert "指标数值、指标数值 2、指标数值 3" in glossary
