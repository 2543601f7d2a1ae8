"""`python -m scripts.benchmark.dbt_build WAREHOUSE`: how long `dbt build` takes on a built warehouse.

Each repetition builds a fresh copy of WAREHOUSE (so every one starts from the same file, and
WAREHOUSE itself is never written) in a temporary folder, with dbt's target folder there too.
Printed per repetition: wall seconds, whether dbt parsed in full or partially, and the execution
seconds of seeds, models and tests summed from run_results.json (with two or more threads the sums
exceed the wall time), and the CPU seconds of dbt's process (user + system: less sensitive to a
shared machine's load than the wall time); then the medians and the slowest nodes. Timings on a loaded machine mean
little: note /proc/loadavg beside them.

    --threads N          dbt's --threads (default: profiles.yml)
    --repeat N           repetitions (default 3)
    --full-parse         no partial parsing (dbt's --no-partial-parse), as a run's first invocation
    --project-dir DIR    another copy of the dbt project (default: transforms/ of this checkout)
    --path-per-run       each repetition's copy under a new file name, as a Dagster run's working file
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2] / "transforms"


def build_once(warehouse: Path, workdir: Path, name: str, threads: int | None, full_parse: bool) -> dict:
    copy = workdir / name / "bayannur.duckdb"  # the file's stem is the catalog the SQL names
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(warehouse, copy)
    target = workdir / "target"
    cmd = [str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", str(PROJECT_DIR),
           "--project-dir", str(PROJECT_DIR), "--target-path", str(target), "--log-path", str(target)]
    cmd += ["--no-partial-parse"] if full_parse else []
    cmd += ["--threads", str(threads)] if threads else []
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    log = target / "dbt.log"
    log.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"dbt build failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}")
    results = json.loads((target / "run_results.json").read_text())
    by_type: dict[str, float] = defaultdict(float)
    nodes = []
    for r in results["results"]:
        kind = r["unique_id"].split(".")[0]
        by_type[kind] += r["execution_time"]
        nodes.append((r["execution_time"], r["unique_id"]))
    text = log.read_text() if log.exists() else ""
    parse = "full" if ("Unable to do partial parsing" in text or full_parse) else "partial"
    shutil.rmtree(copy.parent)
    return {"wall": seconds, "cpu": cpu, "elapsed": results["elapsed_time"], "parse": parse, "by_type": dict(by_type),
            "nodes": sorted(nodes, reverse=True), "count": len(results["results"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("warehouse", type=Path)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--full-parse", action="store_true")
    ap.add_argument("--path-per-run", action="store_true")
    ap.add_argument("--slowest", type=int, default=10)
    ap.add_argument("--project-dir", type=Path)
    args = ap.parse_args()
    global PROJECT_DIR
    PROJECT_DIR = (args.project_dir or PROJECT_DIR).resolve()
    with tempfile.TemporaryDirectory(prefix="dbt-build-bench-") as tmp:
        # A first parse against the same path leaves a partial-parse file for the repetitions.
        env = os.environ | {"BAYANNUR_WAREHOUSE": str(Path(tmp) / "run" / "bayannur.duckdb"),
                            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--quiet", "--profiles-dir", str(PROJECT_DIR),
                        "--project-dir", str(PROJECT_DIR), "--target-path", str(Path(tmp) / "target"),
                        "--log-path", str(Path(tmp) / "target")], env=env, check=True)
        runs = []
        for i in range(args.repeat):
            name = f"run{i}" if args.path_per_run else "run"
            r = build_once(args.warehouse.resolve(), Path(tmp), name, args.threads, args.full_parse)
            runs.append(r)
            kinds = "  ".join(f"{k} {v:5.1f}" for k, v in sorted(r["by_type"].items()))
            print(f"#{i + 1}: wall {r['wall']:5.1f} s  cpu {r['cpu']:5.1f} s  dbt elapsed {r['elapsed']:5.1f} s  parse {r['parse']:7}  "
                  f"{r['count']} nodes  {kinds}  load {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    med = statistics.median
    print(f"median: wall {med(r['wall'] for r in runs):.1f} s, cpu {med(r['cpu'] for r in runs):.1f} s, dbt elapsed {med(r['elapsed'] for r in runs):.1f} s, "
          + ", ".join(f"{k} {med(r['by_type'].get(k, 0) for r in runs):.1f} s" for k in sorted(runs[0]['by_type'])))
    slow: dict[str, list[float]] = defaultdict(list)
    for r in runs:
        for t, uid in r["nodes"]:
            slow[uid].append(t)
    print("slowest nodes (median s):")
    for uid, ts in sorted(slow.items(), key=lambda kv: -med(kv[1]))[:args.slowest]:
        print(f"  {med(ts):6.2f}  {uid}")


if __name__ == "__main__":
    main()
