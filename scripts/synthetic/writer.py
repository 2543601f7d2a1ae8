"""Rows of a synthetic load and their delivered form (title, header, units, provenance).

Values come from the sample: each synthetic county copies the rows of a sample county of the
nearest year, with its amounts scaled by a factor of its own (shares, indices, rates and counts
kept), so parts still add up to totals and cumulative series still grow. City rows are the sums
(means for shares and indices) of their counties, where the sample delivers city rows too.
"""

from __future__ import annotations

import hashlib
import math
import random
from pathlib import Path

import polars as pl
import yaml

from scripts.benchmark import compat
from scripts.synthetic import layout

GENERATOR = "scripts/synthetic (python -m scripts.synthetic)"
NOTE = "注：合成数据，由 scripts/synthetic 生成，非统计数据 (synthetic data for benchmarks, not statistics)"
_KEEP = ("pct", "index", "rate", "share", "coefficient", "year", "per_", "count")


def _spec(contract) -> dict:
    """The contract's YAML; wide (unpivot) columns get their code as `name`, like the others."""
    spec = yaml.safe_load(Path(contract.path).read_text(encoding="utf-8"))
    for wide in (spec.get("unpivot") or {}).get("columns", []):
        wide.setdefault("name", wide["code"])
    return spec


def _kind(contract, spec: dict, units_contract: str) -> str:
    """county: one row per county (and category); units: one row per unit (key energy users);
    copy: a city-level or project delivery, copied from the sample."""
    if f"{contract.source}/{contract.dataset}" == units_contract:
        return "units"
    types = {c["name"]: c.get("type", "number") for c in spec["columns"]}
    if "region" not in types.values():
        return "copy"
    wide = (spec.get("unpivot") or {}).get("name")
    rest = [k for k in spec["key"] if k != "year" and k != wide and types.get(k) not in ("region", "category")]
    return "copy" if rest else "county"


def _scaled(col: dict) -> bool:
    """An amount that grows with the county's size (not a share, index, rate or count)."""
    unit = col.get("unit") or ""
    return (col.get("type", "number") == "number" and unit not in ("%", "个", "台", "辆")
            and not any(k in col["name"] for k in _KEEP))


def _template(contract, spec: dict, raw_dir: Path) -> pl.DataFrame:
    """The sample's rows of a contract, canonical, wide again where the contract unpivots."""
    frames = [compat.read_delivery(contract, p, y, raw_dir) for p, y in compat.deliveries(contract, raw_dir)]
    if not frames:
        return pl.DataFrame()
    frame = pl.concat(frames, how="diagonal_relaxed")
    u = spec.get("unpivot")
    if u:
        index = [k for k in spec["key"] if k != u["name"]]
        frame = frame.pivot(on=u["name"], index=index, values=u["value"], aggregate_function="first")
    return frame.unique(subset=[k for k in spec["key"] if k in frame.columns], keep="last", maintain_order=True)


