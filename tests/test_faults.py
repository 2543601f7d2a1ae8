"""Kill tests on real runs: kill -9 at ingestion, in the dbt build and inside the swap, SIGTERM on a
running and on a waiting run. After each, the published warehouse must be the same bytes as before
and the next run must start, say what it cleaned, and (the last one) complete with the same marts.

One test, in order, on a copy of the session's warehouse: each stage leaves what the next one
cleans. Runs that get as far as dbt are runs of one delivery; the full runs are killed while reading.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
from dagster import DagsterInstance, DagsterRunStatus

from tests.helpers import ROOT

ONE_DELIVERY = "meteorology/weather_service.csv"
TIMEOUT = 1500  # a full run takes 2 min on an idle machine, up to 8 on a busy one


class Run:
    """`bayannur run` in its own process group, its output (stdout and stderr) collected live."""

    def __init__(self, raw: Path, warehouse: Path, home: Path, *args: str, **env: str):
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "run", *args], cwd=ROOT, text=True, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=os.environ | {"BAYANNUR_RAW_DIR": str(raw), "BAYANNUR_WAREHOUSE": str(warehouse),
                              "DAGSTER_HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                              "GX_ANALYTICS_ENABLED": "false", "BAYANNUR_REPORT_PDF": "off", **env})
        self.pump = threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True)
        self.pump.start()

    @property
    def output(self) -> str:
        """What the run printed, then its full Dagster log (the file named on its second line)."""
        text = "".join(self.lines)
        log = re.search(r"full log: (\S+)", text)
        if log and Path(log.group(1)).exists():
            text += Path(log.group(1)).read_text(encoding="utf-8", errors="replace")
        return text

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.output:
            assert self.proc.poll() is None, f"run ended before {text!r}:\n{self.output[-3000:]}"
            assert time.monotonic() < deadline, f"no {text!r} in time"
            time.sleep(0.2)

    def run_id(self) -> str:
        return re.search(r"materialize_all - ([0-9a-f]{8})-", self.output).group(1)

    def finish(self, timeout: float = TIMEOUT) -> int:
        code = self.proc.wait(timeout)
        self.pump.join(10)
        return code

    def kill(self) -> None:
        """kill -9 of the run's process, as the OOM killer does; then its orphans (dbt), for hygiene."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.finish(60)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def marts(path: Path) -> dict[str, str]:
    """Every mart's rows as stored (no ORDER BY), repr'd so that -0.0 differs from 0.0."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
        return {t: repr(con.execute(f'SELECT * FROM marts."{t}"').fetchall()) for t in tables}
    finally:
        con.close()


def test_killed_and_stopped_runs_leave_the_published_warehouse_and_the_next_run_cleans_up(built, tmp_path):
    raw, home = built["raw"], tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home)
    warehouse = tmp_path / "warehouse" / "bayannur.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(built["warehouse"], warehouse)
    bytes_before, marts_before = sha256(warehouse), marts(warehouse)
    assert len(marts_before) >= 6

    # 1. kill -9 while the deliveries are read.
    ingesting = Run(raw, warehouse, home)
    ingesting.wait_for(": reading ")
    ingesting.kill()
    assert sha256(warehouse) == bytes_before

    # 2. kill -9 in the middle of the dbt build (marts being rebuilt in the working file; a run of
    #    one delivery builds in a working file as a full run does, without reading every delivery first).
    building = Run(raw, warehouse, home, "--delivery", ONE_DELIVERY)
    building.wait_for("START sql table model marts.")
    building.kill()
    assert sha256(warehouse) == bytes_before
    assert f"Cleaned: run {ingesting.run_id()} (process {ingesting.proc.pid} gone) marked failed, pool slots freed" \
        in building.output

    # 3. kill -9 inside the swap: after the audit, the fsync of the new file, before the rename
    #    (a run of one delivery: it publishes through the same swap as a full run).
    publishing = Run(raw, warehouse, home, "--delivery", ONE_DELIVERY, BAYANNUR_FAULT="publish")
    assert publishing.finish() == -signal.SIGKILL, publishing.output[-3000:]
    assert " - published /" not in publishing.output and "Published " not in publishing.output
    assert sha256(warehouse) == bytes_before
    assert f"Cleaned: run {building.run_id()} (process {building.proc.pid} gone)" in publishing.output
    assert f"Cleaned: stale working file(s) of run {building.run_id()} removed" in publishing.output

    # 4. SIGTERM stops a running run and a second run started beside it (waiting for the pool
    #    slot, or interleaving with the first), each within seconds, leaving the warehouse.
    running = Run(raw, warehouse, home)
    running.wait_for(": reading ")
    assert f"Cleaned: run {publishing.run_id()} (process {publishing.proc.pid} gone)" in running.output
    waiting = Run(raw, warehouse, home)
    waiting.wait_for("Materialising every asset")
    time.sleep(3)
    for run in (waiting, running):
        started = time.monotonic()
        run.proc.send_signal(signal.SIGTERM)
        assert run.finish(60) == 128 + signal.SIGTERM
        assert time.monotonic() - started < 60
        assert "stopped by SIGTERM: the published warehouse is as it was" in run.output
    assert sha256(warehouse) == bytes_before

    # 5. A run with a reader holding the published file open the whole time completes, cleans
    #    nothing more (the stopped runs cleaned up after themselves), and publishes the same marts.
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        last = Run(raw, warehouse, home, "--delivery", ONE_DELIVERY)
        assert last.finish() == 0, last.output[-4000:]
        assert "Cleaned: run" not in last.output
        assert reader.execute("SELECT count(*) FROM marts.fct_target_tracking").fetchone()[0] > 0
    finally:
        reader.close()
    assert "Published " in last.output
    assert sha256(warehouse) != bytes_before  # a new file ...
    assert marts(warehouse) == marts_before   # ... with the same mart rows, in the same order, same bits
    assert not [p for p in (warehouse.parent / ".work").iterdir() if p.name != ".lock"]

    instance = DagsterInstance.from_config(str(home))
    try:
        going = [r.run_id for r in instance.get_runs() if r.status in (DagsterRunStatus.STARTED,
                                                                        DagsterRunStatus.STARTING)]
        assert going == []
        assert instance.event_log_storage.get_concurrency_run_ids() == set()
    finally:
        instance.dispose()
