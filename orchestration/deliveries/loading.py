"""What one ingestion step reads: the deliveries of a contract for some years, each file checked
whole (under every contract that reads it), with its vintage, and the expectation suite run on
the result. Raises DeliveryError with every problem found; writes nothing.

In two phases, so that a step reads every table while great-expectations is still being
imported (validation.preload): read() parses the files, check() runs the suites and the rest
(check_aside: in a thread, while the caller reads the next table and a worker runs the suites)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from orchestration import settings
from orchestration.deliveries.contract import Contract, contracts_reading, load_contracts
from orchestration.deliveries.inventory import delivery_problems, refusal
from orchestration.deliveries.problems import DeliveryError, Problem
from orchestration.deliveries.provenance import read_provenance
from orchestration.deliveries.reader import display_name, read_delivery
from orchestration.warehouse import VINTAGE


@dataclass
class Reading:
    """A contract's deliveries for some years as read, before any suite has run on them."""

    contract: Contract
    years: list[str]
    raw_dir: Path
    problems: list[Problem]  # found before any file was read (delivery_problems)
    # each file: path, year in its name, display name, and its frame or why it could not be read
    files: list[tuple[Path, str | None, str, pl.DataFrame | list[Problem]]]
    others: list[Contract]  # the other contracts that read files of the same source
    # (path, other contract's table) -> that contract's frame of the file, or why it could not read it
    shared: dict[tuple[Path, str], pl.DataFrame | list[Problem]]


def _readers(reading: Reading, path: Path) -> list[Contract]:
    return [o for o in contracts_reading(path.name, reading.contract.source, reading.others)
            if o.table != reading.contract.table]


def read(contract: Contract, years: list[str], log, raw_dir: Path | None = None,
         contracts: list[Contract] | None = None) -> Reading:
    """Parse the deliveries for `years` (and, for a file another contract reads too, parse it as
    that contract would); run no suite."""
    raw_dir = raw_dir or settings.RAW_DIR
    wanted = {int(y) for y in years}
    # `contracts`: every contract, read once by the caller that ingests several (0.1 s a read)
    others = [c for c in (contracts if contracts is not None else load_contracts())
              if c.source == contract.source and c.table != contract.table]
    reading = Reading(contract, years, raw_dir, delivery_problems(contract, raw_dir), [], others, {})
    for path, year in contract.deliveries(raw_dir):
        if refusal(path, raw_dir) is not None or (year is not None and year not in settings.YEARS):
            continue  # reported by delivery_problems
        if year is not None and int(year) not in wanted:
            continue
        display = display_name(path, raw_dir)
        log.info(f"{contract.table}: reading {display}")
        try:
            reading.files.append((path, year, display, read_delivery(contract, path, year, raw_dir)))
        except DeliveryError as exc:
            reading.files.append((path, year, display, exc.problems))
            continue
        for other in _readers(reading, path):
            try:
                reading.shared[path, other.table] = read_delivery(other, path, year, raw_dir)
            except DeliveryError as exc:
                reading.shared[path, other.table] = exc.problems
    return reading


def _other_readers(reading: Reading) -> dict[Path, list[Problem]]:
    """A workbook read by two contracts is loaded whole or not at all: what the others find wrong,
    by file. Each other contract's suite runs once on all the files it shares with this one; only
    when that finds problems does it run file by file, so that each file gets its own verdict."""
    from orchestration.validation import validate, validates_subsets

    found = {key: value for key, value in reading.shared.items() if not isinstance(value, pl.DataFrame)}
    for other in {o.table: o for path, _, _, _ in reading.files for o in _readers(reading, path)}.values():
        frames = {path: frame for (path, table), frame in reading.shared.items()
                  if table == other.table and isinstance(frame, pl.DataFrame)}
        if len(frames) > 1 and validates_subsets(other.suite_path) and _passes(list(frames.values()), other):
            continue  # so every file passes on its own (validates_subsets)
        for path, frame in frames.items():
            found[path, other.table] = validate(frame, other.suite_path).problems
    return {path: [Problem(p.file, f"rejected as raw.{other.table} (a file is loaded whole or not at all): "
                                   f"{p.message}", p.sheet, p.row, p.column)
                   for other in _readers(reading, path) for p in found.get((path, other.table), [])]
            for path, _, _, _ in reading.files}


def _passes(frames: list[pl.DataFrame], contract: Contract) -> bool:
    from orchestration.validation import validate

    try:
        together = pl.concat(frames)
    except pl.exceptions.PolarsError:  # files typed differently: validated one by one
        return False
    return validate(together, contract.suite_path).success


def ingest(contract: Contract, years: list[str], log, raw_dir: Path | None = None,
           contracts: list[Contract] | None = None):
    """Read and validate the deliveries for `years` -> (frame, years without rows, suite result)."""
    return check(read(contract, years, log, raw_dir, contracts), log)


