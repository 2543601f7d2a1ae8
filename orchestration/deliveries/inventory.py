"""Nothing under raw/ is silent: every entry is a delivery of some contract (checked), its
provenance file, documentation, or listed as unknown; misnamed, linked or orphaned deliveries
are errors of the contract they resemble."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration import settings
from orchestration.deliveries.contract import Contract, load_contracts
from orchestration.deliveries.problems import Problem
from orchestration.deliveries.provenance import SUFFIX, is_provenance

DOCUMENTATION = (".md", ".txt")  # raw/<source>/README.md describes the source's deliveries


def refusal(path: Path, raw_dir: Path | None = None) -> str | None:
    """Why an entry named like a delivery cannot be read as one, or None."""
    raw_dir = (raw_dir or settings.RAW_DIR).resolve()
    if path.is_symlink() or path.parent.is_symlink():
        target = os.readlink(path if path.is_symlink() else path.parent)
        return f"is a symbolic link (to {target}): deliveries are plain files under raw/, copy the file in"
    if not path.resolve().is_relative_to(raw_dir):
        return "lies outside raw/"
    if path.is_dir():
        return "is named like a delivery but is a directory"
    if not path.is_file():
        return "is named like a delivery but is not a regular file"
    return None


def delivery_problems(contract: Contract, raw_dir: Path | None = None) -> list[Problem]:
    """Errors of the contract's deliveries found from their names alone."""
    raw_dir = raw_dir or settings.RAW_DIR
    folder = raw_dir / contract.source
    if not folder.is_dir():
        return []
    problems = []
    names = {p.name.lower() for p in folder.iterdir()}
    first, last = settings.YEARS[0], settings.YEARS[-1]
    seen: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if contract.year_of(path.name) is not None:
            if path.name.lower() in seen:
                problems.append(Problem(f"{contract.source}/{path.name}", f"the same name as {seen[path.name.lower()]} "
                                        "apart from letter case: two deliveries of one file; keep one"))
            seen.setdefault(path.name.lower(), path.name)
    for path in sorted(folder.iterdir()):
        display = f"{contract.source}/{path.name}"
        year = contract.year_of(path.name)
        if year is None:
            if contract.loose_match(path.name):
                problems.append(Problem(display, f"is named like {contract.file_pattern} but its year is not four "
                                        "digits: rename it (e.g. 2021, not 21)"))
            continue
        if (why := refusal(path, raw_dir)) is not None:
            problems.append(Problem(display, why))
            continue
        if year and year not in settings.YEARS:
            problems.append(Problem(display, f"year {year} is outside the configured years {first}-{last}: "
                                    "extend the years (settings) or remove the file"))
        if contract.revision_of(path.name) and contract.original_of(path.name).lower() not in names:
            problems.append(Problem(display, f"is a revision of {contract.original_of(path.name)}, which is not "
                                    "in raw/: a revision needs its original"))
    return problems


def unknown_files(raw_dir: Path | None = None, contracts: list[Contract] | None = None) -> list[tuple[str, str]]:
    """(path under raw/, why) for every entry that no contract reads and that is not a provenance
    file of a delivery nor documentation."""
    raw_dir = raw_dir or settings.RAW_DIR
    if not raw_dir.is_dir():
        return []
    contracts = load_contracts() if contracts is None else contracts
    by_source: dict[str, list[Contract]] = {}
    for c in contracts:
        by_source.setdefault(c.source, []).append(c)
    unknown = []
    for top, dirs, files in os.walk(raw_dir, followlinks=False):
        here = Path(top)
        depth = len(here.relative_to(raw_dir).parts)
        entries = [(d, True) for d in sorted(dirs)] + [(f, False) for f in sorted(files)]
        for name, is_dir in entries:
            path = here / name
            rel = path.relative_to(raw_dir).as_posix()
            source = here.name if depth == 1 else None
            readers = by_source.get(source, []) if source else []
            if depth == 0 and is_dir and not path.is_symlink():
                if name not in by_source:
                    unknown.append((rel + "/", "a folder no contract reads (contract sources: "
                                    f"{', '.join(sorted(by_source))})"))
                    dirs.remove(name)
                continue
            if is_dir and not path.is_symlink() and any(c.year_of(name) is not None for c in readers):
                dirs.remove(name)
                continue  # a directory named like a delivery: an error of that contract
            if is_dir and not path.is_symlink():
                unknown.append((rel + "/", "a sub-folder: deliveries lie directly in raw/<source>/"))
                dirs.remove(name)
                continue
            if depth == 0:
                unknown.append((rel, "a file directly in raw/: deliveries lie in raw/<source>/"))
            elif depth > 1:
                continue  # inside an unknown sub-folder, listed once
            elif any(c.year_of(name) is not None or c.loose_match(name) for c in readers):
                continue
            elif is_provenance(name):
                delivery = name[: -len(SUFFIX)]
                if not any(c.year_of(delivery) is not None for c in readers):
                    unknown.append((rel, "a provenance file of no delivery"))
            elif name.lower().endswith(DOCUMENTATION) and not path.is_symlink():
                continue
            else:
                patterns = ", ".join(c.file_pattern for c in readers) or "none"
                unknown.append((rel, f"matches no contract of '{source}' (its file patterns: {patterns})"))
    return unknown
