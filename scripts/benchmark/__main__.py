"""`python -m scripts.benchmark city|delivery|national|parse|profile`: how far a run is from its floor.

    city      the full run (`bayannur run`) on a copy of raw/ vs the floor, alternated, medians of N
    delivery  one changed delivery -> published marts: `bayannur run --delivery FILE` where the CLI
              has it, else `bayannur run --years YEAR` (scripts/benchmark/delivery.py)
    national  the synthetic national load (scripts.synthetic): full run vs floor, peak memory
    parse     1 M rows parsed (and validated) by the contract reader: seconds, peak memory
    profile   events per phase and step times of the runs in a Dagster instance (DAGSTER_HOME)

Each run happens in a temporary folder of its own (Dagster instance, warehouse, raw/), so the
repository's warehouse and instance are never touched. Timings on a loaded machine mean little:
run these on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from scripts.benchmark import compat, procs
from scripts.benchmark.parsing import parse, parse_child

GB = 1024**3


def _root() -> Path:
    return compat.settings().PROJECT_ROOT


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _compile(workdir: Path) -> Path:
    from scripts.benchmark.floor import compile_project

    print("Compiling the dbt project once (dbt compile) for the floor ...", flush=True)
    return compile_project(_root() / "transforms", workdir / "target", workdir / "compile.duckdb")


def _floor(raw_dir: Path, manifest: Path, workdir: Path, regions_dir: Path | None = None) -> tuple[procs.Measured, dict]:
    """The floor in a process of its own (so that its time and memory are measured like a run's)."""
    cmd = [sys.executable, "-m", "scripts.benchmark", "floor", "--raw-dir", str(raw_dir),
           "--manifest", str(manifest), "--workdir", str(workdir)]
    if regions_dir:
        cmd += ["--regions-dir", str(regions_dir)]
    workdir.mkdir(parents=True, exist_ok=True)
    measured = procs.run(cmd, dict(os.environ), _root(), workdir / "floor.log")
    if measured.returncode:
        raise SystemExit(f"the floor failed:\n{measured.output[-3000:]}")
    return measured, json.loads(measured.output.strip().splitlines()[-1])


SQLITE_SYNC: str | None = None  # --sqlite-sync: run through scripts.benchmark.tuned_run


def _pipeline(raw_dir: Path, workdir: Path, extra: list[str] | None = None,
              regions_dir: Path | None = None, fresh: bool = True) -> procs.Measured:
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    env = procs.pipeline_env(workdir, raw_dir, _root(), regions_dir)
    command = [sys.executable, "-m", "scripts.benchmark.tuned_run", SQLITE_SYNC] if SQLITE_SYNC else [_bin("bayannur")]
    return procs.run([*command, "run", *(extra or [])], env, _root(), workdir / "run.log")


def _events(workdir: Path):
    from scripts.benchmark.events import profiles

    return profiles(workdir / "dagster")


def _copy_raw(dest: Path, source: Path | None = None) -> Path:
    source = source or compat.settings().RAW_DIR
    shutil.copytree(source, dest)
    return dest


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def _report_pair(name: str, runs: list[procs.Measured], floors: list[tuple[procs.Measured, dict]]) -> None:
    run_s = _median([r.seconds for r in runs])
    floor_s = _median([f.seconds for f, _ in floors])
    inner = floors[-1][1]
    print(f"\n{name}: medians of {len(runs)} alternated pairs")
    print(f"  full run   {run_s:8.1f} s   (each: {', '.join(f'{r.seconds:.1f}' for r in runs)}; "
          f"exit {[r.returncode for r in runs]})")
    print(f"  floor      {floor_s:8.1f} s   (each: {', '.join(f'{f.seconds:.1f}' for f, _ in floors)}; "
          f"reading {inner['read_s']:.1f} s for {inner['rows_read']} rows of {inner['tables']} tables, "
          f"seeds {inner['seconds']['seed']:.1f} s, models {inner['seconds']['model']:.1f} s, "
          f"tests {inner['seconds']['test']:.1f} s: {inner['counts']})")
    failed = any(r.returncode for r in runs)
    print(f"  ratio      {run_s / floor_s:8.2f} x the floor" + ("   (NOT comparable: a run failed)" if failed else ""))
    print(f"  peak memory: run {max(r.peak_bytes for r in runs) / GB:.2f} GB, "
          f"floor {max(f.peak_bytes for f, _ in floors) / GB:.2f} GB")
    if inner["failing_tests"]:
        print(f"  floor: {len(inner['failing_tests'])} dbt tests return rows: {inner['failing_tests'][:5]}")


def city(args) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-city-") as tmp:
        tmp = Path(tmp)
        raw = _copy_raw(tmp / "raw")
        manifest = _compile(tmp / "compile")
        runs, floors = [], []
        for i in range(args.n):
            order = ("run", "floor") if i % 2 == 0 else ("floor", "run")  # alternate: load drifts
            for what in order:
                if what == "run":
                    print(f"[{i + 1}/{args.n}] full run ...", flush=True)
                    runs.append(_pipeline(raw, tmp / "run"))
                else:
                    print(f"[{i + 1}/{args.n}] floor ...", flush=True)
                    floors.append(_floor(raw, manifest, tmp / "floor"))
        _report_pair("City run (sample raw/)", runs, floors)
        from scripts.benchmark.events import describe

        for p in _events(tmp / "run"):
            print("  Dagster " + "\n  ".join(describe(p)))
        if args.keep:
            shutil.copytree(tmp / "run", Path(args.keep), dirs_exist_ok=True)
            print(f"  the last run's instance, warehouse and log: {args.keep} (`profile {args.keep}/dagster`)")
        if runs[-1].returncode:
            print(runs[-1].output[-2000:])
        return 0 if all(r.returncode == 0 for r in runs) else 1


def national(args) -> int:
    from scripts.synthetic.generate import generate

    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        tmp = Path(tmp)
        data = Path(args.data) if args.data else tmp / "national"
        if not args.data:
            print(f"Generating the national load (seed {args.seed}) ...", flush=True)
            generate(data, counties=args.counties, years=args.years, energy_users=args.energy_users, seed=args.seed,
                     province_rows=not args.no_province_rows)
        raw, regions = data / "raw", data / "regions"
        manifest = _compile(tmp / "compile")
        runs, floors = [], []
        for i in range(args.n):
            order = ("run", "floor") if i % 2 == 0 else ("floor", "run")
            for what in order:
                print(f"[{i + 1}/{args.n}] {what} ...", flush=True)
                if what == "run":
                    runs.append(_pipeline(raw, tmp / "run", regions_dir=regions))
                else:
                    floors.append(_floor(raw, manifest, tmp / "floor", regions))
        _report_pair(f"National load ({data})", runs, floors)
        from scripts.benchmark.events import describe

        for p in _events(tmp / "run"):
            print("  Dagster " + "\n  ".join(describe(p)))
        if args.keep:
            shutil.copytree(tmp / "run", Path(args.keep), dirs_exist_ok=True)
            print(f"  the last run's instance, warehouse and log: {args.keep} (`profile {args.keep}/dagster`)")
        if runs[-1].returncode:
            print("  the full run FAILED; its last lines:\n" + runs[-1].output[-2500:])
        return 0 if all(r.returncode == 0 for r in runs) else 1


def floor(args) -> int:
    from scripts.benchmark.floor import run_floor

    result = run_floor(Path(args.raw_dir), Path(args.manifest), _root() / "transforms", Path(args.workdir),
                       Path(args.regions_dir) if args.regions_dir else None)
    print(json.dumps(result, default=str))
    return 0


def profile(args) -> int:
    from scripts.benchmark.events import describe, profiles

    for p in profiles(Path(args.dagster_home)):
        print("\n".join(describe(p)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.benchmark", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("city", help="full run vs floor on the sample")
    p.add_argument("-n", type=int, default=3, help="alternated pairs (default 3)")
    p.add_argument("--keep", default=None, help="copy the last run's folder (Dagster instance, warehouse) here")
    p = sub.add_parser("delivery", help="one changed delivery -> published marts")
    p.add_argument("-n", type=int, default=3, help="timed runs after the set-up run (default 3)")
    p.add_argument("--file", default=None, help="the delivery, as a path under raw/ (default: the newest one-year file)")
    p.add_argument("--compare-env", metavar="VAR=VALUE", default=None,
                   help="alternate runs without and with VAR=VALUE in the environment; medians of each")
    p = sub.add_parser("national", help="the synthetic national load: full run vs floor, peak memory")
    p.add_argument("-n", type=int, default=1)
    p.add_argument("--seed", type=int, default=20260)
    p.add_argument("--counties", type=int, default=2850)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--energy-users", type=int, default=20000)
    p.add_argument("--no-province-rows", action="store_true", help="the tree without rows of level province")
    p.add_argument("--data", default=None, help="a load generated before by `python -m scripts.synthetic`")
    p.add_argument("--keep", default=None, help="copy the last run's folder (Dagster instance, warehouse) here")
    p = sub.add_parser("parse", help="1 M rows through the contract reader")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--contract", default="energy/key_energy_users", help="SOURCE/DATASET of a CSV contract")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-suite", action="store_true", help="parse only, skip the great-expectations suite")
    p = sub.add_parser("parse-child")
    p.add_argument("file")
    p.add_argument("--contract", required=True)
    p.add_argument("--no-suite", action="store_true")
    p = sub.add_parser("floor", help="(internal) the floor in this process; prints JSON")
    p.add_argument("--raw-dir", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--regions-dir", default=None)
    p = sub.add_parser("profile", help="events per phase of the runs in a Dagster instance")
    p.add_argument("dagster_home")
    for name in ("city", "delivery", "national"):
        sub.choices[name].add_argument("--sqlite-sync", choices=["NORMAL", "OFF"], default=None,
                                       help="experiment: Dagster's SQLite event log without fsync per commit")
    args = parser.parse_args(argv)
    global SQLITE_SYNC
    SQLITE_SYNC = getattr(args, "sqlite_sync", None)
    from scripts.benchmark.delivery import delivery

    def one_delivery(a):
        return delivery(a, _pipeline, _copy_raw, _events, _bin, _root())

    return {"city": city, "delivery": one_delivery, "national": national, "parse": parse, "parse-child": parse_child,
            "floor": floor, "profile": profile}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
