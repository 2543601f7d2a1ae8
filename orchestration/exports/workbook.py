"""The tracking workbook, written with polars' write_excel (xlsxwriter).

One sheet per tracking table as an Excel table (header filters, banded rows), column widths from
the contents, number formats by type, the header row frozen. Readers see Chinese: headers are the
columns' `meta.label_zh`, coded values (green, illustrative, level_at_least ...) their labels from
the seed code_labels, booleans 是/否, and a 地区名称 column beside every region code. Two sheets
explain the rest: 说明 (each header's column and description) and 编码说明 (each code's wording).
"""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from orchestration.exports.docs import code_labels

NAME = "tracking.xlsx"
# Tables of the workbook and their sheet names, in order.
SHEETS = {"fct_target_tracking": "目标跟踪", "fct_indicator_value": "指标数值", "dim_indicator": "指标目录"}
REGION_NAME = ("region_name_zh", "地区名称", "地区名称 Region name (dim_region), added in the workbook.")
FORMATS = {pl.Float64: "#,##0.00##", pl.Float32: "#,##0.00##", pl.Int64: "0", pl.Int32: "0", pl.Int16: "0"}


def build_date() -> datetime:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention), else 1980-01-01: never the clock."""
    return datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), UTC).replace(tzinfo=None)


def text_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.split("\n")[0])


def readable(frame: pl.DataFrame, regions: pl.DataFrame | None, labels: dict[str, dict[str, dict]]) -> pl.DataFrame:
    """Codes to Chinese labels, booleans to 是/否, lists joined, region names beside the codes."""
    out = frame.with_columns(
        [pl.col(c).list.join("; ") for c, t in frame.schema.items() if isinstance(t, pl.List)]
        + [pl.col(c).replace({k: v["zh"] for k, v in labels[c].items()}) for c in frame.columns if c in labels]
        + [pl.when(pl.col(c)).then(pl.lit("是")).otherwise(pl.lit("否")).alias(c)
           for c, t in frame.schema.items() if t == pl.Boolean]
    )
    if regions is not None and "region_code" in out.columns:
        names = regions.select("region_code", pl.col("name_zh").alias(REGION_NAME[0]))
        position = out.columns.index("region_code") + 1
        out = out.join(names, on="region_code", how="left", maintain_order="left")
        order = out.columns[:position] + [REGION_NAME[0]] + [c for c in out.columns[position:] if c != REGION_NAME[0]]
        out = out.select(order)
    return out


def headers(columns: list[str], docs: dict[str, dict]) -> dict[str, str]:
    """column -> Chinese header; a label used twice gets the column name in brackets."""
    labels = {c: (docs.get(c) or {}).get("label_zh") or (REGION_NAME[1] if c == REGION_NAME[0] else c) for c in columns}
    taken = [labels[c] for c in columns]
    return {c: f"{label}（{c}）" if taken.count(label) > 1 else label for c, label in labels.items()}


def widths(frame: pl.DataFrame) -> dict[str, int]:
    """Column widths in pixels (what write_excel takes): the 90th percentile of the cells' text
    width (a CJK character counts 2), at least the header's, between 8 and 60 characters."""
    out = {}
    for column in frame.columns:
        cells = [text_width(v) for v in frame[column].head(500).to_list()] + [text_width(column)]
        cells.sort()
        out[column] = 7 * min(max(cells[int(len(cells) * 0.9)], text_width(column), 8) + 2, 60)
    return out


def write(path: Path, frames: dict[str, pl.DataFrame], docs: dict[str, dict[str, dict]]) -> None:
    labels = code_labels()
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": "巴彦淖尔市应对气候变化规划目标跟踪 Bayannur climate-plan tracking",
                         "created": build_date()})
    glossary, codes_used = [], {}
    for table, sheet in SHEETS.items():
        frame = readable(frames[table], frames.get("dim_region"), labels)
        names = headers(frame.columns, docs.get(table, {}))
        shown = frame.rename(names)
        shown.write_excel(
            workbook=book, worksheet=sheet, table_name=table, table_style="Table Style Light 9",
            dtype_formats=FORMATS, column_widths=widths(shown), autofilter=True, freeze_panes=(1, 0),
            header_format={"bold": True, "text_wrap": True, "valign": "top"},
        )
        for column in frame.columns:
            doc = docs.get(table, {}).get(column) or {}
            description = doc.get("description") or (REGION_NAME[2] if column == REGION_NAME[0] else "")
            glossary.append({"工作表 sheet": sheet, "中文列名 header": names[column], "列名 column": column,
                             "说明 description": " ".join(description.split())})
            if column in labels:
                codes_used[column] = names[column]
    pl.DataFrame(glossary).write_excel(workbook=book, worksheet="说明", table_name="glossary",
                                       column_widths={"说明 description": 700}, autofit=False,
                                       freeze_panes=(1, 0), header_format={"bold": True})
    rows = [{"中文列名 header": header, "列名 column": column, "编码 code": code, "中文 label": text["zh"],
             "英文 label_en": text["en"]}
            for column, header in sorted(codes_used.items()) for code, text in labels[column].items()]
    pl.DataFrame(rows).write_excel(workbook=book, worksheet="编码说明", table_name="code_labels",
                                   column_widths=200, freeze_panes=(1, 0), header_format={"bold": True})
    book.close()
