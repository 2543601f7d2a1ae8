"""`python -m scripts.benchmark.ingest [-n 3] [--raw-dir DIR]`: the ingestion step's own work, timed.

Every contract's deliveries of every tracked year read and checked (contract, suite, the file
shared by two contracts) as `ingest_deliveries` does it (with the worker, each table checked in a
thread while the next is read), without Dagster and without writing the
warehouse, each repetition in a fresh process (so importing great-expectations counts), alternating
the suites in a worker process (as the step runs them when it reads enough) and in the process
itself. Printed: wall and CPU seconds (the worker's included), the peak memory of the process and
its worker, rows, rejected tables, the load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts.benchmark import procs


def _child(worker: bool) -> dict:
    import logging
    import resource

    from orchestration import settings, validation
    from orchestration.deliveries import DeliveryError, load_contracts
    from orchestration.deliveries.loading import check, check_aside, read

    log = logging.getLogger("benchmark")
    contracts = sorted(load_contracts(), key=lambda c: c.table)
    started = time.perf_counter()
    used = validation.preload([p for c in contracts for p, _ in c.deliveries()]) if worker else False
    with ThreadPoolExecutor(1) as aside:  # with the worker, each table checked while the next is read
        readings = []
        for c in contracts:
            reading = read(c, settings.YEARS, log, contracts=contracts)
            readings.append((reading, aside.submit(check_aside, reading) if used else None))
        read_s = time.perf_counter() - started
        rows = rejected = 0
        for reading, checking in readings:
            try:
                rows += (checking.result().replay(log) if checking else check(reading, log))[0].height
            except DeliveryError:
                rejected += 1
    seconds = time.perf_counter() - started
    validation.stop()
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {"worker": used, "seconds": seconds, "read_s": read_s, "rows": rows, "rejected": rejected,
            "cpu_s": sum(u.ru_utime + u.ru_stime for u in usage)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=3, help="alternated pairs (default 3)")
    ap.add_argument("--raw-dir", default=None, help="deliveries to read (default: the settings' raw/)")
    ap.add_argument("--child", choices=["worker", "here"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child == "worker")))
        return 0
    env = dict(os.environ, **({"BAYANNUR_RAW_DIR": str(Path(args.raw_dir).resolve())} if args.raw_dir else {}))
    runs: dict[str, list[dict]] = {"worker": [], "here": []}
    for i in range(args.n):
        for mode in (("worker", "here") if i % 2 == 0 else ("here", "worker")):  # alternate: load drifts
            m = procs.run([sys.executable, "-m", "scripts.benchmark.ingest", "--child", mode], env, Path.cwd())
            if m.returncode:
                raise SystemExit(m.output[-3000:])
            result = json.loads(m.output.strip().splitlines()[-1]) | {"load": procs.machine_load(),
                                                                       "peak_gb": m.peak_bytes / 1024**3}
            runs[mode].append(result)
            print(f"[{i + 1}/{args.n}] suites {'in a worker' if result['worker'] else 'in the process'}: "
                  f"{result['seconds']:.2f} s wall (reading {result['read_s']:.2f} s), {result['cpu_s']:.2f} CPU s, "
                  f"peak memory {result['peak_gb']:.2f} GB (the process and its worker), "
                  f"{result['rows']} rows, {result['rejected']} tables rejected; load {result['load']}", flush=True)
    for mode, label in (("worker", "suites in a worker"), ("here", "suites in the process")):
        print(f"median, {label}: {statistics.median(r['seconds'] for r in runs[mode]):.2f} s wall, "
              f"{statistics.median(r['cpu_s'] for r in runs[mode]):.2f} CPU s, "
              f"peak {max(r['peak_gb'] for r in runs[mode]):.2f} GB at most")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
