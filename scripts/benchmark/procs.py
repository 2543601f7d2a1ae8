"""Run a command and measure it: wall time, the largest process's peak RSS (wait4) and the peak of
the whole process tree's RSS summed (sampled from /proc every 0.2 s, where /proc exists)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    seconds: float
    returncode: int
    max_rss_bytes: int  # the largest single process of the tree (ru_maxrss of wait4)
    tree_peak_bytes: int | None  # the tree's summed RSS at its sampled peak (None without /proc)
    output: str

    @property
    def peak_bytes(self) -> int:
        return max(self.max_rss_bytes, self.tree_peak_bytes or 0)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def tree_rss(pid: int) -> dict[int, int]:
    """RSS in bytes of `pid` and of every descendant, by pid."""
    found, todo, page = {}, [pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            found[p] = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        todo += _children(p)
    return found


def _tree_rss(pid: int) -> int:
    return sum(tree_rss(pid).values())


def run(cmd: list[str], env: dict[str, str], cwd: Path, log: Path | None = None) -> Measured:
    """Run `cmd` to completion; its output goes to `log` (and is returned)."""
    sample = Path("/proc/self/statm").exists()
    out = open(log, "w+", encoding="utf-8") if log else subprocess.PIPE
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=poll, daemon=True)
    if sample:
        sampler.start()
    if out is subprocess.PIPE:
        text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    if sample:
        sampler.join()
    if log:
        out.seek(0)
        text = out.read()
        out.close()
    # ru_maxrss is in KiB on Linux.
    return Measured(seconds, proc.returncode, usage.ru_maxrss * 1024, peak[0] if sample else None, text)


def pipeline_env(workdir: Path, raw_dir: Path, project_root: Path, regions_dir: Path | None = None) -> dict[str, str]:
    """A run isolated in `workdir`: its own Dagster instance, warehouse (and exports, docs) and raw/."""
    home = workdir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(project_root / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = os.environ | {
        "DAGSTER_HOME": str(home),
        "BAYANNUR_WAREHOUSE": str(workdir / "warehouse" / "bayannur.duckdb"),
        "BAYANNUR_RAW_DIR": str(raw_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    if regions_dir is not None:
        env["BAYANNUR_REGIONS_DIR"] = str(regions_dir)
    return env


def machine_load() -> str:
    """The machine's load averages (1, 5, 15 min): timings mean little when they are high."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
