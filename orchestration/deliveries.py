"""Read a department's delivery as its contract describes it, into one tidy polars frame.

A contract (orchestration/contracts/<source>/<dataset>.yml) says where the table sits in the
workbook, which headers mean which canonical column, which unit the numbers are in and how
regions are written. Every problem found is reported with the file, sheet, Excel row and column,
the value and what was expected; nothing is written anywhere by this module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import fastexcel
import openpyxl
import polars as pl
import yaml
from openpyxl.utils import get_column_letter

from orchestration import settings

LINEAGE_COLUMNS = ["_source_file", "_source_sha256", "_source_sheet", "_source_row", "_loaded_at"]
STATUSES = ("preliminary", "final", "illustrative")
# Footnote marks that yearbooks attach to names (杭锦后旗①, 临河区*).
_FOOTNOTE_MARKS = re.compile(r"[①-⑳⑴-⒇*＊†‡#＃\s]|\(\d\)|（\d）")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(\S+)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a delivery, located as precisely as it can be."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # Excel letter and header, e.g. "C (地区生产总值/第一产业)"

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DeliveryError(Exception):
    """A delivery broke its contract or its expectation suite; nothing of it was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(
            f"{len(problems)} problem(s) in the delivery; nothing was loaded:\n{shown}{more}"
        )


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str  # "region" | "number" | "text"
    aliases: tuple[str, ...]
    required: bool = False
    scaled: bool = False  # converted from the unit line's unit to the contract's canonical unit


@dataclass(frozen=True)
class Contract:
    source: str
    dataset: str
    title_zh: str
    title_en: str
    department_zh: str
    file_pattern: str
    sheet: str
    header_first_cell: str
    header_rows: int
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    canonical_unit: str | None = None
    title_must_contain: str | None = None
    table_ends_at: tuple[str, ...] = ("注",)
    missing_values: tuple[str, ...] = ("",)
    path: Path | None = field(default=None, compare=False)

    @property
    def table(self) -> str:
        """Table name in the warehouse's raw schema."""
        return f"{self.source}__{self.dataset}"

    @property
    def suite_path(self) -> Path:
        return settings.EXPECTATIONS_DIR / self.source / f"{self.dataset}.json"

    @classmethod
    def load(cls, path: Path) -> Contract:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            source=spec["source"],
            dataset=spec["dataset"],
            title_zh=spec["title_zh"],
            title_en=spec["title_en"],
            department_zh=spec["department_zh"],
            file_pattern=spec["file_pattern"],
            sheet=spec["sheet"],
            header_first_cell=_norm(spec["header"]["first_cell"]),
            header_rows=int(spec["header"].get("rows", 1)),
            columns=tuple(
                ColumnSpec(
                    name=c["name"],
                    type=c["type"],
                    aliases=tuple(_norm(a) for a in c["aliases"]),
                    required=bool(c.get("required", False)),
                    scaled=bool(c.get("scaled", False)),
                )
                for c in spec["columns"]
            ),
            key=tuple(spec["key"]),
            canonical_unit=(spec.get("unit_line") or {}).get("unit"),
            title_must_contain=spec.get("title_must_contain"),
            table_ends_at=tuple(spec.get("table_ends_at", ["注"])),
            missing_values=tuple(_norm(v) for v in spec.get("missing_values", [""])),
            path=path,
        )

    def year_of(self, file_name: str) -> str | None:
        """The year a file name carries under this contract's pattern, or None if it does not match."""
        regex = re.escape(self.file_pattern).replace(re.escape("{year}"), r"(?P<year>\d{4})")
        match = re.fullmatch(regex, file_name)
        return match["year"] if match else None

    def deliveries(self, raw_dir: Path | None = None) -> dict[str, Path]:
        """Delivered files by year, found in raw/<source>/."""
        folder = (raw_dir or settings.RAW_DIR) / self.source
        found = {}
        for path in sorted(folder.glob("*")):
            year = self.year_of(path.name)
            if year is not None:
                found[year] = path
        return found

    def warehouse_columns(self) -> dict[str, str]:
        """Column name -> DuckDB type of the raw table, in order."""
        cols: dict[str, str] = {"year": "INTEGER"}
        for c in self.columns:
            if c.type == "region":
                cols[f"{c.name.removesuffix('_code')}_name_as_delivered"] = "VARCHAR"
            cols[c.name] = {"number": "DOUBLE"}.get(c.type, "VARCHAR")
        cols["status"] = "VARCHAR"
        cols |= {
            "_source_file": "VARCHAR",
            "_source_sha256": "VARCHAR",
            "_source_sheet": "VARCHAR",
            "_source_row": "INTEGER",
            "_loaded_at": "TIMESTAMP WITH TIME ZONE",
        }
        return cols


