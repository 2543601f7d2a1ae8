"""Find the table in a grid (title, unit line, header, data rows) and type its columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from orchestration.deliveries.cells import PY_SPACE, convert, norm_series, unit_factors
from orchestration.deliveries.contract import ColumnSpec, Contract
from orchestration.deliveries.grid import Grid
from orchestration.deliveries.problems import Problem
from orchestration.deliveries.regions import norm as _norm

# 单位：万吨 (not 填报单位：农牧局, which names the reporting office).
_UNIT_LINE = re.compile(r"(?<!填报)(?<!报送)单位\s*[:：]\s*(\S+)")


@dataclass(frozen=True)
class Table:
    """The typed table, one row per delivered row (before any unpivot), and where each column sits."""

    frame: pl.DataFrame
    where: dict[str, str]  # column name -> "C (header)"
    wide: tuple[ColumnSpec, ...]


def _headers(contract: Contract, grid: Grid, h: int) -> list[str]:
    """Merged group titles sit in their first cell only: carry them right over the columns that
    have a sub-title, then join "group/sub-title"."""
    header_rows = [grid.row(i) for i in range(h, min(h + contract.header_rows, grid.height))]
    top = list(header_rows[0])
    if len(header_rows) > 1:
        for j in range(1, len(top)):
            if top[j] is None and header_rows[1][j] is not None:
                top[j] = top[j - 1]
    headers = []
    for j in range(len(top)):
        parts = [_norm(top[j])] if top[j] is not None else []
        parts += [_norm(r[j]) for r in header_rows[1:] if r[j] is not None]
        headers.append("/".join(parts))
    return headers


def _unit_factor(contract: Contract, above: list[str], display: str, sheet: str) -> tuple[Decimal, list[Problem]]:
    if not contract.canonical_unit:
        return Decimal(1), []
    declared = [m[1] for v in above if (m := _UNIT_LINE.search(v))]
    accepted = unit_factors().get(contract.canonical_unit, {contract.canonical_unit: Decimal(1)})
    if not declared:
        return Decimal(1), [Problem(display, f"no unit line above the table (expected 单位：{contract.canonical_unit})", sheet)]
    if declared[0] not in accepted:
        return Decimal(1), [Problem(display, f"unit line says '{declared[0]}'; expected one of {sorted(accepted)}", sheet)]
    return accepted[declared[0]], []


def _row_kinds(contract: Contract, cells: pl.DataFrame) -> pl.DataFrame:
    """Per row: its first cell as compared (norm), whether it is blank, a note line, and how many
    cells it fills; whole columns at once."""
    ends = tuple(_norm(m) for m in contract.table_ends_at)
    first = pl.lit(norm_series(cells["c0"]).fill_null(""))
    # A cell counts when norm() leaves something: NFKC maps no visible character to white space.
    filled = [pl.col(c).str.contains(f"[^{PY_SPACE}]").fill_null(False) for c in cells.columns]
    return cells.select(
        first.alias("first"),
        (~pl.any_horizontal(filled)).alias("blank"),
        ((first != "") & pl.any_horizontal([first.str.starts_with(e) for e in ends])).alias("note"),
        pl.sum_horizontal([pl.col(c).is_not_null() for c in cells.columns]).alias("filled"),
    )


def _first(mask: pl.Series, start: int) -> int | None:
    found = mask.slice(start).arg_true()
    return start + int(found[0]) if found.len() else None


def parse_grid(contract: Contract, grid: Grid, year: str | None, display: str) -> tuple[Table | None, list[Problem]]:
    cells, sheet = grid.cells, grid.sheet
    if not cells.width or not cells.height or not cells.select(pl.any_horizontal(pl.all().is_not_null().any())).item():
        return None, [Problem(display, "is empty", sheet)]
    kinds = _row_kinds(contract, cells)
    h = _first(kinds["first"] == contract.header_first_cell, 0)
    if h is None:
        return None, [Problem(display, f"no header row whose first cell reads '{contract.header_first_cell}'", sheet)]
    problems: list[Problem] = []

    above = [_norm(v) for i in range(h) for v in grid.row(i) if v is not None]
    if contract.title_must_contain and year is not None:
        wanted = _norm(contract.title_must_contain.format(year=year))
        if not any(wanted in v for v in above):
            problems.append(Problem(display, f"the title above the table does not mention '{wanted}' "
                                    f"(the file name says {year})", sheet))
    factor, unit_problems = _unit_factor(contract, above, display, sheet)
    problems += unit_problems

    headers = _headers(contract, grid, h)
    wide = contract.unpivot.columns if contract.unpivot else ()
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
        return None, problems

    # Data rows run from under the header to the first note line or blank row.
    start = h + contract.header_rows
    blank, note = kinds["blank"], kinds["note"]
    end = _first(blank | note, start) if start < cells.height else None
    end = cells.height if end is None else end
    if end <= start:
        return None, [Problem(display, "the table has no data rows under its header", sheet, grid.row_number(start))]
    # A blank row in the middle would cut the table there: rows of data below it are an error,
    # not a silent truncation. Notes (one cell, or a first cell like 注) may follow.
    if end < cells.height and blank[end]:
        after = _first(~blank, end)
        if after is not None and not note[after] and kinds["filled"][after] >= 2:
            problems.append(Problem(display, f"blank row inside the table: row {grid.row_number(after)} below it "
                                    "holds data that would be cut off; delete the blank row", sheet,
                                    grid.row_number(end)))

    source_rows = (pl.int_range(start, end, eager=True) + grid.first_row).cast(pl.Int32).alias("_source_row")
    out: list[pl.Series] = [source_rows]
    where: dict[str, str] = {}
    for spec in [*contract.columns, *wide]:
        j = positions[spec.name]
        where[spec.name] = f"{grid.column_letter(j)} ({headers[j]})"
        for i, jj in sorted(grid.untrusted):
            if jj == j and start <= i < end:
                problems.append(Problem(display, f"the cell holds {grid.untrusted[(i, j)]}: deliver the value "
                                        "(paste as values), not an error or a formula", sheet,
                                        grid.row_number(i), where[spec.name]))
        col = cells[f"c{j}"].slice(start, end - start).alias(spec.name)
        series, found = convert(contract, spec, col, source_rows, factor)
        problems += [Problem(display, message, sheet, row, where[spec.name]) for row, message in found]
        out += series
    return Table(pl.DataFrame(out), where, tuple(wide)), problems


def unpivot(contract: Contract, table: Table) -> pl.DataFrame:
    """Wide columns (one per fuel, animal...) -> rows, in delivered order."""
    frame, u = table.frame, contract.unpivot
    if u is None:
        return frame
    units = {c.name: c.unit for c in table.wide}
    frame = frame.unpivot(on=[c.name for c in table.wide], index=[c for c in frame.columns if c not in units],
                          variable_name=u.name, value_name=u.value)
    if u.unit_column:
        frame = frame.with_columns(pl.col(u.name).replace_strict(units, return_dtype=pl.String).alias(u.unit_column))
    return frame.sort("_source_row", maintain_order=True)
