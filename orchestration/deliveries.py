"""Read a department's delivery as its contract describes it, into one tidy polars frame.

A contract (orchestration/contracts/<source>/<dataset>.yml) says where the table sits in the
workbook, which headers mean which canonical column, which unit the numbers are in and how
regions are written. Every problem found is reported with the file, sheet, Excel row and column,
the value and what was expected; nothing is written anywhere by this module.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path

import charset_normalizer
import fastexcel
import openpyxl
import polars as pl
import yaml
from openpyxl.utils import get_column_letter

from orchestration import settings
from orchestration.regions import load_region_aliases

LINEAGE_COLUMNS = ["_source_file", "_source_sha256", "_source_sheet", "_source_row", "_loaded_at"]
# A revised delivery keeps the name of the one it revises with _rev<N> before the extension
# (regional_gdp_2020_rev1.xlsx): raw files are never overwritten, so a revision needs a new name.
_REVISION = r"(?:_rev(?P<revision>[1-9][0-9]*))?"
STATUSES = ("preliminary", "final", "illustrative")
# Footnote marks that yearbooks attach to names (杭锦后旗①, 临河区*).
_FOOTNOTE_MARKS = re.compile(r"[①-⑳⑴-⒇*＊†‡#＃\s]|\(\d\)|（\d）")
# How yearbooks and exports write "no value"; a contract may list its own.
DEFAULT_MISSING = ["", "—", "－", "-", "–", "…", "...", "/", "／"]
# 单位：万吨 (not 填报单位：农牧局, which names the reporting office).
_UNIT_LINE = re.compile(r"(?<!填报)(?<!报送)单位\s*[:：]\s*(\S+)")


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
    type: str  # region | year | number | text | category
    aliases: tuple[str, ...]
    required: bool = False
    scaled: bool = False  # converted from the unit line's unit to the contract's canonical unit
    unit: str | None = None  # canonical unit
    delivered_unit: str | None = None  # converted to `unit` through contracts/units.yml
    fill_down: bool = False  # merged over several rows: carry the value down
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()  # category: code -> accepted texts

    @classmethod
    def from_spec(cls, c: dict) -> ColumnSpec:
        return cls(
            name=c["name"],
            type=c.get("type", "number"),
            aliases=tuple(_norm(a) for a in c["aliases"]),
            required=bool(c.get("required", False)),
            scaled=bool(c.get("scaled", False)),
            unit=c.get("unit"),
            delivered_unit=c.get("delivered_unit"),
            fill_down=bool(c.get("fill_down", False)),
            values=tuple((code, tuple(_norm(t) for t in texts)) for code, texts in (c.get("values") or {}).items()),
        )


@dataclass(frozen=True)
class Unpivot:
    """Wide columns (one per fuel, animal, power type...) turned into rows."""

    name: str
    value: str
    unit_column: str | None
    columns: tuple[ColumnSpec, ...]  # each: aliases, name = the code, unit / delivered_unit


@dataclass(frozen=True)
class Contract:
    source: str
    dataset: str
    title_zh: str
    title_en: str
    department_zh: str
    file_pattern: str
    format: str
    sheet: str | None
    header_first_cell: str
    header_rows: int
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    canonical_unit: str | None = None
    title_must_contain: str | None = None
    table_ends_at: tuple[str, ...] = ("注",)
    missing_values: tuple[str, ...] = ("",)
    region: str | None = None  # fixed region code of a table without a region column
    encoding: str = "auto"
    unpivot: Unpivot | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def table(self) -> str:
        """Table name in the warehouse's raw schema."""
        return f"{self.source}__{self.dataset}"

    @property
    def suite_path(self) -> Path:
        return settings.EXPECTATIONS_DIR / self.source / f"{self.dataset}.json"

    @property
    def year_in_file_name(self) -> bool:
        return "{year}" in self.file_pattern

    @classmethod
    def load(cls, path: Path) -> Contract:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        where = path.relative_to(settings.PROJECT_ROOT).as_posix() if path.is_relative_to(settings.PROJECT_ROOT) else path.name
        missing = [k for k in ("source", "dataset", "title_zh", "title_en", "department_zh", "file_pattern",
                               "header", "columns", "key") if k not in spec]
        if missing:
            raise ValueError(f"contract {where} lacks {', '.join(missing)}")
        fmt = spec.get("format") or Path(spec["file_pattern"]).suffix.lstrip(".").lower()
        if fmt not in ("xlsx", "csv"):
            raise ValueError(f"contract {where}: format '{fmt}' is not xlsx or csv")
        if fmt == "xlsx" and not spec.get("sheet"):
            raise ValueError(f"contract {where}: an xlsx contract names its sheet")
        columns = tuple(ColumnSpec.from_spec(c) for c in spec["columns"])
        bad_types = [c.name for c in columns if c.type not in ("region", "year", "number", "text", "category")]
        if bad_types:
            raise ValueError(f"contract {where}: unknown column type for {bad_types}")
        has_year_col = any(c.type == "year" for c in columns)
        if ("{year}" in spec["file_pattern"]) == has_year_col:
            raise ValueError(f"contract {where}: the year comes either from {{year}} in file_pattern "
                             "or from a column of type year, exactly one of them")
        if not spec.get("region") and not any(c.type == "region" for c in columns):
            raise ValueError(f"contract {where}: a column of type region, or a fixed `region:` code")
        unpivot = None
        if spec.get("unpivot"):
            u = spec["unpivot"]
            unpivot = Unpivot(
                name=u["name"], value=u["value"], unit_column=u.get("unit_column"),
                columns=tuple(ColumnSpec.from_spec({"name": c["code"], "type": "number", **c})
                              for c in u["columns"]),
            )
        return cls(
            source=spec["source"],
            dataset=spec["dataset"],
            title_zh=spec["title_zh"],
            title_en=spec["title_en"],
            department_zh=spec["department_zh"],
            file_pattern=spec["file_pattern"],
            format=fmt,
            sheet=spec.get("sheet"),
            header_first_cell=_norm(spec["header"]["first_cell"]),
            header_rows=int(spec["header"].get("rows", 1)),
            columns=columns,
            key=tuple(spec["key"]),
            canonical_unit=(spec.get("unit_line") or {}).get("unit"),
            title_must_contain=spec.get("title_must_contain"),
            table_ends_at=tuple(spec.get("table_ends_at", ["注"])),
            missing_values=tuple(_norm(v) for v in spec.get("missing_values", DEFAULT_MISSING)),
            region=str(spec["region"]) if spec.get("region") else None,
            encoding=spec.get("encoding", "auto"),
            unpivot=unpivot,
            path=path,
        )

    def _name_match(self, file_name: str) -> re.Match | None:
        stem, dot, ext = self.file_pattern.rpartition(".")
        regex = re.escape(stem).replace(re.escape("{year}"), r"(?P<year>\d{4})") + _REVISION + re.escape(dot + ext)
        return re.fullmatch(regex, file_name)

    def year_of(self, file_name: str) -> str | None:
        """'' for a multi-year file, the year for a one-year file, None if the name does not match."""
        match = self._name_match(file_name)
        if not match:
            return None
        return match["year"] if self.year_in_file_name else ""

    def revision_of(self, file_name: str) -> int:
        """0 for an original delivery, N for <name>_revN.<ext> (the name must match the contract)."""
        match = self._name_match(file_name)
        return int(match["revision"]) if match and match["revision"] else 0

    def original_of(self, file_name: str) -> str:
        """The name of the delivery a revision revises (the name itself for an original)."""
        return re.sub(r"_rev[1-9][0-9]*(\.[^.]+)$", r"\1", file_name) if self.revision_of(file_name) else file_name

    def deliveries(self, raw_dir: Path | None = None) -> list[tuple[Path, str | None]]:
        """Delivered files in raw/<source>/ with the year their name gives (None: several years)."""
        folder = (raw_dir or settings.RAW_DIR) / self.source
        found = []
        for path in sorted(folder.glob("*")):
            year = self.year_of(path.name)
            if year is not None:
                found.append((path, year or None))
        return found

    @property
    def region_column(self) -> str:
        return next((c.name for c in self.columns if c.type == "region"), "region_code")

    def warehouse_columns(self) -> dict[str, str]:
        """Column name -> DuckDB type of the raw table, in order."""
        cols: dict[str, str] = {"year": "INTEGER"}
        if self.region:
            cols["region_code"] = "VARCHAR"
        for c in self.columns:
            if c.type == "year":
                continue
            if c.type == "region":
                cols[f"{c.name.removesuffix('_code')}_name_as_delivered"] = "VARCHAR"
            cols[c.name] = {"number": "DOUBLE"}.get(c.type, "VARCHAR")
        if self.unpivot:
            cols[self.unpivot.name] = "VARCHAR"
            if self.unpivot.unit_column:
                cols[self.unpivot.unit_column] = "VARCHAR"
            cols[self.unpivot.value] = "DOUBLE"
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


