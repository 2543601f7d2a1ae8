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
    def __init__(self, out: Path, tree: pl.DataFrame, years: list[int], seed: int):
        self.raw = out / "raw"
        self.tree, self.years, self.seed = tree, years, seed
        self.rng = random.Random(seed)
        self.units = yaml.safe_load((compat.settings().CONTRACTS_DIR / "units.yml").read_text(encoding="utf-8"))
        self.counties = tree.filter(pl.col("level") == "county").to_dicts()
        self.names = dict(tree.select("region_code", "name_zh").iter_rows())
        self.factor = {c["region_code"]: math.exp(self.rng.uniform(math.log(0.3), math.log(3))) for c in self.counties}

    def county_rows(self, spec: dict, template: pl.DataFrame, project_levels: dict[str, str]) -> list[dict]:
        """Canonical rows: every county of the tree, every year; city rows where the sample has them."""
        region = next(c["name"] for c in spec["columns"] if c.get("type") == "region")
        cols = spec["columns"] + (spec.get("unpivot") or {}).get("columns", [])
        numbers = {c["name"]: c for c in cols if c.get("type", "number") == "number"}
        by_year = {y: g for (y,), g in template.group_by("year")} if template.height else {}
        city_rows = any(project_levels.get(c) == "city" for c in template[region].to_list()) if template.height else False
        rows = []
        for year in self.years:
            nearest = min(by_year, key=lambda y: (abs(y - year), -y)) if by_year else None
            group = by_year[nearest] if nearest is not None else pl.DataFrame()
            sample = group.filter(pl.col(region).replace_strict(project_levels, default="county") == "county") \
                if group.height else group
            regions = sorted(set(sample[region].to_list())) if sample.height else []
            produced = []
            for i, county in enumerate(self.counties):
                code = county["region_code"]
                picked = sample.filter(pl.col(region) == regions[(i + self.seed) % len(regions)]).to_dicts() \
                    if regions else [{}]
                for record in picked:
                    row = dict(record) | {region: code, "year": year}
                    for name, col in numbers.items():
                        value = row.get(name)
                        if value is None and not record:
                            value = self.rng.uniform(1, 100)
                        if value is not None and _scaled(col):
                            value = value * self.factor[code]
                        row[name] = value
                    produced.append(row)
            rows += produced
            if city_rows:
                rows += self._city_totals(produced, region, numbers, spec, year)
        return rows

    def _city_totals(self, rows: list[dict], region: str, numbers: dict, spec: dict, year: int) -> list[dict]:
        parent = dict(self.tree.select("region_code", "parent_code").iter_rows())
        frame = pl.DataFrame(rows, infer_schema_length=None).with_columns(
            pl.col(region).replace_strict(parent, default=None).alias("_city"))
        keys = ["_city"] + [k for k in spec["key"] if k not in ("year", region) and k in frame.columns]
        aggs = [(pl.col(n).sum() if (_adds_up(spec, n) or _scaled(c) or "count" in n or c.get("unit") in ("个", "台", "辆"))
                 else pl.col(n).mean()).alias(n) for n, c in numbers.items() if n in frame.columns]
        totals = frame.group_by(keys, maintain_order=True).agg(aggs).rename({"_city": region})
        return [r | {"year": year} for r in totals.to_dicts()]

    def unit_rows(self, spec: dict, template: pl.DataFrame, count: int) -> list[dict]:
        """`count` units a year, each a sample unit's row with its own name, county and size."""
        types = {c["name"]: c.get("type", "number") for c in spec["columns"]}
        region = next(n for n, t in types.items() if t == "region")
        name_col = next(k for k in spec["key"] if types.get(k) == "text")
        records = template.to_dicts()
        bounds = {n: (template[n].min(), template[n].max()) for n, t in types.items() if t == "number"}
        rows = []
        for year in self.years:
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


def _adds_up(spec: dict, name: str) -> bool:
    """The contract says this column's counties add up to the city (plausibility adds_up_within_pct)."""
    rules = spec.get("plausibility") or {}
    return "adds_up_within_pct" in {**(rules.get("*") or {}), **(rules.get(name) or {})}
