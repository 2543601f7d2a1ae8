"""datapackage.json: the export set as a Frictionless Data Package.

Every CSV is a tabular resource with its Table Schema (field types from the mart, the Chinese
label as title, the zh/en description from the marts' YAML, the Chinese wording of coded values
as `categories`); the Parquet files, the workbook and the SDMX files are file resources. Every
resource carries its bytes and sha256. `sources` are the publishers of the deliveries the marts
were built from and `licenses` their licence wording, both read from the deliveries' provenance
files. No timestamp: the same marts give the same descriptor.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration import settings
from orchestration.exports.docs import code_labels
from orchestration.exports.workbook import NAME as WORKBOOK, SHEETS
from orchestration.yamlfiles import load_yaml

TITLE = "巴彦淖尔市应对气候变化规划目标跟踪 Bayannur City climate-plan target tracking"
MEDIA = {"parquet": "application/vnd.apache.parquet", "xlsx":
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "xml": "application/xml", "csv": "text/csv"}


def field_type(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "number"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    return "string"  # text, and lists (joined with '; ' in the CSV)


def _stats(path: Path) -> dict:
    with path.open("rb") as f:  # hashed in blocks: at national scale a file is hundreds of MB
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return {"bytes": path.stat().st_size, "hash": "sha256:" + digest}


def table_schema(schema: pl.Schema, docs: dict[str, dict]) -> dict:
    labels = code_labels()
    fields = []
    for name, dtype in schema.items():
        doc = docs.get(name) or {}
        field = {"name": name, "type": field_type(dtype), "title": doc.get("label_zh") or name,
                 "description": " ".join((doc.get("description") or "").split())}
        if isinstance(dtype, pl.List):
            field["description"] += " (list, joined with '; ' in the CSV)"
        if name in labels and field["type"] == "string":
            codes = sorted(labels[name].items())
            field["categories"] = [{"value": k, "label": f"{v['zh']} {v['en']}"} for k, v in codes]
            field["constraints"] = {"enum": [k for k, _ in codes]}  # a code the seed lacks fails validation
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


@dataclass(frozen=True)
class Table:
    """What the descriptor says of a mart: its columns, its rows, the delivered files it cites
    (fct_indicator_value.source_files, fct_regional_gdp.source_file). Kept instead of the mart,
    so that the exports hold one mart at a time."""

    name: str
    schema: pl.Schema
    rows: int
    cites: frozenset[str]

    @classmethod
    def of(cls, name: str, frame: pl.DataFrame) -> Table:
        column = CITES.get(name)
        cites = frozenset()
        if column in frame.columns:
            values = frame[column]
            cites = frozenset((values.explode() if isinstance(values.dtype, pl.List) else values).drop_nulls().unique())
        return cls(name, frame.schema, frame.height, cites)


CITES = {"fct_indicator_value": "source_files", "fct_regional_gdp": "source_file"}


def provenance(tables: dict[str, Table]) -> list[dict]:
    """The provenance of every delivered file the marts cite, read from the landing zone."""
    out = []
    for name in sorted(frozenset().union(*(t.cites for t in tables.values()))):
        path = settings.RAW_DIR / f"{name}.provenance.yml"
        if path.exists():
            out.append(load_yaml(path))
    return out


def write(path: Path, tables: dict[str, Table], docs: dict[str, dict[str, dict]],
          descriptions: dict[str, str], other_files: list[str]) -> dict:
    folder = path.parent
    resources = []
    for table, info in tables.items():
        csv = folder / f"{table}.csv"
        resources.append({
            "name": table, "type": "table", "path": csv.name, "format": "csv", "mediatype": MEDIA["csv"],
            "encoding": "utf-8-sig", "title": table, "description": descriptions.get(table, ""), **_stats(csv),
            "dialect": {"csv": {"delimiter": ",", "lineTerminator": "\n"}},
            "schema": table_schema(info.schema, docs.get(table, {})), "rows": info.rows})
    for table in tables:
        resources.append({"name": f"{table}-parquet", "type": "file", "path": f"{table}.parquet",
                          "format": "parquet", "mediatype": MEDIA["parquet"],
                          "description": f"marts.{table} as Parquet; column descriptions in the schema's field "
                                         "metadata (description, label_zh)", **_stats(folder / f"{table}.parquet")})
    resources.append({"name": "tracking-workbook", "type": "file", "path": WORKBOOK, "format": "xlsx",
                      "mediatype": MEDIA["xlsx"], **_stats(folder / WORKBOOK),
                      "description": "工作簿 The tracking tables for spreadsheet users, sheets "
                                     + ", ".join(f"{s} ({t})" for t, s in SHEETS.items())
                                     + ", 说明 (headers) and 编码说明 (codes)"})
    for name in other_files:
        ext = name.rsplit(".", 1)[-1]
        resources.append({"name": "sdmx-" + name.split("/")[-1].replace(".", "-").lower().replace("_", "-"),
                          "type": "file", "path": name, "format": ext, "mediatype": MEDIA[ext], **_stats(folder / name),
                          "description": "SDMX " + ("SDMX-ML 3.0" if ext == "xml" else "SDMX-CSV 2.0")})
    deliveries = provenance(tables)
    publishers = sorted({d["publisher"] for d in deliveries if d.get("publisher")})
    licences = sorted({" ".join(str(d["licence"]).split()) for d in deliveries if d.get("licence")})
    descriptor = {
        "name": "bayannur-climate-tracking", "title": TITLE,
        "description": "The marts of the Bayannur climate-plan tracking warehouse (dbt project transforms/): "
                       "values, targets and their assessment. Rows marked illustrative are sample data, not "
                       "published figures (see each row's status).",
        "keywords": ["climate", "巴彦淖尔", "十四五", "targets"],
        # attribution required: every delivery's licence asks for its source to be named
        "licenses": [{"name": "other-at", "title": text} for text in licences],
        "sources": [{"title": publisher} for publisher in publishers],
        "resources": resources,
    }
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor
