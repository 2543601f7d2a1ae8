"""What `bayannur run` shows while it runs: one line per phase, the full log in a file.

Dagster's console logger prints every event (about 1,300 lines for a full run). Instead the run
gets two loggers: `file`, which writes every record at DEBUG to warehouse/logs/run-<id>.log, and
`progress`, which watches the same records and prints a line when a phase ends:

    deliveries read   the ingestion step (asset keys under raw/)
    models built      dbt's step (models and seeds materialised, its tests)
    published         everything after the marts (exports, docs, report, publishing)

The asset checks of every phase are counted as they arrive. The run executes in process, one
step at a time, so a phase ends when an asset step of another phase starts (or the run ends);
steps that only run checks (the delivery calendar's) run between them and move no phase.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from dagster import Field, LoggerDefinition, logger

DELIVERIES, MODELS, PUBLISHED = "deliveries read", "models built", "published"
DBT_STEP = "dbt_models"  # the @dbt_assets function's name in orchestration/assets/transforms.py
INGEST_STEP = "ingest_deliveries"  # the ingestion multi-asset's name in orchestration/assets/ingestion.py
LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


def log_path(log_dir: Path, run_id: str) -> Path:
    return log_dir / f"run-{run_id}.log"


def phase_of(step_key: str) -> str:
    if step_key == DBT_STEP:
        return MODELS
    if step_key == INGEST_STEP:
        return DELIVERIES
    return PUBLISHED


class PhaseProgress(logging.Handler):
    """Counts assets, failed steps and checks per phase from Dagster's log records; prints phase lines."""

    def __init__(self, out: TextIO | None = None, check_steps: frozenset[str] = frozenset()):
        super().__init__(level=logging.DEBUG)
        self.check_steps = check_steps  # steps that only run checks (timeliness) move no phase
        self.out = out or sys.stdout  # the terminal, taken before output_to() redirects sys.stdout
        self.started = time.perf_counter()
        self.phase: str | None = None
        self.failed: Counter = Counter()
        self.assets: dict[str, set] = {DELIVERIES: set(), MODELS: set(), PUBLISHED: set()}
        self.checks = Counter()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            return
        kind, step = event.event_type_value, event.step_key
        if kind == "STEP_START" and step and step not in self.check_steps:
            self._enter(phase_of(step))
        elif kind == "STEP_FAILURE" and step:
            self.failed[phase_of(step)] += 1
        elif kind == "ASSET_MATERIALIZATION" and step:
            self.assets[phase_of(step)].add(event.asset_key)
        elif kind == "ASSET_CHECK_EVALUATION":
            check = event.event_specific_data
            self.checks["passed" if check.passed else "warned" if check.severity.value == "WARN" else "failed"] += 1
        elif kind in {"RUN_SUCCESS", "RUN_FAILURE"}:
            self._enter(None)

    def finish(self) -> None:
        """Print the line of the phase still open (the run's last events may not reach the loggers)."""
        self._enter(None)

    def _enter(self, phase: str | None) -> None:
        if phase == self.phase:
            return
        if self.phase is not None:
            self._print(self.describe(self.phase))
        self.phase = phase

    def describe(self, phase: str) -> str:
        failed = f", {self.failed[phase]} FAILED" if self.failed[phase] else ""
        n = len(self.assets[phase])
        what = {DELIVERIES: f"{n} raw tables loaded", MODELS: f"{n} models and seeds built",
                PUBLISHED: f"{n} assets written (exports, docs, report ...)"}[phase]
        c = self.checks
        checks = f"checks so far: {c['passed']} passed, {c['failed']} failed, {c['warned']} warnings"
        elapsed = time.perf_counter() - self.started
        return f"  [{int(elapsed) // 60:2d}:{int(elapsed) % 60:02d}] {phase:<16} {what}{failed}; {checks}"

    def _print(self, line: str) -> None:
        self.lines.append(line)
        print(line, file=self.out, flush=True)


def _file_logger(init_context) -> logging.Logger:
    path = Path(init_context.logger_config["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S %z"))
    log = logging.Logger("dagster", level=logging.DEBUG)
    log.addHandler(handler)
    return log


def logger_defs(progress: PhaseProgress) -> dict[str, LoggerDefinition]:
    """The run's loggers: the full log to a file (config: path) and the phase lines."""

    @logger(description="every record to the run's progress handler")
    def progress_logger(_init_context) -> logging.Logger:
        log = logging.Logger("dagster.progress", level=logging.DEBUG)
        log.addHandler(progress)
        return log

    file_logger = logger({"path": Field(str)}, description="every record, DEBUG and up, to a file")(_file_logger)
    return {"file": file_logger, "progress": progress_logger}


@contextlib.contextmanager
def output_to(path: Path) -> Iterator[None]:
    """Everything printed during the run (dbt's event lines, which dagster-dbt writes to
    sys.stdout, library warnings) goes to the run's log file, not the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", buffering=1) as log, \
            contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        yield


def run_config(path: Path) -> dict:
    return {"loggers": {"file": {"config": {"path": str(path)}}, "progress": {}}}