def region_aliases() -> dict[str, str]:
    """Every accepted spelling of a region (official names and the seed's aliases) -> GB/T 2260 code."""
    return load_region_aliases()


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

    @property
    def vintage(self) -> date | None:
        """When the warehouse could first know these figures: the receipt date, else the
        publication date. Loaded rows carry it as `_vintage`; the latest vintage of a row wins."""
        for key in ("received", "published"):
            value = self.spec.get(key)
            if isinstance(value, date):
                return value
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                continue
        return None

    def row_status(self, region_as_delivered: str | None, row: int) -> str:
        """'illustrative' for rows that no publication gives, else the publication's status."""
        illustrative = self.spec.get("illustrative") or {}
        regions = illustrative.get("regions", [])
        if (
            regions == "all"
            or (region_as_delivered is not None and _norm(region_as_delivered) in {_norm(r) for r in regions})
            or row in (illustrative.get("rows") or [])
            or ("except_rows" in illustrative and row not in illustrative["except_rows"])
        ):
            return "illustrative"
        return self.status


def provenance_path(delivery: Path) -> Path:
    return delivery.with_name(delivery.name + ".provenance.yml")


def read_provenance(delivery: Path, display: str) -> tuple[Provenance | None, list[Problem]]:
    path = provenance_path(delivery)
    where = str(Path(display).with_name(path.name))
    if not path.exists():
        return None, [Problem(display, f"no provenance file '{path.name}' beside the delivery")]
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return None, [Problem(where, f"provenance is not valid YAML: {exc}")]
    problems = [
        Problem(where, f"provenance lacks '{k}'")
        for k in ("publisher", "title", "status", "licence", "sha256")
        if k not in spec
    ]
    if spec.get("status") not in (*STATUSES, None):
        problems.append(Problem(where, f"status '{spec['status']}' is not one of {', '.join(STATUSES)}"))
    return (Provenance(path, spec) if not problems else None), problems


