"""`parse` and its child process: one delivery of N rows through the contract reader, then its suite."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from scripts.benchmark import compat, procs

GB = 1024**3


def parse(args) -> int:
    from scripts.synthetic.generate import write_parse_load

    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
        tmp = Path(tmp)
        print(f"Writing {args.rows} rows in the layout of {args.contract} ...", flush=True)
        path = write_parse_load(tmp / "raw", args.contract, args.rows, args.seed)
        cmd = [sys.executable, "-m", "scripts.benchmark", "parse-child", str(path), "--contract", args.contract]
        if args.no_suite:
            cmd.append("--no-suite")
        m = procs.run(cmd, dict(os.environ), compat.settings().PROJECT_ROOT)
        if m.returncode:
            print(m.output[-3000:])
            return 1
        inner = json.loads(m.output.strip().splitlines()[-1])
        suite_s = inner.get("suite_s", float("nan"))
        print(f"\nParsing {inner['rows']} rows ({path.stat().st_size / 1e6:.0f} MB {path.suffix}): "
              f"parse {inner['parse_s']:.1f} s, suite {suite_s:.1f} s, parse + suite {inner['parse_s'] + suite_s:.1f} s, "
              f"process {m.seconds:.1f} s; CPU {inner['cpu_s']:.1f} s (suite worker included); "
              f"peak memory {m.peak_bytes / GB:.2f} GB; "
              f"suite problems: {inner.get('suite_problems', 'not run')}; load {procs.machine_load()}")
        return 0


def parse_child(args) -> int:
    import resource
    import time

    path = Path(args.file)
    raw = path.parent.parent
    contract = next(c for c in compat.load_contracts() if f"{c.source}/{c.dataset}" == args.contract)
    year = contract.year_of(path.name) or None
    started = time.perf_counter()
    if not args.no_suite:  # as the ingestion step: great-expectations imports while the file is parsed
        compat.preload_validation([path])
    frame = compat.read_delivery(contract, path, year, raw)
    out = {"rows": frame.height, "parse_s": time.perf_counter() - started}
    if not args.no_suite:
        started = time.perf_counter()
        result = compat.validate(frame, contract.suite_path)
        out |= {"suite_s": time.perf_counter() - started, "suite_problems": len(result.problems)}
        compat.stop_validation()
    # Every CPU second of the process and its suite worker (ended above): on a shared machine the
    # wall time says more about the other processes than about this one.
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    out["cpu_s"] = sum(u.ru_utime + u.ru_stime for u in usage)
    print(json.dumps(out))
    return 0
