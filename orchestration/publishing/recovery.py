"""Reclaim what killed runs left behind, before a new run starts.

A run killed with SIGKILL (or by the OOM killer, or a crash) stays STARTED in Dagster's run
storage and keeps its claim on the "duckdb" pool slot, so every later run waits for ever. Runs
launched by `bayannur run` carry their process id and its start time as tags; a run whose
process is gone is marked failed and its slots are freed here. Runs launched by the Dagster
daemon are covered by run monitoring (run_monitoring in dagster.yaml). Working files of runs
that are no longer going are removed.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

from orchestration.publishing.working import discard, published_path, run_id_of, work_dir

TAG_PID = "bayannur/pid"
TAG_HOST = "bayannur/host"
TAG_STARTED = "bayannur/process_start"  # /proc start time: a reused pid is not the same process


def _process_start(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, starttime (clock ticks since boot)


def process_tags(pid: int | None = None) -> dict[str, str]:
    pid = pid or os.getpid()
    return {TAG_PID: str(pid), TAG_HOST: socket.gethostname(), TAG_STARTED: _process_start(pid) or ""}


def process_alive(tags) -> bool | None:
    """True/False for a run started on this host by `bayannur run`; None when we cannot tell."""
    if TAG_PID not in tags or tags.get(TAG_HOST) != socket.gethostname():
        return None
    pid = int(tags[TAG_PID])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    started = tags.get(TAG_STARTED)
    return not started or _process_start(pid) == started


def reclaim(instance, published: Path | None = None) -> list[str]:
    """Mark dead runs failed, free their pool slots, remove stale working files; one line each."""
    from dagster import DagsterRunStatus, RunsFilter

    lines = []
    going = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED,
             DagsterRunStatus.QUEUED, DagsterRunStatus.CANCELING]
    active = set()
    for run in instance.get_runs(filters=RunsFilter(statuses=going)):
        if process_alive(run.tags) is False:
            instance.report_run_failed(run, message=f"process {run.tags[TAG_PID]} is gone (killed or crashed); "
                                                    "marked failed by the next `bayannur run`")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            lines.append(f"run {run.run_id[:8]} (process {run.tags[TAG_PID]} gone) marked failed, pool slots freed")
        else:
            active.add(run.run_id)
    storage = instance.event_log_storage
    for run_id in sorted(storage.get_concurrency_run_ids() - active):
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
            lines.append(f"pool slots of finished run {run_id[:8]} freed")
    folder = work_dir(published)
    if folder.is_dir():
        stale: dict[str, list[Path]] = {}
        for path in sorted(folder.iterdir()):
            if path.name == ".lock" or any(run_id in path.name for run_id in active):
                continue
            stale.setdefault((run_id_of(path, published) or path.name)[:8], []).append(path)
        for name, paths in stale.items():
            for p in paths:
                shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
            lines.append(f"stale working file(s) of run {name} removed: {', '.join(p.name for p in paths)}")
    return lines


def abandon(instance, run_id: str, reason: str, published: Path | None = None) -> None:
    """The run is stopping (signal): mark it failed, free its slots, remove its working file."""
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_failed(run, message=reason)
    instance.event_log_storage.free_concurrency_slots_for_run(run_id)
    from orchestration.publishing.working import working_path

    discard(working_path(run_id, published or published_path()))
