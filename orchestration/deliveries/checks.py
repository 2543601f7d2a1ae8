"""Checks on a whole parsed delivery, before anything is written: duplicate keys, regions and
years that must all be there, and counties that must add up to their city."""

from __future__ import annotations

import polars as pl

from orchestration.deliveries.contract import Contract
from orchestration.deliveries.parse import Table
from orchestration.deliveries.problems import Problem
from orchestration.deliveries.regions import load_region_tree


def check_table(contract: Contract, table: Table, year: str | None, display: str, sheet: str,
                revision: bool = False) -> list[Problem]:
    """Every whole-table problem; a revision may hold only the rows it revises, so its regions are
    not required to be complete."""
    frame = table.frame
    if year is not None:
        frame = frame.with_columns(pl.lit(int(year), pl.Int32).alias("year"))
    problems = _duplicates(contract, frame, table, display, sheet)
    region = None if contract.region else contract.region_column
    if region is not None and not revision:
        problems += _regions(contract, frame, region, display, sheet)
        problems += _counties_vs_city(contract, frame, table, region, display, sheet)
    if year is None and contract.unbroken_years:
        problems += _unbroken_years(frame, region, table, display, sheet)
    return problems


def _keys(contract: Contract, frame: pl.DataFrame) -> list[str]:
    """The key columns a delivered row carries (the unpivoted name comes from the header)."""
    return [k for k in contract.key if k in frame.columns]


def _duplicates(contract: Contract, frame: pl.DataFrame, table: Table, display: str, sheet: str) -> list[Problem]:
    keys = _keys(contract, frame)
    if not keys:
        return []
    # Vectorised: rows whose key came before; only those are looked at one by one.
    rows = frame.select(*keys, "_source_row").filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
    repeated = rows.filter(~pl.struct(keys).is_first_distinct())  # a blank key cell is reported where it is
    if not repeated.height:
        return []
    firsts = rows.group_by(keys).agg(pl.col("_source_row").min().alias("_first"))
    repeated = repeated.join(firsts, on=keys, how="left", maintain_order="left")
    problems = []
    for values in repeated.iter_rows():
        key, row, first = values[:-2], values[-2], values[-1]
        shown = ", ".join(f"{k}={v}" for k, v in zip(keys, key))
        problems.append(Problem(display, f"duplicate row: same key ({shown}) as row {first}", sheet, row))
    return problems


def _regions(contract: Contract, frame: pl.DataFrame, region: str, display: str, sheet: str) -> list[Problem]:
    """`regions: city`: the city row in every year; `regions: all`: the city and each of its counties."""
    if contract.regions == "any" or "year" not in frame.columns:
        return []
    tree = load_region_tree()
    children: dict[str, list[str]] = {c: [] for c in tree.codes("city")}  # once: a national tree is large
    for r in tree.regions:
        if r.parent_code in children:
            children[r.parent_code].append(r.code)
    problems = []
    for (year,), group in frame.group_by("year", maintain_order=True):
        if year is None:
            continue
        present = set(group[region].drop_nulls().unique().to_list())
        # The city (or cities) the delivery covers: whose row or counties it holds.
        for city in [c for c, kids in children.items() if c in present or present.intersection(kids)]:
            wanted = [city] + (children[city] if contract.regions == "all" else [])
            missing = [c for c in wanted if c not in present]
            if city in missing:
                problems.append(Problem(display, f"no row for the city {tree.name(city)} ({city}) in {year}: "
                                        "the city total is required (contract: regions: "
                                        f"{contract.regions})", sheet))
                missing.remove(city)
            if missing and present & set(wanted):
                names = ", ".join(f"{tree.name(c)} ({c})" for c in missing)
                problems.append(Problem(display, f"no row for {names} in {year}: every county is required "
                                        "(contract: regions: all)", sheet))
    return problems