def read_delivery(contract: Contract, path: Path, year: str | None = None, raw_dir: Path | None = None) -> pl.DataFrame:
    """Parse one delivered file into the contract's canonical columns plus lineage.

    `year` is the year the file name gives; None for a file whose rows carry their year.
    Raises DeliveryError listing every problem found (a cell that is not a number, a column that
    is missing, a region that maps to no code, an unreadable file, a checksum that does not match
    the provenance file...).
    """
    raw_dir = raw_dir or settings.RAW_DIR
    display = path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else path.name
    if year is None and contract.year_in_file_name:
        year = contract.year_of(path.name)
    provenance, problems = read_provenance(path, display)
    grid, grid_problems = _read_grid(contract, path, display)
    frame, parse_problems = (
        _parse_grid(contract, grid, year, display) if grid is not None else (pl.DataFrame(), [])
    )
    problems = grid_problems + parse_problems + problems

    digest = sha256_of(path)
    if provenance is not None and provenance.spec.get("sha256") != digest:
        problems.append(
            Problem(
                display,
                f"sha256 is {digest} but its provenance file records {provenance.spec['sha256']}: "
                "the file changed after delivery (raw deliveries are never edited; deliver a new file)",
            )
        )
    if problems:
        raise DeliveryError(problems)
    assert provenance is not None and grid is not None

    as_delivered = f"{contract.region_column.removesuffix('_code')}_name_as_delivered"
    names = frame[as_delivered] if as_delivered in frame.columns else pl.Series([None] * frame.height, dtype=pl.String)
    status = [provenance.row_status(n, r) for n, r in zip(names, frame["_source_row"])]
    extra = [pl.lit(contract.region).alias("region_code")] if contract.region else []
    if year is not None:
        extra.append(pl.lit(int(year), pl.Int32).alias("year"))
    return frame.with_columns(
        *extra,
        pl.Series("status", status, pl.String),
        pl.lit(display).alias("_source_file"),
        pl.lit(digest).alias("_source_sha256"),
        pl.lit(grid.sheet).alias("_source_sheet"),
        pl.lit(datetime.now(timezone.utc)).alias("_loaded_at"),
    ).with_columns(pl.col("year").cast(pl.Int32)).select(list(contract.warehouse_columns()))


