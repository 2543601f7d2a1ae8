"""Running a job so that Ctrl-C and SIGTERM stop it at any point.

Dagster's in-process execution captures SIGINT (and SIGTERM, when it is routed to the same
handler) on the main thread and does not look at it while a step waits for a pool slot: a
waiting run ignored both. Here the job runs in a worker thread, so Dagster leaves the signals
alone, and the main thread stops the run itself.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from orchestration.publishing.publish import SWAP_LOCK
from orchestration.publishing.recovery import abandon


def execute_until_stopped(job, instance, run_id: str, tags: dict, run_config: dict, asset_selection=None):
    """Run the job in a worker thread; the main thread keeps the signals. Ctrl-C or SIGTERM at any
    point marks the run failed, frees its pool slot, stops dbt (in this process or its own),
    removes the working file and exits: the published file is only ever replaced by a rename, so
    it stays as it was (or, if the signal comes during the rename, the rename completes first)."""
    outcome: dict = {}

    def work():
        try:
            outcome["result"] = job.execute_in_process(instance=instance, run_id=run_id, tags=tags,
                                                       raise_on_error=False, run_config=run_config,
                                                       asset_selection=asset_selection)
        except BaseException as exc:  # reported by the main thread
            outcome["error"] = exc

    # Dagster redirects fds 1 and 2 into its compute logs while a step runs: keep the terminal's.
    terminal = os.dup(2)

    def stop(signum, _frame):
        name = signal.Signals(signum).name
        SWAP_LOCK.acquire(timeout=60)  # never leave between the rename and its fsync
        stop_children()
        abandon(instance, run_id, f"stopped by {name}")
        os.write(terminal, f"\nRun {run_id[:8]} stopped by {name}: the published warehouse is as it was "
                           "before this run.\n".encode())
        os._exit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    worker = threading.Thread(target=work, name=f"run-{run_id[:8]}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def stop_children() -> None:
    """SIGTERM, then SIGKILL, every descendant process of this one (dbt when it runs in its own
    process, BAYANNUR_DBT_SUBPROCESS; the suite worker); dbt in this process ends with it."""
    children, frontier = [], [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                children.append(int(stat.parent.name))
                frontier.append(int(stat.parent.name))
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in children:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if sig == signal.SIGTERM and children:
            time.sleep(1)
