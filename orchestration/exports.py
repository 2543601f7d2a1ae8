"""Exports of the marts for people and tools that do not query the warehouse.

Each run writes `warehouse/exports/`:
    <table>.parquet          every mart, typed (lists stay lists)
    <table>.csv              every mart as UTF-8 with BOM, so Excel opens the Chinese intact
    tracking.xlsx            the tracking tables, one sheet each, Chinese headers, and a glossary
    manifest.json            every file with its table, format, rows, bytes and sha256

The set is written to a temporary folder and swapped in whole, so a failed export leaves the
previous set as it was. The Chinese headers are the `meta.label_zh` of each column in the dbt
YAML, read from dbt's manifest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl
from openpyxl.styles import Alignment, Font

from orchestration import settings
from orchestration.warehouse import connect

# Tables of the workbook and their sheet names, in order.
WORKBOOK = {"fct_target_tracking": "目标跟踪", "fct_indicator_value": "指标数值", "dim_indicator": "指标目录"}
WORKBOOK_NAME = "tracking.xlsx"


def export_dir() -> Path:
    return settings.WAREHOUSE_PATH.parent / "exports"


def mart_columns() -> dict[str, dict[str, dict]]:
    """table -> column -> {label_zh, description} from dbt's manifest (the marts' YAML)."""
    path = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"dbt manifest not found at {path.relative_to(settings.PROJECT_ROOT)}: "
                                "run `make manifest` (dbt parse) first; `make run` and `make test` do it for you")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["schema"] == "marts":
            out[node["name"]] = {
                name: {"label_zh": (col.get("meta") or {}).get("label_zh"), "description": col.get("description", "")}
                for name, col in node["columns"].items()
            }
    return out


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV and xlsx cells hold text, not lists: join list columns with '; '."""
    return frame.with_columns(
        pl.col(name).list.join("; ") for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_workbook(path: Path, frames: dict[str, pl.DataFrame], docs: dict[str, dict[str, dict]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table, sheet_name in WORKBOOK.items():
        frame = _flat(frames[table])
        sheet = book.create_sheet(sheet_name)
        columns = docs.get(table, {})
        sheet.append([(columns.get(c) or {}).get("label_zh") or c for c in frame.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in frame.iter_rows():
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    # A glossary sheet: the machine column name and description behind every Chinese header.
    glossary = book.create_sheet("说明")
    glossary.append(["工作表 sheet", "中文列名 header", "列名 column", "说明 description"])
    for cell in glossary[1]:
        cell.font = bold
    for table, sheet_name in WORKBOOK.items():
        for column in frames[table].columns:
            meta = docs.get(table, {}).get(column) or {}
            glossary.append([sheet_name, meta.get("label_zh") or column, column, meta.get("description", "")])
    book.save(path)


def export_marts(dest: Path | None = None) -> dict:
    """Write every mart as Parquet and CSV and the tracking workbook; returns the manifest."""
    dest = dest or export_dir()
    staging = dest.with_name(f".{dest.name}.incoming")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    docs = mart_columns()
    with connect(read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
        frames = {t: con.sql(f'SELECT * FROM marts."{t}"').pl() for t in tables}
    missing = sorted(set(WORKBOOK) - set(frames))
    if missing:
        raise RuntimeError(f"marts {missing} are not in the warehouse: build them (make run) before exporting")
    files = []
    for table, frame in frames.items():
        frame.write_parquet(staging / f"{table}.parquet")
        _flat(frame).write_csv(staging / f"{table}.csv", include_bom=True)
        files += [{"path": f"{table}.parquet", "table": f"marts.{table}", "format": "parquet", "rows": frame.height},
                  {"path": f"{table}.csv", "table": f"marts.{table}", "format": "csv (UTF-8 with BOM)", "rows": frame.height}]
    _write_workbook(staging / WORKBOOK_NAME, frames, docs)
    files.append({"path": WORKBOOK_NAME, "table": ", ".join(f"marts.{t}" for t in WORKBOOK), "format": "xlsx",
                  "rows": sum(frames[t].height for t in WORKBOOK), "sheets": {v: frames[k].height for k, v in WORKBOOK.items()}})
    for entry in files:
        path = staging / entry["path"]
        entry |= {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    manifest = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "warehouse": settings.WAREHOUSE_PATH.name, "files": files}
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # Swap the whole set in: the previous exports stay until the new set is complete.
    previous = dest.with_name(f".{dest.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if dest.exists():
        dest.rename(previous)
    staging.rename(dest)
    shutil.rmtree(previous, ignore_errors=True)
    return manifest
