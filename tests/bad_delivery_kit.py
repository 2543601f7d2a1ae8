"""Tools for the bad-delivery corpus (tests/test_bad_deliveries.py): faults applied to a copy of
raw/ as a careless department or operator would make them, and the state probes compared before
and after a load attempt."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import yaml

from tests.helpers import reseal

Fault = Callable[[Path], None]


@dataclass(frozen=True)
class Kind:
    cls: str  # the class of fault (file, layout, cell, plausibility, structure, provenance, raw tree)
    name: str
    contract: str  # source/dataset whose load must reject it
    fault: Fault
    expected: str  # what the error says: file, place, problem (a substring of one problem)
    years: tuple[str, ...] | None = None  # the run's years; None: every configured year
    unknown: bool = False  # expected in the list of unknown files, not as a rejection


# --- workbooks ----------------------------------------------------------------------------------

def xl(rel: str, *edits, sheet: str | None = None) -> Fault:
    """Edit a delivered workbook and reseal its provenance (an honest re-send of a bad file).
    An edit is (cell, value) or a function of the worksheet."""
    def fault(raw: Path) -> None:
        path = raw / rel
        wb = openpyxl.load_workbook(path)
        ws = wb[sheet] if sheet else wb.active
        for edit in edits:
            if callable(edit):
                edit(ws)
            else:
                ws[edit[0]] = edit[1]
        wb.save(path)
        reseal(path)
    return fault


def error_cell(cell: str, code: str):
    def edit(ws):
        ws[cell] = code
        ws[cell].data_type = "e"  # an error value as Excel saves it (#DIV/0!), no cached number
    return edit


def scale(cells: list[str], factor: float):
    def edit(ws):
        for c in cells:
            ws[c] = round(float(str(ws[c].value).replace(",", "")) * factor, 6)
    return edit


# --- CSV exports --------------------------------------------------------------------------------

def _encoding(data: bytes) -> str:
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "gb18030"


def csv_rows(rel: str, edit: Callable[[list[list[str]]], list[list[str]]]) -> Fault:
    """Edit a delivered CSV as rows, in its own encoding, and reseal."""
    def fault(raw: Path) -> None:
        path = raw / rel
        data = path.read_bytes()
        encoding = _encoding(data)
        rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(edit(rows))
        path.write_bytes(buffer.getvalue().encode(encoding))
        reseal(path)
    return fault


def cell(row: int, col: int, value: str):
    """Set line `row` (1-based, as reported), field `col` (0-based) of a CSV."""
    def edit(rows):
        rows[row - 1][col] = value
        return rows
    return edit


def bytes_of(rel: str, make: Callable[[bytes], bytes], seal: bool = True) -> Fault:
    def fault(raw: Path) -> None:
        path = raw / rel
        path.write_bytes(make(path.read_bytes()))
        if seal:
            reseal(path)
    return fault


# --- provenance and the raw tree -------------------------------------------------------------------

def prov(rel: str, edit: Callable[[dict], object]) -> Fault:
    """Edit a provenance file (without resealing: the delivery itself is unchanged)."""
    def fault(raw: Path) -> None:
        path = raw / (rel + ".provenance.yml")
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(spec)  # edits change the mapping in place
        path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return fault


def prov_text(rel: str, text: str | bytes) -> Fault:
    def fault(raw: Path) -> None:
        path = raw / (rel + ".provenance.yml")
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return fault


def rename(rel: str, new: str, with_provenance: bool = True) -> Fault:
    def fault(raw: Path) -> None:
        path = raw / rel
        path.rename(path.with_name(new))
        if with_provenance:
            p = raw / (rel + ".provenance.yml")
            p.rename(p.with_name(new + ".provenance.yml"))
            spec = yaml.safe_load(p.with_name(new + ".provenance.yml").read_text(encoding="utf-8"))
            spec["file"] = new
            p.with_name(new + ".provenance.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return fault


def copy_as(rel: str, new: str, **provenance) -> Fault:
    """Deliver a copy of a file under another name, with its own provenance."""
    def fault(raw: Path) -> None:
        src = raw / rel
        dst = src.with_name(new)
        dst.write_bytes(src.read_bytes())
        spec = yaml.safe_load((raw / (rel + ".provenance.yml")).read_text(encoding="utf-8"))
        spec |= {"file": new, **provenance}
        dst.with_name(new + ".provenance.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return fault


def faults(*steps: Fault) -> Fault:
    def fault(raw: Path) -> None:
        for step in steps:
            step(raw)
    return fault


def touch(rel: str, data: bytes = b"x") -> Fault:
    def fault(raw: Path) -> None:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(data)
    return fault


# --- state probes: what must be byte-identical before and after a rejected load ---------------------

def raw_files(raw: Path, warehouse: Path) -> dict[str, str]:
    """Every entry under raw/: digest of a file, target of a link."""
    out = {}
    for top, dirs, files in os.walk(raw, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(top) / name
            rel = path.relative_to(raw).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def raw_tables(raw: Path, warehouse: Path) -> dict:
    from tests.helpers import snapshot

    return snapshot(warehouse) if warehouse.exists() else {}


# name -> probe(raw_dir, warehouse) -> a comparable value. Publishing adds its own (the published
# file and the exports) here: every kind is compared on every probe.
STATE_PROBES: dict[str, Callable[[Path, Path], object]] = {"raw files": raw_files, "raw tables": raw_tables}


def states(raw: Path, warehouse: Path) -> dict[str, object]:
    return {name: probe(raw, warehouse) for name, probe in STATE_PROBES.items()}
