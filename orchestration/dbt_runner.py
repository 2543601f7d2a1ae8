"""`dbt build` in the step's own process (dbt's `dbtRunner`), its results turned into Dagster events
exactly as dagster-dbt turns a dbt subprocess's JSON log lines into them.

dagster-dbt's `DbtCliResource.cli` starts a dbt process and reads its JSON log. That process
imports dbt again (about 2 s; the step's process has most of it imported already through
dagster-dbt) and starts its own interpreter. Here dbt runs in this process with a callback on
its event stream:
- every event at info or above is written to stdout as its message, the line dagster-dbt writes
  for each JSON log line (so the run's log reads the same: "1 of 66 START sql table model ...");
- every node result (LogModelResult, LogSeedResult, LogSnapshotResult, LogTestResult) is kept as
  the dict its JSON log line would be (`msg_to_dict`, what dbt's JSON logger serialises), and
  given to dagster-dbt's own `DbtCoreCliEventMessage.to_default_asset_events`: the same
  materialisations, asset-check results (severity, blocking) and observations;
- the selection (--select, --indirect-selection) comes from dagster-dbt's own
  `get_updated_cli_invocation_params_for_context`, as `cli` computes it;
- the step fails after its events are passed on when dbt fails (an error node, a failing test
  of severity error, an error event), as `cli` does.
dbt-duckdb keeps its database open for the process; it is closed after the build, so that the
metadata reader, the publish step and a later dbt invocation (the docs) open the file afresh.
An interrupt of the step (Dagster's, in a run worker) cancels the running queries first.
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The node results dagster-dbt turns into events (DbtCoreCliEventMessage.is_result_event).
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
SHOWN_LEVELS = frozenset({"info", "warn", "error"})  # dbt's console at its default level, info


@dataclass
class Collector:
    """dbt's event callback: shows each message as dagster-dbt would, keeps the node results.
    Called from dbt's worker threads; list.append is atomic, stdout writes are serialised."""

    out: Any = None
    results: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, msg) -> None:
        info = msg.info
        if info.level not in SHOWN_LEVELS:  # most events are debug (each query): cheap to skip
            return
        if info.level == "error":
            self.errors.append(info.msg)
        if info.name in RESULT_EVENTS:
            from dbt_common.events.functions import msg_to_dict

            self.results.append(msg_to_dict(msg))
        with self.lock:
            out = self.out or sys.stdout  # sys.stdout at the time: a run redirects it to its log
            out.write(info.msg + "\n")
            out.flush()


def dbt_args(command: Sequence[str], *, project_dir: Path, profiles_dir: Path, target_path: Path,
             selection_args: Sequence[str], indirect_selection: str | None,
             profile: str | None = None, target: str | None = None) -> list[str]:
    """dbtRunner's arguments for what `cli` passes as its subprocess's arguments and environment
    (DBT_PROJECT_DIR, DBT_PROFILES_DIR, DBT_TARGET_PATH, DBT_LOG_PATH, DBT_INDIRECT_SELECTION)."""
    return [
        *command,
        # dbt's own console off: the callback writes each message (the lines dagster-dbt writes).
        # dbt.log keeps the level `command` gives it (--log-level-file).
        "--log-level", "none",
        "--no-send-anonymous-usage-stats",
        "--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir),
        "--target-path", str(target_path), "--log-path", str(target_path),
        *(["--profile", profile] if profile else []), *(["--target", target] if target else []),
        *(["--indirect-selection", indirect_selection] if indirect_selection else []),
        *selection_args,
    ]


def close_duckdb() -> None:
    """Close dbt-duckdb's database, which it keeps open for the process (keep_open), as at exit."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:  # noqa: SLF001 - the manager's own lock
        env = DuckDBConnectionManager._ENV  # noqa: SLF001
        if env is not None and hasattr(env, "close"):
            env.close()
        DuckDBConnectionManager.close_all_connections()


def interrupt_duckdb() -> None:
    """Cancel the queries dbt's worker threads are running (the step was interrupted)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    conn = getattr(DuckDBConnectionManager._ENV, "conn", None)  # noqa: SLF001
    if conn is not None:
        conn.interrupt()