def load_contracts(contracts_dir: Path | None = None) -> list[Contract]:
    folder = contracts_dir or settings.CONTRACTS_DIR
    return [Contract.load(p) for p in sorted(folder.glob("*/*.yml"))]


def _norm(text: object) -> str:
    """Full-width to half-width (NFKC) and no white space: how headers and names are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


@cache
def region_aliases() -> dict[str, str]:
    """Every accepted spelling of a region (official names and the seed's aliases) -> GB/T 2260 code."""
    regions = pl.read_csv(settings.SEEDS_DIR / "regions.csv", schema_overrides={"region_code": pl.String})
    aliases = pl.read_csv(settings.SEEDS_DIR / "region_aliases.csv", schema_overrides={"region_code": pl.String})
    mapping = {_norm(n): c for n, c in regions.select("name_zh", "region_code").iter_rows()}
    mapping |= {_norm(a): c for a, c in aliases.select("alias", "region_code").iter_rows()}
    return mapping


@cache
def unit_factors() -> dict[str, dict[str, float]]:
    return yaml.safe_load((settings.CONTRACTS_DIR / "units.yml").read_text(encoding="utf-8"))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Provenance:
    """The metadata file beside a delivery (<file>.provenance.yml): who published it and how sure it is."""

    path: Path
    spec: dict

    @property
    def status(self) -> str:
        return self.spec["status"]

    def row_status(self, region_as_delivered: str) -> str:
        """'illustrative' for rows that no publication gives, else the publication's status."""
        illustrative = self.spec.get("illustrative") or {}
        regions = illustrative.get("regions", [])
        if regions == "all" or _norm(region_as_delivered) in {_norm(r) for r in regions}:
            return "illustrative"
        return self.status


def provenance_path(delivery: Path) -> Path:
    return delivery.with_name(delivery.name + ".provenance.yml")


def read_provenance(delivery: Path, display: str) -> tuple[Provenance | None, list[Problem]]:
    path = provenance_path(delivery)
    if not path.exists():
        return None, [Problem(display, f"no provenance file '{path.name}' beside the delivery")]
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return None, [Problem(str(Path(display).with_name(path.name)), f"provenance is not valid YAML: {exc}")]
    problems = [
        Problem(str(Path(display).with_name(path.name)), f"provenance lacks '{k}'")
        for k in ("publisher", "title", "status", "licence", "sha256")
        if k not in spec
    ]
    if spec.get("status") not in (*STATUSES, None):
        problems.append(
            Problem(path.name, f"status '{spec['status']}' is not one of {', '.join(STATUSES)}")
        )
    return Provenance(path, spec), problems


def read_delivery(contract: Contract, path: Path, year: str, raw_dir: Path | None = None) -> pl.DataFrame:
    """Parse one delivered file into the contract's canonical columns plus lineage.

    Raises DeliveryError listing every problem found (a cell that is not a number, a column that
    is missing, a region that maps to no code, an unreadable file, a checksum that does not match
    the provenance file...).
    """
    raw_dir = raw_dir or settings.RAW_DIR
    display = path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else path.name
    provenance, problems = read_provenance(path, display)
    frame, parse_problems = _parse_sheet(contract, path, year, display)
    problems = parse_problems + problems

    digest = sha256_of(path)
    if provenance is not None and provenance.spec.get("sha256") not in (None, digest):
        problems.append(
            Problem(
                display,
                f"sha256 is {digest} but its provenance file records {provenance.spec['sha256']}: "
                "the file changed after delivery (raw deliveries are never edited; deliver a new file)",
            )
        )
    if problems:
        raise DeliveryError(problems)

    region_col = next(c.name for c in contract.columns if c.type == "region")
    as_delivered = f"{region_col.removesuffix('_code')}_name_as_delivered"
    assert provenance is not None
    return frame.with_columns(
        pl.lit(int(year), pl.Int32).alias("year"),
        pl.col(as_delivered)
        .map_elements(provenance.row_status, return_dtype=pl.String)
        .alias("status"),
        pl.lit(display).alias("_source_file"),
        pl.lit(digest).alias("_source_sha256"),
        pl.lit(contract.sheet).alias("_source_sheet"),
        pl.lit(datetime.now(timezone.utc)).alias("_loaded_at"),
    ).select(list(contract.warehouse_columns()))


def _first_used_cell(path: Path, sheet: str) -> tuple[int, int]:
    """(row, column), 1-based, of the sheet's first used cell.

    fastexcel (calamine) returns the used range only, so Excel row numbers need its origin;
    openpyxl reads it from the sheet's dimension record without loading the cells.
    """
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[sheet]
        return ws.min_row or 1, ws.min_column or 1
    finally:
        wb.close()


def _parse_sheet(
    contract: Contract, path: Path, year: str, display: str
) -> tuple[pl.DataFrame, list[Problem]]:
    empty = pl.DataFrame()
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # calamine raises its own error types for zip and XML damage
        return empty, [
            Problem(display, f"cannot be opened as an xlsx workbook (truncated or not xlsx?): {exc}")
        ]
    if contract.sheet not in reader.sheet_names:
        return empty, [
            Problem(display, f"has no sheet '{contract.sheet}'; its sheets are {reader.sheet_names}")
        ]
    try:
        cells = reader.load_sheet(contract.sheet, header_row=None, dtypes="string").to_polars()
        first_row, first_col = _first_used_cell(path, contract.sheet)
    except Exception as exc:
        return empty, [Problem(display, f"sheet cannot be read (truncated?): {exc}", contract.sheet)]

    sheet = contract.sheet
    rows = [[None if v is None else str(v) for v in r] for r in cells.iter_rows()]

    def excel_row(i: int) -> int:
        return first_row + i

    def excel_col(j: int) -> str:
        return get_column_letter(first_col + j)

    first_cells = [_norm(r[0]) if r and r[0] is not None else "" for r in rows]
    try:
        h = first_cells.index(contract.header_first_cell)
    except ValueError:
        return empty, [
            Problem(display, f"no header row whose first cell reads '{contract.header_first_cell}'", sheet)
        ]
    problems: list[Problem] = []

    above = [_norm(v) for r in rows[:h] for v in r if v is not None]
    if contract.title_must_contain:
        wanted = _norm(contract.title_must_contain.format(year=year))
        if not any(wanted in v for v in above):
            problems.append(
                Problem(display, f"the title above the table does not mention '{wanted}' "
                        f"(the file name says {year})", sheet)
            )
    factor = 1.0
    if contract.canonical_unit:
        declared = [m[1] for v in above if (m := _UNIT_LINE.search(v))]
        accepted = unit_factors().get(contract.canonical_unit, {contract.canonical_unit: 1})
        if not declared:
            problems.append(
                Problem(display, f"no unit line above the table (expected 单位：{contract.canonical_unit})", sheet)
            )
        elif declared[0] not in accepted:
            problems.append(
                Problem(display, f"unit line says '{declared[0]}'; expected one of {sorted(accepted)}", sheet)
            )
        else:
            factor = float(accepted[declared[0]])

    # Header: merged group titles sit in their first cell only, so carry them right over the
    # columns that have a sub-title, then join "group/sub-title".
    width = max(len(r) for r in rows)
    header_rows = [(rows[h + k] + [None] * width)[:width] for k in range(contract.header_rows)]
    top = list(header_rows[0])
    if contract.header_rows > 1:
        for j in range(1, width):
            if top[j] is None and header_rows[1][j] is not None:
                top[j] = top[j - 1]
    headers = []
    for j in range(width):
        parts = [_norm(top[j])] if top[j] is not None else []
        parts += [_norm(r[j]) for r in header_rows[1:] if r[j] is not None]
        headers.append("/".join(parts))

    positions: dict[str, int] = {}
    for spec in contract.columns:
        found = [j for j, name in enumerate(headers) if name in spec.aliases]
        if not found:
            problems.append(
                Problem(
                    display,
                    f"column '{spec.aliases[0]}' ({spec.name}) not found; "
                    f"the header reads {[x for x in headers if x]}",
                    sheet,
                    excel_row(h),
                )
            )
        elif len(found) > 1:
            problems.append(
                Problem(display, f"more than one column matches '{spec.aliases[0]}'", sheet, excel_row(h),
                        ", ".join(excel_col(j) for j in found))
            )
        else:
            positions[spec.name] = found[0]
    if problems:
        return empty, problems

    # Data rows run from under the header to the first note line or blank row.
    start = h + contract.header_rows
    end = start
    ends = tuple(_norm(m) for m in contract.table_ends_at)
    while end < len(rows) and first_cells[end] and not first_cells[end].startswith(ends):
        end += 1
    if end == start:
        return empty, [Problem(display, "the table has no data rows under its header", sheet, excel_row(start))]

    data = pl.DataFrame(
        {spec.name: [(rows[i] + [None] * width)[positions[spec.name]] for i in range(start, end)]
         for spec in contract.columns},
        schema={spec.name: pl.String for spec in contract.columns},
    ).with_columns(pl.Series("_source_row", [excel_row(i) for i in range(start, end)], pl.Int32))

    out = [data["_source_row"]]
    missing = list(contract.missing_values)
    aliases = region_aliases()
    for spec in contract.columns:
        col = data[spec.name]
        where = f"{excel_col(positions[spec.name])} ({headers[positions[spec.name]]})"
        norm = col.str.normalize("NFKC").str.strip_chars()
        is_missing = norm.is_null() | norm.is_in(missing)
        if spec.type == "region":
            # Marks first: NFKC would turn ① into a plain "1".
            names = col.str.replace_all(_FOOTNOTE_MARKS.pattern, "").str.normalize("NFKC")
            codes = names.replace_strict(aliases, default=None, return_dtype=pl.String)
            for r, value in zip(data["_source_row"].filter(codes.is_null()), col.filter(codes.is_null())):
                problems.append(Problem(display, f"'{value}' is not a known region: no such name or "
                                        "alias in transforms/seeds/regions.csv or region_aliases.csv",
                                        sheet, r, where))
            out += [names.alias(f"{spec.name.removesuffix('_code')}_name_as_delivered"), codes.alias(spec.name)]
        elif spec.type == "number":
            cleaned = norm.str.replace_all(r"[,\s]", "")
            parsed = pl.select(
                pl.when(is_missing).then(None).otherwise(cleaned).cast(pl.Float64, strict=False)
            ).to_series()
            bad = ~is_missing & parsed.is_null()
            for r, value in zip(data["_source_row"].filter(bad), col.filter(bad)):
                problems.append(Problem(display, f"'{value}' is not a number", sheet, r, where))
            if spec.required:
                for r in data["_source_row"].filter(is_missing):
                    problems.append(Problem(display, "value is missing; this column is required", sheet, r, where))
            out.append((parsed * factor if spec.scaled else parsed).alias(spec.name))
        else:
            out.append(norm.zip_with(~is_missing, pl.Series([None] * len(norm), dtype=pl.String)).alias(spec.name))
    return pl.DataFrame(out), problems