@dataclass(frozen=True)
class Grid:
    """A sheet or CSV as rows of text cells, with where its first cell sits."""

    rows: list[list[str | None]]
    first_row: int  # 1-based row (or CSV line) of rows[0]
    first_col: int  # 1-based column of rows[i][0]
    sheet: str  # sheet name, or the CSV file's name

    def row_number(self, i: int) -> int:
        return self.first_row + i

    def column_letter(self, j: int) -> str:
        return get_column_letter(self.first_col + j)


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


def _read_grid(contract: Contract, path: Path, display: str) -> tuple[Grid | None, list[Problem]]:
    if contract.format == "csv":
        return _read_csv_grid(contract, path, display)
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # calamine raises its own error types for zip and XML damage
        return None, [Problem(display, f"cannot be opened as an xlsx workbook (truncated or not xlsx?): {exc}")]
    if contract.sheet not in reader.sheet_names:
        return None, [Problem(display, f"has no sheet '{contract.sheet}'; its sheets are {reader.sheet_names}")]
    try:
        cells = reader.load_sheet(contract.sheet, header_row=None, dtypes="string").to_polars()
        first_row, first_col = _first_used_cell(path, contract.sheet)
    except Exception as exc:
        return None, [Problem(display, f"sheet cannot be read (truncated?): {exc}", contract.sheet)]
    rows = [[None if v is None else str(v) for v in r] for r in cells.iter_rows()]
    return Grid(rows, first_row, first_col, contract.sheet), []