def _delivered(value, col: dict, units: dict) -> object:
    """A canonical value as the department delivers it: category text, delivered unit, '—' for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    kind = col.get("type", "number")
    if kind == "category":
        return next(iter(col["values"][value]))
    if kind == "number":
        if col.get("delivered_unit") and col["delivered_unit"] != col.get("unit"):
            value = value / float(units[col["unit"]][col["delivered_unit"]])
        return round(float(value), 4)
    return value


class Writer:
    def __init__(self, out: Path, tree: pl.DataFrame, seed: int):
        self.raw = out / "raw"
        self.tree, self.seed = tree, seed
        self.rng = random.Random(seed)
        self.units = yaml.safe_load((compat.settings().CONTRACTS_DIR / "units.yml").read_text(encoding="utf-8"))
        self.counties = tree.filter(pl.col("level") == "county").to_dicts()
        self.names = dict(tree.select("region_code", "name_zh").iter_rows())
        self.factor = {c["region_code"]: math.exp(self.rng.uniform(math.log(0.3), math.log(3))) for c in self.counties}

    def county_rows(self, spec: dict, template: pl.DataFrame, project_levels: dict[str, str], years: list[int],
                    bounds: dict[str, tuple], running: dict[str, str] | None = None) -> list[dict]:
        """Canonical rows: every county of the tree, every year; city rows where the sample has them.
        Each county's amounts are its sample county's times a factor of its own, kept inside the
        suite's bounds (`bounds`: column -> (min, max)); a city whose counties add up to more than a
        bound allows gets its counties scaled down together (see _fit_cities)."""
        region = next(c["name"] for c in spec["columns"] if c.get("type") == "region")
        cols = spec["columns"] + (spec.get("unpivot") or {}).get("columns", [])
        numbers = {c["name"]: c for c in cols if c.get("type", "number") == "number"}
        wide_value = (spec.get("unpivot") or {}).get("value")
        limits = {n: bounds.get(n) or bounds.get(wide_value) or (None, None) for n in numbers}
        by_year = {y: g for (y,), g in template.group_by("year")} if template.height else {}
        city_rows = any(project_levels.get(c) == "city" for c in template[region].to_list()) if template.height else False
        picked: dict[tuple[int, str], list[dict]] = {}
        for year in years:
            nearest = min(by_year, key=lambda y: (abs(y - year), -y)) if by_year else None
            group = by_year[nearest] if nearest is not None else pl.DataFrame()
            sample = group.filter(pl.col(region).replace_strict(project_levels, default="county") == "county") \
                if group.height else group
            records = {code: g.to_dicts() for (code,), g in sample.group_by(region)} if sample.height else {}
            regions = sorted(records)
            for i, county in enumerate(self.counties):
                picked[year, county["region_code"]] = records[regions[(i + self.seed) % len(regions)]] if regions else [{}]
        factor = {c["region_code"]: self._fitted(c["region_code"], [r for y in years for r in picked[y, c["region_code"]]],
                                                 numbers, limits) for c in self.counties}
        rows_by_year = {}
        for year in years:
            produced = []
            for county in self.counties:
                code = county["region_code"]
                for record in picked[year, code]:
                    row = dict(record) | {region: code, "year": year}
                    for name, col in numbers.items():
                        value = row.get(name)
                        if value is None and not record:
                            value = self.rng.uniform(1, 100)
                        if value is not None and _scaled(col):
                            value = value * factor[code]
                        row[name] = value
                    produced.append(row)
            rows_by_year[year] = produced
        for cumulative, increment in (running or {}).items():
            _running_total(rows_by_year, [k for k in spec["key"] if k != "year"], cumulative, increment)
        if not city_rows:
            return [r for y in years for r in rows_by_year[y]]
        self._fit_cities(rows_by_year, region, numbers, spec, limits)
        return [r for y in years for r in rows_by_year[y] + self._city_totals(rows_by_year[y], region, numbers, spec, y)]

    def _fitted(self, code: str, records: list[dict], numbers: dict, limits: dict) -> float:
        """The county's factor, moved into the range that keeps every amount it scales inside the
        suite's bounds (one factor for all its rows and years: parts, totals and cumulative series
        keep their order)."""
        lo, hi = 0.0, math.inf
        for record in records:
            for name, col in numbers.items():
                value, (low, high) = record.get(name), limits[name]
                if not _scaled(col) or value is None or value <= 0:
                    continue
                if low is not None:
                    lo = max(lo, low / value)
                if high is not None:
                    hi = min(hi, high / value)
        return min(max(self.factor[code], lo), hi) if lo <= hi else 1.0

    def _fit_cities(self, rows_by_year: dict, region: str, numbers: dict, spec: dict, limits: dict) -> None:
        """Where a city's total (the sum of its counties) would exceed a column's maximum, the
        city's counties are scaled down together (counts rounded), in every year alike, so the
        total fits and the counties still add up to it. The suites' maxima are sized for a city."""
        parent = dict(self.tree.select("region_code", "parent_code").iter_rows())
        summed = [n for n, c in numbers.items() if _summed(spec, n, c) and limits[n][1] is not None]
        if not summed:
            return
        scale: dict[str, float] = {}
        for rows in rows_by_year.values():
            for total in self._city_totals(rows, region, numbers, spec, 0):
                for n in summed:
                    if total.get(n) and total[n] > limits[n][1]:
                        scale[total[region]] = min(scale.get(total[region], 1.0), 0.95 * limits[n][1] / total[n])
        if not scale:
            return
        for rows in rows_by_year.values():
            for row in rows:
                s = scale.get(parent.get(row[region]))
                if s is None:
                    continue
                for n in summed:
                    value = row.get(n)
                    if value is None:
                        continue
                    scaled = round(value * s) if _counted(n, numbers[n]) else value * s
                    low = limits[n][0]
                    row[n] = max(scaled, low) if low is not None and value >= low else scaled

    def _city_totals(self, rows: list[dict], region: str, numbers: dict, spec: dict, year: int) -> list[dict]:
        parent = dict(self.tree.select("region_code", "parent_code").iter_rows())
        frame = pl.DataFrame(rows, infer_schema_length=None).with_columns(
            pl.col(region).replace_strict(parent, default=None).alias("_city"))
        keys = ["_city"] + [k for k in spec["key"] if k not in ("year", region) and k in frame.columns]
        aggs = [(pl.col(n).sum() if _summed(spec, n, c) else pl.col(n).mean()).alias(n)
                for n, c in numbers.items() if n in frame.columns]
        totals = frame.group_by(keys, maintain_order=True).agg(aggs).rename({"_city": region})
        return [r | {"year": year} for r in totals.to_dicts()]

    def unit_rows(self, spec: dict, template: pl.DataFrame, count: int, years: list[int]) -> list[dict]:
        """`count` units a year, each a sample unit's row with its own name, county and size."""
        types = {c["name"]: c.get("type", "number") for c in spec["columns"]}
        region = next(n for n, t in types.items() if t == "region")
        name_col = next(k for k in spec["key"] if types.get(k) == "text")
        records = template.to_dicts()
        bounds = {n: (template[n].min(), template[n].max()) for n, t in types.items() if t == "number"}
        rows = []
        for year in years:
            rng = random.Random(self.seed * 100_000 + year)
            for i in range(count):
                row = dict(rng.choice(records)) | {"year": year, name_col: f"合成用能单位{i + 1:06d}号",
                                                   region: self.counties[rng.randrange(len(self.counties))]["region_code"]}
                for n, (lo, hi) in bounds.items():
                    if row.get(n) is not None:
                        row[n] = min(max(row[n] * rng.uniform(0.5, 2.0), lo), hi)
                rows.append(row)
        return rows

    def table(self, spec: dict, rows: list[dict], year: int | None) -> list[list[object]]:
        """The sheet or CSV: title and unit lines, header, rows in delivered form, a blank line, the note."""
        columns, header = layout.header_cells(spec)
        body = []
        for i, row in enumerate(rows):
            line = []
            for c in columns:
                if c["kind"] == "running":
                    line.append(i + 1)
                elif c["kind"] == "region":
                    line.append(self.names.get(row.get(c["name"]), row.get(c["name"])))
                elif c["kind"] == "year":
                    line.append(str(row["year"]))
                else:
                    line.append(_delivered(row.get(c["name"]), c["spec"], self.units))
            body.append(line)
        return layout.lines_above(spec, year) + header + body + [[], [NOTE]]

    def provenance(self, path: Path, spec: dict, last_year: int) -> None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        prov = {"file": path.name, "sha256": digest, "source": spec["source"], "publisher": spec["department_zh"],
                "department_zh": spec["department_zh"], "title": f"{spec['title_zh']}（合成数据）",
                "received": f"{last_year + 1}-06-30", "status": "illustrative",
                "licence": "synthetic data for benchmarks; no rights reserved",
                "citation": f"none: synthetic, generated by {GENERATOR} with seed {self.seed}",
                "synthetic": True, "seed": self.seed,
                "illustrative": {"regions": "all", "reason": "synthetic data: no publication gives these values"}}
        path.with_name(path.name + ".provenance.yml").write_text(
            yaml.safe_dump(prov, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _running_total(rows_by_year: dict[int, list[dict]], keys: list[str], cumulative: str, increment: str) -> None:
    """A cumulative column made to grow by its increment (as the dbt test agriculture__running_total
    wants), for its counties and so for the cities that sum them: a series with a value in some
    year gets one in every year (a county left out in one year would make its city's total jump).
    Gaps after a value are filled forward (the total plus the year's increment); then, from the
    last year back, each year is the next one less the next one's increment (never below 0; an
    increment is cut to the total it adds to, an empty one is 0). A series without any total
    gets no increment either."""
    years = sorted(rows_by_year)
    series: dict[tuple, list[dict]] = {}
    for year in years:
        for row in rows_by_year[year]:
            series.setdefault(tuple(row.get(k) for k in keys), []).append(row)
    for rows in series.values():
        if all(r.get(cumulative) is None for r in rows):
            for r in rows:
                r[increment] = None
            continue
        for earlier, later in zip(rows, rows[1:]):
            if later.get(cumulative) is None and earlier.get(cumulative) is not None:
                later[cumulative] = earlier[cumulative] + (later.get(increment) or 0.0)
        for earlier, later in zip(reversed(rows[:-1]), reversed(rows)):
            step = min(later.get(increment) or 0.0, later[cumulative])
            later[increment] = step
            earlier[cumulative] = later[cumulative] - step
            if earlier.get(increment) is not None:
                earlier[increment] = min(earlier[increment], earlier[cumulative])


def _counted(name: str, col: dict) -> bool:
    return "count" in name or col.get("unit") in ("个", "台", "辆")


def _summed(spec: dict, name: str, col: dict) -> bool:
    """A city's value is its counties' sum (amounts and counts), else their mean (shares, indices)."""
    return _adds_up(spec, name) or _scaled(col) or _counted(name, col)


def _adds_up(spec: dict, name: str) -> bool:
    """The contract says this column's counties add up to the city (plausibility adds_up_within_pct)."""
    rules = spec.get("plausibility") or {}
    return "adds_up_within_pct" in {**(rules.get("*") or {}), **(rules.get(name) or {})}