def check(reading: Reading, log):
    """Validate what read() found -> (frame, years without rows, suite result).

    A one-year file is read when its year is selected; a multi-year file is read whole and only
    the selected years' rows are kept. Every row gets `_vintage` (its delivery's receipt date):
    a revision (<name>_revN) is kept beside the delivery it revises, not instead of it.
    """
    from orchestration.validation import SuiteResult, validate

    contract, years, raw_dir = reading.contract, reading.years, reading.raw_dir
    wanted = {int(y) for y in years}
    frames = []
    problems = list(reading.problems)
    originals: dict[str, date | None] = {}
    revisions: list[tuple[Path, date | None]] = []
    siblings = _other_readers(reading)
    for path, year, display, frame in reading.files:
        if not isinstance(frame, pl.DataFrame):
            problems += frame
            continue
        if siblings[path]:
            problems += siblings[path]
            continue
        provenance = read_provenance(path, display)[0]
        vintage = provenance.vintage
        revises = provenance.spec.get("revises")
        if revises is not None and str(revises).lower() != contract.original_of(path.name).lower():
            problems.append(Problem(display, f"its provenance says it revises '{revises}' but its name makes it a "
                                             f"revision of '{contract.original_of(path.name)}'"))
            continue
        if vintage is None:
            problems.append(Problem(display, "its provenance gives neither a received nor a published date "
                                             "(YYYY-MM-DD): the delivery's vintage is unknown"))
            continue
        if contract.revision_of(path.name):
            revisions.append((path, vintage))
        else:
            originals[path.name.lower()] = vintage
        frames.append(frame.filter(pl.col("year").is_in(wanted)).with_columns(pl.lit(vintage).alias(VINTAGE)))
    for path, vintage in revisions:
        revised = originals.get(contract.original_of(path.name).lower())
        if revised is not None and vintage <= revised:
            problems.append(Problem(display_name(path, raw_dir),
                                    f"a revision received {vintage} is not later than the delivery it revises "
                                    f"({contract.original_of(path.name)}, {revised}): fix `received` in its provenance"))
    if problems:
        raise DeliveryError(problems)
    frame = pl.concat(frames) if frames else pl.DataFrame()
    loaded = set(frame["year"].unique().to_list()) if frame.height else set()
    missing = [y for y in years if int(y) not in loaded]
    if missing:
        log.info(f"{contract.table}: no rows for {', '.join(missing)} "
                 f"(deliveries are files named {contract.file_pattern} in raw/{contract.source}/)")
    suite = None
    if frame.height:
        # The originals together (a key delivered twice is an error), each revision on its own:
        # a revision repeats keys of the delivery it revises by design.
        revisions = [f for f in frame["_source_file"].unique().to_list() if contract.revision_of(Path(f).name) > 0]
        tagged = frame.with_columns(pl.col("_source_file").is_in(revisions).alias("_revision"))
        groups = [tagged.filter(~pl.col("_revision"))] + [
            g for _, g in tagged.filter(pl.col("_revision")).group_by("_source_file", maintain_order=True)]
        results = [validate(g.drop("_revision", VINTAGE), contract.suite_path) for g in groups if g.height]
        suite = SuiteResult(
            suite=results[0].suite,
            evaluated=sum(r.evaluated for r in results),
            successful=sum(r.successful for r in results),
            problems=[p for r in results for p in r.problems],
        )
        if not suite.success:
            raise DeliveryError(suite.problems)
    return frame, missing, suite


@dataclass
class Checked:
    """What check() gave for a reading, run aside (check_aside): its result or its DeliveryError,
    and what it logged, given back by replay() in the caller's thread."""

    result: tuple | None
    error: DeliveryError | None
    logged: list[str]

    def replay(self, log):
        for message in self.logged:
            log.info(message)
        if self.error is not None:
            raise self.error
        return self.result


class _Logged:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def info(self, message: str) -> None:
        self.messages.append(message)


def check_aside(reading: Reading) -> Checked:
    """check() in another thread than the caller's (which goes on reading): its log lines are kept
    for replay(), since a Dagster step logs from its own thread."""
    logged = _Logged()
    try:
        return Checked(check(reading, logged), None, logged.messages)
    except DeliveryError as exc:
        return Checked(None, exc, logged.messages)


def rerun_years(contract: Contract, error: DeliveryError, years: list[str]) -> str:
    """The years to rerun once the rejected files are fixed: the years in their names, else the run's."""
    named = {contract.year_of(Path(p.file).name.removesuffix(".provenance.yml")) for p in error.problems}
    named = {y for y in named if y and y in settings.YEARS} if None not in named and "" not in named else set()
    if not named:
        named = set(years)
    first, last = min(named), max(named)
    return first if first == last else f"{first}-{last}"
