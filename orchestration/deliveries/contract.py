"""A delivery contract (orchestration/contracts/<source>/<dataset>.yml): where the table sits, which
headers mean which canonical column, units, regions, and the plausibility rules of each column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from orchestration import settings
from orchestration.deliveries.regions import norm as _norm
from orchestration.yamlfiles import load_yaml

# A revised delivery keeps the name of the one it revises with _rev<N> before the extension
# (regional_gdp_2020_rev1.xlsx): raw files are never overwritten, so a revision needs a new name.
_REVISION = r"(?:_rev(?P<revision>[1-9][0-9]*))?"
# How yearbooks and exports write "no value"; a contract may list its own.
DEFAULT_MISSING = ["", "—", "－", "-", "–", "…", "...", "/", "／"]
# Which regions a delivery must hold in every year it covers (see contracts/README.md).
REGION_COMPLETENESS = ("all", "city", "any")
# Plausibility rules of a number column, inline or under `plausibility:` (contracts/README.md).
RULES = ("min", "max", "percent", "adds_up_within_pct")


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
    # Plausibility (number columns): bounds, a percent on the 0-100 scale, counties adding up.
    min: float | None = None
    max: float | None = None
    percent: bool = False
    adds_up_within_pct: float | None = None  # the counties' sum may differ from the city by this much

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
            min=c.get("min"),
            max=c.get("max"),
            percent=bool(c.get("percent", False)),
            adds_up_within_pct=c.get("adds_up_within_pct"),
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
    regions: str = "any"  # all | city | any: which regions every year must have
    unbroken_years: bool = False  # a several-year file holds every year of its span
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

    def refuses_blank(self, spec: ColumnSpec) -> bool:
        """A blank cell in this column refuses the delivery: required, region and (not number) key columns."""
        return spec.required or spec.type == "region" or (spec.name in self.key and spec.type != "number")

    def never_null(self, column: str) -> bool:
        """Every loaded row has a value in `column`: the reader refuses a blank cell of it, or fills it
        itself (the year of a file name, a fixed region)."""
        if (column == "year" and self.year_in_file_name) or (column == "region_code" and self.region):
            return True
        spec = next((c for c in self.columns if c.name == column), None)
        return spec is not None and self.refuses_blank(spec)

    @classmethod
    def load(cls, path: Path) -> Contract:
        spec = load_yaml(path)
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
        rules = spec.get("plausibility") or {}
        wide_specs = (spec.get("unpivot") or {}).get("columns", [])
        numbers = [c["name"] for c in spec["columns"] if c.get("type", "number") == "number"]
        numbers += [c["code"] for c in wide_specs]
        unknown = [n for n in rules if n != "*" and n not in numbers]
        bad_rules = sorted({k for r in rules.values() for k in r} - set(RULES))
        if unknown or bad_rules:
            raise ValueError(f"contract {where}: plausibility names {unknown or bad_rules}, not a number column "
                             f"or a rule ({', '.join(RULES)})")

        def ruled(name: str, c: dict) -> dict:
            is_number = c.get("type", "number") == "number"
            return {**(rules.get("*", {}) if is_number else {}), **c, **rules.get(name, {})}

        columns = tuple(ColumnSpec.from_spec(ruled(c["name"], c)) for c in spec["columns"])
        bad_types = [c.name for c in columns if c.type not in ("region", "year", "number", "text", "category")]
        if bad_types:
            raise ValueError(f"contract {where}: unknown column type for {bad_types}")
        has_year_col = any(c.type == "year" for c in columns)
        if ("{year}" in spec["file_pattern"]) == has_year_col:
            raise ValueError(f"contract {where}: the year comes either from {{year}} in file_pattern "
                             "or from a column of type year, exactly one of them")
        if not spec.get("region") and not any(c.type == "region" for c in columns):
            raise ValueError(f"contract {where}: a column of type region, or a fixed `region:` code")
        regions = spec.get("regions", "any")
        if regions not in REGION_COMPLETENESS:
            raise ValueError(f"contract {where}: regions '{regions}' is not one of {REGION_COMPLETENESS}")
        for c in columns:
            if (c.min is not None or c.max is not None or c.percent or c.adds_up_within_pct is not None) \
                    and c.type != "number":
                raise ValueError(f"contract {where}: plausibility rules on {c.name}, which is not a number")
        unpivot = None
        if spec.get("unpivot"):
            u = spec["unpivot"]
            unpivot = Unpivot(
                name=u["name"], value=u["value"], unit_column=u.get("unit_column"),
                columns=tuple(ColumnSpec.from_spec(ruled(c["code"], {"name": c["code"], "type": "number", **c}))
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
            regions=regions,
            unbroken_years=bool(spec.get("unbroken_years", False)),
            path=path,
        )

    def _name_match(self, file_name: str) -> re.Match | None:
        stem, dot, ext = self.file_pattern.rpartition(".")
        regex = re.escape(stem).replace(re.escape("{year}"), r"(?P<year>\d{4})") + _REVISION + re.escape(dot + ext)
        # Case-insensitive: POWER_2021.XLSX is a delivery of power_{year}.xlsx, not an unknown file.
        return re.fullmatch(regex, file_name, re.IGNORECASE)

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
        return re.sub(r"_rev[1-9][0-9]*(\.[^.]+)$", r"\1", file_name, flags=re.IGNORECASE) \
            if self.revision_of(file_name) else file_name

    def loose_match(self, file_name: str) -> bool:
        """A name like the contract's but with a year of another length (power_21.xlsx): a mistake, not
        some other file."""
        stem, dot, ext = self.file_pattern.rpartition(".")
        if "{year}" not in stem:
            return False
        regex = re.escape(stem).replace(re.escape("{year}"), r"\d+") + r"(?:_rev\d+)?" + re.escape(dot + ext)
        return re.fullmatch(regex, file_name, re.IGNORECASE) is not None

    def deliveries(self, raw_dir: Path | None = None) -> list[tuple[Path, str | None]]:
        """Entries of raw/<source>/ named like a delivery, with the year their name gives (None:
        several years). Whether each is a plain file inside raw/ is checked by inventory.refusal."""
        folder = (raw_dir or settings.RAW_DIR) / self.source
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
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
    return [_load_unchanged(p, p.read_bytes()) for p in sorted(folder.glob("*/*.yml"))]


@lru_cache(maxsize=1024)
def _load_unchanged(path: Path, content: bytes) -> Contract:
    # A contract is parsed once per process while its bytes stay the same: a run's start-up asked
    # for all 30 six times (definitions, schedules, checks, the delivery scan), 0.1-0.2 s each.
    return Contract.load(path)


def contracts_reading(file_name: str, source: str, contracts: list[Contract]) -> list[Contract]:
    """Every contract that reads a file of raw/<source>/ (a workbook may hold two tables)."""
    return [c for c in contracts if c.source == source and c.year_of(file_name) is not None]