def _counties_vs_city(contract: Contract, frame: pl.DataFrame, table: Table, region: str, display: str,
                      sheet: str) -> list[Problem]:
    """For a quantity that must add up, the counties' sum against the city's row: a gap beyond the
    column's stated tolerance is an error; a smaller one is loaded (and stays visible in the marts).
    One join of the counties' sums to the city rows (a national tree has hundreds of cities)."""
    columns = [c for c in [*contract.columns, *table.wide] if c.adds_up_within_pct is not None]
    if not columns or "year" not in frame.columns:
        return []
    tree = load_region_tree()
    cities = tree.codes("city")
    city_set = set(cities)
    parent = {r.code: r.parent_code for r in tree.regions if r.parent_code in city_set}
    expected = pl.DataFrame({region: cities, "_order": range(len(cities))}, schema={region: pl.String, "_order": pl.Int64})
    expected = expected.join(pl.DataFrame({region: list(parent.values())}, schema={region: pl.String})
                             .group_by(region).len("_children"), on=region, how="left")
    groups = [k for k in _keys(contract, frame) if k != region]
    names = [c.name for c in columns]
    rows = frame.with_columns(pl.int_range(pl.len()).min().over(groups).alias("_group") if groups else pl.lit(0).alias("_group"))
    city_rows = (rows.join(expected, on=region, how="inner")
                 .filter(pl.len().over(*groups, region) == 1)
                 .select(*groups, region, "_order", "_group", "_children", "_source_row", *names))
    parts = (rows.filter(pl.col(region).is_in(list(parent)))
             .with_columns(pl.col(region).replace_strict(parent, return_dtype=pl.String).alias("_city"))
             .group_by(*groups, "_city")
             .agg(*[pl.col(n).sum().alias(f"_sum_{n}") for n in names], *[pl.col(n).count().alias(f"_n_{n}") for n in names],
                  *[pl.col(n).drop_nulls().alias(f"_values_{n}") for n in names]))
    joined = city_rows.join(parts, left_on=[*groups, region], right_on=[*groups, "_city"], how="left", nulls_equal=True)
    problems = []
    for spec in columns:
        name, pct = spec.name, spec.adds_up_within_pct
        total, summed = pl.col(name), pl.col(f"_sum_{name}").fill_null(0.0)
        found = joined.filter(total.is_not_null() & (pl.col(f"_n_{name}").fill_null(0) == pl.col("_children").fill_null(0))
                              & ((summed - total).abs() > total.abs() * pct / 100 + 1e-9))
        problems += [(r["_order"], r["_group"], names.index(name), r) for r in found.to_dicts()]
    out = []
    for _, _, i, r in sorted(problems, key=lambda p: p[:3]):
        # Summed again as one series, in row order, so the figure shown is the one a reader gets.
        spec, total = columns[i], r[columns[i].name]
        value = float(pl.Series(r[f"_values_{spec.name}"] or [], dtype=pl.Float64).sum())
        gap = value - total
        share = f"{100 * gap / total:+.1f} %" if total else "the city is 0"
        out.append(Problem(display, f"the counties add up to {value:g}, the city row says {total:g} ({share}); "
                           f"the contract allows {spec.adds_up_within_pct:g} %", sheet, int(r["_source_row"]),
                           table.where.get(spec.name)))
    return out


def _unbroken_years(frame: pl.DataFrame, region: str | None, table: Table, display: str, sheet: str) -> list[Problem]:
    """A several-year file holds an unbroken run of years (per region): a gap is a lost year."""
    if "year" not in frame.columns:
        return []
    groups = frame.group_by(region, maintain_order=True) if region else [((None,), frame)]
    problems = []
    for (code,), group in groups:
        years = sorted(group["year"].drop_nulls().unique().to_list())
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in years] if years else []
        if gaps:
            label = f" for {load_region_tree().name(code)}" if code in load_region_tree().codes() else ""
            problems.append(Problem(display, f"years {years[0]}-{years[-1]}{label} miss "
                                    f"{', '.join(map(str, gaps))}: a several-year file holds every year "
                                    "of its span", sheet, None, table.where.get("year")))
    return problems