def _read_csv_grid(contract: Contract, path: Path, display: str) -> tuple[Grid | None, list[Problem]]:
    data = path.read_bytes()
    if contract.encoding != "auto":
        encoding = contract.encoding
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            return None, [Problem(display, "cannot tell the text encoding (not UTF-8, GB18030 or another known one)")]
        # GB2312 and GBK are subsets of GB18030: decode with the superset.
        encoding = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(display, f"is not valid {encoding}: byte {exc.start} cannot be decoded", None, line)]
    # The csv module keeps blank lines as empty rows, so row i is line i + 1 of the file.
    try:
        rows = [[v.strip() or None for v in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        return None, [Problem(display, f"cannot be parsed as CSV: {exc}")]
    return Grid(rows, 1, 1, path.name), []


def _parse_grid(contract: Contract, grid: Grid, year: str | None, display: str) -> tuple[pl.DataFrame, list[Problem]]:
    empty = pl.DataFrame()
    rows, sheet = grid.rows, grid.sheet
    if not rows:
        return empty, [Problem(display, "is empty", sheet)]
    first_cells = [_norm(r[0]) if r and r[0] is not None else "" for r in rows]
    try:
        h = first_cells.index(contract.header_first_cell)
    except ValueError:
        return empty, [Problem(display, f"no header row whose first cell reads '{contract.header_first_cell}'", sheet)]
    problems: list[Problem] = []

    above = [_norm(v) for r in rows[:h] for v in r if v is not None]
    if contract.title_must_contain and year is not None:
        wanted = _norm(contract.title_must_contain.format(year=year))
        if not any(wanted in v for v in above):
            problems.append(Problem(display, f"the title above the table does not mention '{wanted}' "
                                    f"(the file name says {year})", sheet))
    factor = 1.0
    if contract.canonical_unit:
        declared = [m[1] for v in above if (m := _UNIT_LINE.search(v))]
        accepted = unit_factors().get(contract.canonical_unit, {contract.canonical_unit: 1})
        if not declared:
            problems.append(Problem(display, f"no unit line above the table (expected 单位：{contract.canonical_unit})", sheet))
        elif declared[0] not in accepted:
            problems.append(Problem(display, f"unit line says '{declared[0]}'; expected one of {sorted(accepted)}", sheet))
        else:
            factor = float(accepted[declared[0]])

    # Header: merged group titles sit in their first cell only, so carry them right over the
    # columns that have a sub-title, then join "group/sub-title".
    width = max(len(r) for r in rows)
    padded = [(r + [None] * width)[:width] for r in rows]
    header_rows = padded[h : h + contract.header_rows]
    top = list(header_rows[0])
    if len(header_rows) > 1:
        for j in range(1, width):
            if top[j] is None and header_rows[1][j] is not None:
                top[j] = top[j - 1]
    headers = []
    for j in range(width):
        parts = [_norm(top[j])] if top[j] is not None else []
        parts += [_norm(r[j]) for r in header_rows[1:] if r[j] is not None]
        headers.append("/".join(parts))

    wide = list(contract.unpivot.columns) if contract.unpivot else []
    positions: dict[str, int] = {}
    for spec in [*contract.columns, *wide]:
        found = [j for j, name in enumerate(headers) if name in spec.aliases]
        if not found:
            problems.append(Problem(display, f"column '{spec.aliases[0]}' ({spec.name}) not found; "
                                    f"the header reads {[x for x in headers if x]}", sheet, grid.row_number(h)))
        elif len(found) > 1:
            problems.append(Problem(display, f"more than one column matches '{spec.aliases[0]}'", sheet,
                                    grid.row_number(h), ", ".join(grid.column_letter(j) for j in found)))
        else:
            positions[spec.name] = found[0]
    if problems:
        return empty, problems

    # Data rows run from under the header to the first note line or blank row.
    start = h + contract.header_rows
    ends = tuple(_norm(m) for m in contract.table_ends_at)
    end = start
    while end < len(rows) and any(v is not None and _norm(v) for v in padded[end]) and not (
        first_cells[end] and first_cells[end].startswith(ends)
    ):
        end += 1
    if end == start:
        return empty, [Problem(display, "the table has no data rows under its header", sheet, grid.row_number(start))]

    source_rows = pl.Series("_source_row", [grid.row_number(i) for i in range(start, end)], pl.Int32)
    out: list[pl.Series] = [source_rows]
    for spec in [*contract.columns, *wide]:
        j = positions[spec.name]
        col = pl.Series(spec.name, [padded[i][j] for i in range(start, end)], pl.String)
        where = f"{grid.column_letter(j)} ({headers[j]})"
        series, found = _convert(contract, spec, col, source_rows, factor)
        problems += [Problem(display, message, sheet, row, where) for row, message in found]
        out += series
    frame = pl.DataFrame(out)
    if contract.unpivot:
        u = contract.unpivot
        units = {c.name: c.unit for c in wide}
        frame = frame.unpivot(on=[c.name for c in wide], index=[c for c in frame.columns if c not in units],
                              variable_name=u.name, value_name=u.value)
        if u.unit_column:
            frame = frame.with_columns(pl.col(u.name).replace_strict(units, return_dtype=pl.String).alias(u.unit_column))
        frame = frame.sort("_source_row", maintain_order=True)
    return frame, problems


def _convert(contract: Contract, spec: ColumnSpec, col: pl.Series, rows: pl.Series,
             unit_line_factor: float) -> tuple[list[pl.Series], list[tuple[int, str]]]:
    """A column of text cells -> its typed series, and (row, message) for every bad cell."""
    problems: list[tuple[int, str]] = []
    # Footnote marks first: NFKC would turn ① into a plain "1".
    norm = col.str.replace_all(_FOOTNOTE_MARKS.pattern, "").str.normalize("NFKC").str.strip_chars()
    is_missing = norm.is_null() | norm.is_in(list(contract.missing_values))
    if spec.fill_down:
        norm = pl.select(pl.when(is_missing).then(None).otherwise(norm).forward_fill()).to_series()
        is_missing = norm.is_null()
    if spec.required:
        problems += [(r, "value is missing; this column is required") for r in rows.filter(is_missing)]

    def bad(mask: pl.Series, message) -> None:
        problems.extend((r, message(v)) for r, v in zip(rows.filter(mask), col.filter(mask)))

    if spec.type == "region":
        names = norm.str.replace_all(r"\s+", "")
        codes = names.replace_strict(region_aliases(), default=None, return_dtype=pl.String)
        bad(codes.is_null() & ~is_missing, lambda v: f"'{v}' is not a known region: no such name or alias "
            "in transforms/seeds/regions.csv or region_aliases.csv")
        return [names.alias(f"{spec.name.removesuffix('_code')}_name_as_delivered"), codes.alias(spec.name)], problems
    if spec.type == "year":
        years = norm.str.replace(r"年$", "").cast(pl.Int32, strict=False)
        bad(years.is_null() & ~is_missing, lambda v: f"'{v}' is not a year")
        return [years.alias("year")], problems
    if spec.type == "category":
        lookup = {text: code for code, texts in spec.values for text in texts}
        codes = norm.str.replace_all(r"\s+", "").replace_strict(lookup, default=None, return_dtype=pl.String)
        bad(codes.is_null() & ~is_missing, lambda v: f"'{v}' is not one of the known values "
            f"{[t for _, texts in spec.values for t in texts]}")
        return [codes.alias(spec.name)], problems
    if spec.type == "text":
        return [pl.select(pl.when(is_missing).then(None).otherwise(norm)).to_series().alias(spec.name)], problems
    cleaned = norm.str.replace_all(r"[,\s]", "").str.strip_suffix("%")
    parsed = pl.select(pl.when(is_missing).then(None).otherwise(cleaned).cast(pl.Float64, strict=False)).to_series()
    bad(~is_missing & parsed.is_null(), lambda v: f"'{v}' is not a number")
    factor = unit_line_factor if spec.scaled else 1.0
    if spec.delivered_unit and spec.delivered_unit != spec.unit:
        accepted = unit_factors().get(spec.unit or "", {})
        if spec.delivered_unit not in accepted:
            raise ValueError(f"contract {contract.source}/{contract.dataset}: no conversion from "
                             f"{spec.delivered_unit} to {spec.unit} in contracts/units.yml")
        factor *= float(accepted[spec.delivered_unit])
    return [(parsed * factor if factor != 1.0 else parsed).alias(spec.name)], problems


def main(argv: list[str] | None = None) -> int:
    """`python -m orchestration.deliveries check|load SOURCE[/DATASET]`: parse and validate every
    delivery of a source (check), and also write it to the warehouse's raw schema (load). For
    developing a contract; the pipeline loads through Dagster."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m orchestration.deliveries", description=main.__doc__)
    parser.add_argument("command", choices=["check", "load"])
    parser.add_argument("target", help="SOURCE or SOURCE/DATASET")
    args = parser.parse_args(argv)
    import logging

    # The ingestion step's own reading: every vintage, each revision validated on its own.
    from orchestration.assets.ingestion import ingest
    from orchestration.warehouse import replace_vintages

    source, _, dataset = args.target.partition("/")
    contracts = [c for c in load_contracts() if c.source == source and dataset in ("", c.dataset)]
    if not contracts:
        parser.error(f"no contract for {args.target} in orchestration/contracts/")
    failed = False
    quiet = logging.getLogger("deliveries")
    for contract in contracts:
        if not contract.deliveries():
            print(f"{contract.table}: no deliveries match {contract.file_pattern} in raw/{contract.source}/")
            failed = True
            continue
        try:
            frame, _, result = ingest(contract, settings.YEARS, quiet)
        except DeliveryError as exc:
            failed = True
            print(f"{contract.table}: REJECTED\n" + "\n".join(f"  - {p}" for p in exc.problems[:40]))
            continue
        years = sorted(set(frame["year"].to_list()))
        print(f"{contract.table}: {frame.height} rows, years {years}, suite {result.successful}/{result.evaluated} passed")
        if args.command == "load":
            replace_vintages(contract.table, contract.warehouse_columns(), contract.key, frame, years)
            print(f"  loaded into raw_vintages.{contract.table} (latest: raw.{contract.table}) of {settings.WAREHOUSE_PATH}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
