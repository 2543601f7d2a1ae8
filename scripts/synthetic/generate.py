"""Generate a synthetic load in the delivery layouts of the contracts.

County-level deliveries (a region column, one row per county and category) are generated for
every county-level unit of a synthetic region tree and every year; the key energy users'
delivery gets N units a year; city-level and project deliveries are copied from the sample.
Everything written is flagged synthetic: SYNTHETIC.yml, the English region names, each file's
title and note line, and each provenance file (status illustrative, synthetic: true, the seed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import yaml

from scripts.benchmark import compat
from scripts.synthetic import layout
from scripts.synthetic.tree import build_tree
from scripts.synthetic.writer import GENERATOR, Writer, _kind, _spec, _template

UNITS_CONTRACT = "energy/key_energy_users"


def _years(count: int, first: int | None, allowed: tuple[int, int], sample_years: list[int]) -> list[int]:
    """`count` years inside the range the suites allow (`allowed`, from the plans' tracked years and
    each suite's year bounds): from `first` if given, else ending at the sample's last year where
    the range leaves room, else from the range's first year; fewer if the range is shorter."""
    lo, hi = allowed
    if first is not None:
        start = max(first, lo)
    else:
        end = min(max(sample_years), hi) if sample_years else hi
        start = max(lo, end - count + 1)
    return list(range(start, min(start + count, hi + 1)))


def generate(out: Path, counties: int = 2850, years: int = 10, energy_users: int = 20000, seed: int = 1,
             first_year: int | None = None, project_tree: bool = True, units_contract: str = UNITS_CONTRACT,
             province_rows: bool = True) -> dict:
    """Write out/raw/<source>/..., out/regions/regions.csv (+ region_aliases.csv) and out/SYNTHETIC.yml."""
    out.mkdir(parents=True, exist_ok=True)
    base = compat.region_tree() if project_tree else None
    tree = build_tree(counties, seed, base, province_rows)
    (out / "regions").mkdir(exist_ok=True)
    tree.write_csv(out / "regions" / "regions.csv")
    aliases = compat.region_aliases_frame()
    (aliases if project_tree else aliases.clear()).write_csv(out / "regions" / "region_aliases.csv")
    writer = Writer(out, tree, seed)
    sample_raw = compat.settings().RAW_DIR
    project_levels = dict(compat.region_tree().select("region_code", "level").iter_rows())
    written: dict[str, list[str]] = {"generated": [], "copied": [], "skipped": []}
    groups: dict[str, list] = {}
    year_spans: dict[str, str] = {}
    for contract in compat.load_contracts():
        spec = _spec(contract)
        kind = _kind(contract, spec, units_contract)
        if kind == "copy":
            has_region_names = any(c.get("type") == "region" for c in spec["columns"])
            if has_region_names and not project_tree:  # names of the project's tree: not in this one
                written["skipped"].append(contract.table)
                continue
            for path, _ in compat.deliveries(contract, sample_raw):
                dest = out / "raw" / contract.source / path.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                for p in (path, path.with_name(path.name + ".provenance.yml")):
                    shutil.copy2(p, dest.parent / p.name)
            written["copied"].append(contract.table)
            continue
        groups.setdefault(f"{contract.source}/{spec['file_pattern']}", []).append((contract, spec, kind))
    for _, members in sorted(groups.items()):
        group_years = _write_group(writer, members, sample_raw, project_levels, energy_users, years, first_year)
        written["generated"] += [c.table for c, _, _ in members]
        for c, _, _ in members:
            year_spans[c.table] = f"{group_years[0]}-{group_years[-1]}"
    meta = {"synthetic": True, "generator": GENERATOR, "seed": seed, "county_level_units": counties,
            "embeds_project_tree": project_tree, "years_per_delivery": years, "years": year_spans, "key_energy_users_per_year": energy_users,
            "regions": {level: n for level, n in tree.group_by("level").len().iter_rows()},
            "note": "Synthetic data for benchmarks: not statistics. Region codes are GB/T 2260-shaped, names made up.",
            **written}
    (out / "SYNTHETIC.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return meta


def _write_group(writer: Writer, members: list, sample_raw: Path, project_levels: dict, energy_users: int,
                 count: int, first_year: int | None) -> list[int]:
    """The contracts sharing one file pattern (two sheets of one workbook): one file per year or one
    in all, for `count` years that every member's suite allows. Returns the years."""
    per_contract, allowed, sample_years = [], None, set()
    for contract, spec, _ in members:
        (lo, hi), bounds = compat.suite_limits(contract)
        allowed = (lo, hi) if allowed is None else (max(allowed[0], lo), min(allowed[1], hi))
        template = _template(contract, spec, sample_raw)
        sample_years |= set(template["year"].to_list()) if template.height else set()
        per_contract.append((contract, spec, template, bounds))
    years = _years(count, first_year, allowed, sorted(sample_years))
    if not years:
        raise ValueError(f"{members[0][0].table}: its suites allow no year in {allowed}")
    tables_rows = []
    for (contract, spec, template, bounds), (_, _, kind) in zip(per_contract, members):
        rows = (writer.unit_rows(spec, template, energy_users, years) if kind == "units"
                else writer.county_rows(spec, template, project_levels, years, bounds, compat.running_totals(contract)))
        tables_rows.append((contract, spec, rows))
    contract, spec, _ = tables_rows[0]
    folder = writer.raw / contract.source
    folder.mkdir(parents=True, exist_ok=True)
    one_a_year = "{year}" in spec["file_pattern"]
    for year in years if one_a_year else [None]:
        path = folder / spec["file_pattern"].format(year=year)
        tables = {}
        for c, s, rows in tables_rows:
            selected = [r for r in rows if r["year"] == year] if one_a_year else rows
            tables[s.get("sheet") or c.dataset] = writer.table(s, selected, year)
        if contract.format == "csv":
            encoding = spec.get("encoding", "auto")
            layout.write_csv(path, list(tables.values()), "utf-8-sig" if encoding == "auto" else encoding)
        else:
            layout.write_xlsx(path, tables)
        writer.provenance(path, spec, year if one_a_year else years[-1])
    return years


def write_parse_load(raw: Path, contract_name: str, rows: int, seed: int) -> Path:
    """One delivery of `rows` rows in the layout of a units-like contract (default: key energy users),
    over the project's own region tree, so its suite applies as it is. Returns its path."""
    contract = next(c for c in compat.load_contracts() if f"{c.source}/{c.dataset}" == contract_name)
    spec = _spec(contract)
    tree = compat.region_tree()
    year = int(compat.tracked_years()[-2])
    writer = Writer(raw.parent, tree, seed)
    _write_group(writer, [(contract, spec, "units")], compat.settings().RAW_DIR, {}, rows, 1, year)
    return raw / contract.source / spec["file_pattern"].format(year=year)