def invoke(args: list[str], collector: Collector):
    """dbtRunner.invoke with the project's profile hash (orchestration/dbt_cli.py); the database
    closed afterwards. Re-raises an interrupt (Ctrl-C, Dagster's termination) after cancelling."""
    from dagster._core.errors import DagsterExecutionInterruptedError
    from dbt.cli.main import dbtRunner

    from orchestration.dbt_cli import keep_parse_across_folders

    keep_parse_across_folders()  # the saved parse made by bayannur-dbt stays valid here
    try:
        result = dbtRunner(callbacks=[collector]).invoke(args)
    except BaseException:  # an interrupt outside dbtRunner's own handling
        interrupt_duckdb()
        close_duckdb()
        raise
    interrupted = isinstance(result.exception, (KeyboardInterrupt, DagsterExecutionInterruptedError))
    if interrupted:  # dbtRunner returns it; dbt's worker threads may still be running a query
        interrupt_duckdb()
    close_duckdb()
    if interrupted:
        raise result.exception
    return result


def _absolute(path: Path, project_dir: Path) -> Path:
    return path if path.is_absolute() else project_dir / path


class Build:
    """One dbt invocation in process, for a @dbt_assets step: `stream()` runs it and gives
    dagster-dbt's events; `manifest` and `target_path` as DbtCliInvocation has them."""

    def __init__(self, context, dbt, command: Sequence[str], target_path: Path | None = None):
        from dagster_dbt.asset_utils import (
            extract_runtime_selection_from_args,
            get_updated_cli_invocation_params_for_context,
        )
        from dagster_dbt.core.dbt_cli_invocation import _get_dbt_target_path
        from dagster_dbt.dagster_dbt_translator import DagsterDbtTranslator

        self.context = context
        self.command, selects, excludes = extract_runtime_selection_from_args(command)
        self.params = get_updated_cli_invocation_params_for_context(
            context=context, manifest={}, dagster_dbt_translator=DagsterDbtTranslator(),
            runtime_selects=selects, runtime_excludes=excludes)
        self.manifest: Mapping[str, Any] = self.params.manifest
        project_dir = Path(self.params.dbt_project.project_dir if self.params.dbt_project else dbt.project_dir)
        if target_path is None:  # a folder per invocation, as `cli` makes it, with the saved parse `cli` copies
            target_path = _absolute(dbt._get_unique_target_path(context=context), project_dir)  # noqa: SLF001
            saved = _absolute(_get_dbt_target_path(), project_dir) / "partial_parse.msgpack"
            if saved.exists():
                target_path.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(saved, target_path / saved.name)
        self.target_path = _absolute(target_path, project_dir)
        self.args = dbt_args(self.command, project_dir=project_dir,
                             profiles_dir=Path(dbt.profiles_dir or dbt.project_dir), target_path=self.target_path,
                             selection_args=self.params.selection_args,
                             indirect_selection=self.params.indirect_selection,  # DBT_INDIRECT_SELECTION included
                             profile=dbt.profile, target=dbt.target)

    def stream(self) -> Iterator[Any]:
        from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

        collector = Collector()
        self.context.log.info(f"Running dbt in process: `dbt {' '.join(self.args)}`.")
        result = invoke(self.args, collector)
        for raw_event in collector.results:
            event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
            yield from event.to_default_asset_events(
                manifest=self.manifest, dagster_dbt_translator=self.params.dagster_dbt_translator,
                context=self.context, target_path=self.target_path, project=self.params.dbt_project)
        if not result.success or collector.errors:
            from dagster_dbt.errors import DagsterDbtCliRuntimeError

            why = f": {result.exception}" if result.exception else ""
            errors = "\n\n".join(collector.errors)
            raise DagsterDbtCliRuntimeError(
                description=f"dbt {' '.join(self.command)} failed{why}; dbt's log: {self.target_path / 'dbt.log'}"
                            + (f"\n\nErrors from dbt:\n{errors}" if errors else ""))
