"""Writing a table in a contract's delivery layout: title and unit lines above a one- or two-row
header built from the contract's first alias of each column ("group/title" over two rows), the
rows, then a note that the data are synthetic. As xlsx (one sheet per contract sharing the file)
or as CSV in the contract's encoding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl


def header_cells(contract_spec: dict) -> tuple[list[dict], list[list[str | None]]]:
    """The columns to write (each: name, kind, spec) and the header rows of the layout.

    The column whose alias is the header's first cell comes first; a contract whose first cell
    names no column (a running number, 序号) gets that column in front."""
    first = contract_spec["header"]["first_cell"]
    rows = int(contract_spec["header"].get("rows", 1))
    columns = [{"name": c["name"], "kind": c.get("type", "number"), "spec": c, "alias": c["aliases"][0]}
               for c in contract_spec["columns"]]
    for w in (contract_spec.get("unpivot") or {}).get("columns", []):
        columns.append({"name": w["code"], "kind": "number", "spec": w, "alias": w["aliases"][0]})
    lead = [c for c in columns if _plain(c["alias"]) == _plain(first)]
    columns = lead + [c for c in columns if c not in lead] if lead else (
        [{"name": "_running_number", "kind": "running", "spec": {}, "alias": first}] + columns)
    header = [[], []] if rows == 2 else [[]]
    for c in columns:
        group, _, title = c["alias"].partition("/")
        if rows == 2:
            header[0].append(group)
            header[1].append(title or None)
        else:
            header[0].append(c["alias"])
    return columns, header


def _plain(text: str) -> str:
    return "".join(text.split())


def lines_above(contract_spec: dict, year: int | None) -> list[list[str]]:
    title = contract_spec["title_zh"]
    wanted = contract_spec.get("title_must_contain")
    if wanted and year is not None:
        title = f"{wanted.format(year=year)}{title}"
    above = [[f"{title}（合成数据 synthetic）"]]
    if contract_spec.get("unit_line"):
        above.append([f"单位：{contract_spec['unit_line']['unit']}"])
    return above


def write_csv(path: Path, blocks: list[list[list[object]]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for block in blocks:
        writer.writerows([["" if v is None else v for v in row] for row in block])
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """One workbook; write-only mode keeps memory flat for thousands of rows."""
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
