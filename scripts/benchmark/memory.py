"""`python -m scripts.benchmark.memory RAW_DIR [--regions-dir DIR] [--workdir DIR]`: one `bayannur run`
with every process of its tree sampled from /proc every 0.25 s, then a table of peak memory by
Dagster step and by process (the run, the suite worker, dbt, Chromium, other) and the tree's peak.
RSS summed over processes is what `python -m scripts.benchmark` reports; it counts pages shared by
processes (Chromium's dozen share most of theirs) once per process. PSS shares them out."""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from scripts.benchmark import procs

GB = 1024**3
KINDS = (("suite_engine", "suite worker"), ("bayannur-dbt", "dbt"), ("dbt_cli", "dbt"),
         ("chrom", "chromium"), ("bayannur", "run"), ("tuned_run", "run"))


def _kind(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    return next((name for needle, name in KINDS if needle in cmd), "other")


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0


def sample_run(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> tuple[int, list]:
    """Run `cmd`; returns its exit code and samples (unix time, {kind: RSS summed over its processes},
    the tree's PSS)."""
    samples, kinds, done = [], {}, threading.Event()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)

        def poll() -> None:
            while not done.is_set():
                by_kind: dict[str, int] = defaultdict(int)
                tree = procs.tree_rss(proc.pid)
                for pid, rss in tree.items():
                    by_kind[kinds.setdefault(pid, _kind(pid))] += rss
                samples.append((time.time(), dict(by_kind), sum(map(_pss, tree))))
                done.wait(0.25)

        sampler = threading.Thread(target=poll, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    return code, samples


def steps(dagster_home: Path) -> list[tuple[str, float, float]]:
    """(step, start, end) in unix time for the last run of the instance."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home)))
    try:
        run = max(instance.get_runs(), key=lambda r: instance.get_run_record_by_id(r.run_id).create_timestamp)
        started, spans = {}, []
        for e in instance.all_logs(run.run_id):
            kind = e.dagster_event.event_type_value if e.dagster_event else None
            if kind == "STEP_START":
                started[e.step_key] = e.timestamp
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and e.step_key in started:
                spans.append((e.step_key, started.pop(e.step_key), e.timestamp))
        return spans
    finally:
        instance.dispose()


def table(samples: list, spans: list[tuple[str, float, float]]) -> list[str]:
    """Peak RSS per (phase, process kind) and of the tree; phase = the step running, else 'between steps'."""
    peaks: dict[tuple[str, str], int] = defaultdict(int)
    tree: dict[str, tuple[int, float, dict]] = {}
    pss: dict[str, int] = defaultdict(int)
    t0 = samples[0][0] if samples else 0.0
    for t, by_kind, tree_pss in samples:
        running = [s for s, a, b in spans if a <= t <= b]
        phase = ("raw__* (ingestion)" if running and all(s.startswith("raw__") for s in running)
                 else ", ".join(running) or "outside steps")
        for kind, rss in by_kind.items():
            peaks[phase, kind] = max(peaks[phase, kind], rss)
        total = sum(by_kind.values())
        pss[phase] = max(pss[phase], tree_pss)
        if total > tree.get(phase, (0,))[0]:
            tree[phase] = (total, t - t0, by_kind)
    lines = [f"{'step':44} {'process':13} {'peak RSS':>10}"]
    for phase, (total, at, parts) in sorted(tree.items(), key=lambda kv: kv[1][1]):
        for (p, kind), rss in sorted(peaks.items(), key=lambda kv: -kv[1]):
            if p == phase and rss >= 20 * 1024**2:
                lines.append(f"{phase[:44]:44} {kind:13} {rss / GB:7.2f} GB")
        split = ", ".join(f"{k} {v / GB:.2f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]))
        lines.append(f"{phase[:44]:44} {'TREE':13} {total / GB:7.2f} GB  (at {at:.0f} s: {split}; PSS peak "
                     f"{pss[phase] / GB:.2f} GB)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw_dir")
    parser.add_argument("--regions-dir")
    parser.add_argument("--workdir", default="bench-memory")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[2]
    workdir = Path(args.workdir).resolve()
    env = procs.pipeline_env(workdir, Path(args.raw_dir).resolve(), root,
                             Path(args.regions_dir).resolve() if args.regions_dir else None)
    started = time.perf_counter()
    code, samples = sample_run([str(Path(sys.executable).parent / "bayannur"), "run"], env, root,
                               workdir / "run.log")
    seconds = time.perf_counter() - started
    print("\n".join(table(samples, steps(workdir / "dagster"))))
    peak = max((sum(k.values()) for _, k, _ in samples), default=0)
    pss = max((p for _, _, p in samples), default=0)
    print(f"exit {code}; {seconds:.1f} s; tree peak RSS {peak / GB:.2f} GB, PSS {pss / GB:.2f} GB; "
          f"load {procs.machine_load()}")
    return code


if __name__ == "__main__":
    sys.exit(main())
