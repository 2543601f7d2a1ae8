"""The metadata file beside a delivery (<file>.provenance.yml): who published it, when it arrived,
how sure it is, and the checksum of the delivered bytes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from orchestration.deliveries.problems import Problem
from orchestration.deliveries.regions import norm as _norm

STATUSES = ("preliminary", "final", "illustrative")
SUFFIX = ".provenance.yml"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _as_date(value: object) -> date | None:
    """A YYYY-MM-DD date (YAML gives a date, or a string when quoted); None for anything else."""
    if isinstance(value, datetime):
        return None  # a timestamp: the vintage is a day, and the problem says so
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Provenance:
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
            if self.spec.get(key) is not None and (day := _as_date(self.spec[key])) is not None:
                return day
        return None

    @property
    def sha256(self) -> str:
        return str(self.spec["sha256"]).lower()

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
    """<file>.provenance.yml beside the delivery; the suffix matched regardless of case like the name."""
    wanted = delivery.with_name(delivery.name + SUFFIX)
    if not wanted.exists() and delivery.parent.is_dir():
        for sibling in delivery.parent.iterdir():
            if sibling.name.lower() == wanted.name.lower():
                return sibling
    return wanted


def is_provenance(name: str) -> bool:
    return name.lower().endswith(SUFFIX)


def read_provenance(delivery: Path, display: str) -> tuple[Provenance | None, list[Problem]]:
    path = provenance_path(delivery)
    where = str(Path(display).with_name(path.name))
    if not path.is_file() or path.is_symlink():
        what = "no provenance file" if not path.exists() and not path.is_symlink() else "a provenance that is not a plain file"
        return None, [Problem(display, f"{what} '{path.name}' beside the delivery")]
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [Problem(where, f"provenance is not valid UTF-8 YAML: {str(exc).splitlines()[0]}")]
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        return None, [Problem(where, "provenance is not a YAML mapping of fields (publisher:, status:, sha256: ...)")]
    problems = [
        Problem(where, f"provenance lacks '{k}'")
        for k in ("publisher", "title", "status", "licence", "sha256")
        if k not in spec
    ]
    if spec.get("status") not in (*STATUSES, None):
        problems.append(Problem(where, f"status '{spec['status']}' is not one of {', '.join(STATUSES)}"))
    if "file" in spec and str(spec["file"]).lower() != delivery.name.lower():
        problems.append(Problem(where, f"provenance is of '{spec['file']}', not of '{delivery.name}' beside it "
                                "(copied from another delivery?)"))
    if "sha256" in spec and not _SHA256.fullmatch(str(spec["sha256"])):
        problems.append(Problem(where, f"sha256 '{spec['sha256']}' is not 64 hexadecimal digits"))
    for key in ("received", "published"):
        if spec.get(key) is not None and _as_date(spec[key]) is None:
            kind = "a timestamp" if isinstance(spec[key], datetime) else "not a date"
            problems.append(Problem(where, f"{key} '{spec[key]}' is {kind}; write the day as \"YYYY-MM-DD\""))
    illustrative = spec.get("illustrative")
    if illustrative is not None and not isinstance(illustrative, dict):
        problems.append(Problem(where, "illustrative must be a mapping (regions:, rows: or except_rows:)"))
    elif illustrative:
        for key in ("rows", "except_rows"):
            rows = illustrative.get(key)
            if rows is not None and not (isinstance(rows, list) and all(isinstance(r, int) for r in rows)):
                problems.append(Problem(where, f"illustrative {key} must be a list of row numbers, not {rows!r}"))
        regions = illustrative.get("regions")
        if regions is not None and regions != "all" and not isinstance(regions, list):
            problems.append(Problem(where, f"illustrative regions must be 'all' or a list of names, not {regions!r}"))
    return (Provenance(path, spec) if not problems else None), problems
