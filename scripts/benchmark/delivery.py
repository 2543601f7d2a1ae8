"""`python -m scripts.benchmark delivery`: one changed delivery -> published marts.

After one full run (the set-up, not timed), the delivery arrives again (a new mtime) and
`bayannur run --delivery FILE` runs N times. Printed: seconds to the published marts (the run's
wall time less what comes after warehouse/published), the whole run, the dbt step, and the time
outside Dagster's run (the process's start and exit: imports, definitions, instance).
With --compare-env VAR=VALUE the runs alternate without and with VAR=VALUE (load drifts), and
each variant gets its medians.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.benchmark import compat, procs


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def pick_delivery(raw: Path, wanted: str | None) -> tuple[Path, str | None]:
    """The delivery to change: --file, else the newest one-year delivery of any contract."""
    candidates = []
    for contract in compat.load_contracts():
        for path, year in compat.deliveries(contract, raw):
            if wanted and path.relative_to(raw).as_posix() == wanted:
                return path, year
            if year and not contract.revision_of(path.name):
                candidates.append((year, path.relative_to(raw).as_posix(), path))
    if wanted:
        raise SystemExit(f"no delivery {wanted} under raw/")
    year, _, path = max(candidates)
    return path, year


@dataclass
class Variant:
    name: str
    env: dict[str, str]
    whole: list[float] = field(default_factory=list)
    to_published: list[float] = field(default_factory=list)
    dbt_step: list[float] = field(default_factory=list)
    outside_run: list[float] = field(default_factory=list)

    def line(self) -> str:
        def fmt(xs):
            return f"{_median(xs):.1f} s of {[round(x, 1) for x in xs]}"

        return (f"{self.name}: to the published marts {fmt(self.to_published)}; whole run {fmt(self.whole)}; "
                f"dbt step {fmt(self.dbt_step)}; outside Dagster's run (start-up, exit) {fmt(self.outside_run)}")


def delivery(args, pipeline: Callable, copy_raw: Callable, events: Callable, bin_path: Callable, root: Path) -> int:
    help_text = procs.run([bin_path("bayannur"), "run", "--help"], dict(os.environ), root).output
    variants = [Variant("as is", {})]
    if args.compare_env:
        var, _, value = args.compare_env.partition("=")
        variants.append(Variant(f"with {var}={value}", {var: value}))
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as tmp:
        tmp = Path(tmp)
        raw = copy_raw(tmp / "raw")
        path, year = pick_delivery(raw, args.file)
        extra = ["--delivery", str(path)] if "--delivery" in help_text else ["--years", str(year)]
        print(f"Set-up: one full run (not timed here); load {procs.machine_load()} ...", flush=True)
        setup = pipeline(raw, tmp / "run")
        print(f"  full run {setup.seconds:.1f} s (exit {setup.returncode})")
        from scripts.benchmark.events import describe

        for i in range(args.n):
            for variant in variants if i % 2 == 0 else variants[::-1]:  # alternate the order: load drifts
                os.utime(path)  # the delivery arrives again (a new mtime, the same checked bytes)
                print(f"[{i + 1}/{args.n}] {variant.name}: bayannur run {' '.join(extra)} ...", flush=True)
                saved = {k: os.environ.get(k) for k in variant.env}
                os.environ.update(variant.env)
                try:
                    m = pipeline(raw, tmp / "run", extra, fresh=False)
                finally:
                    for k, v in saved.items():
                        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
                variant.whole.append(m.seconds)
                last = events(tmp / "run")[-1]
                if last.after_published is not None:  # the reports and exports come after the publish
                    variant.to_published.append(m.seconds - last.after_published)
                if "dbt_models" in last.step_seconds:
                    variant.dbt_step.append(last.step_seconds["dbt_models"])
                variant.outside_run.append(m.seconds - last.run_seconds)
                if m.returncode:
                    print(m.output[-2000:])
        base = variants[0]
        print(f"\nOne changed delivery ({path.relative_to(raw)}) -> published marts: median "
              f"{_median(base.to_published):.1f} s of {[round(t, 1) for t in base.to_published]}; the whole run "
              f"with exports, docs and reports: median {_median(base.whole):.1f} s of "
              f"{[round(t, 1) for t in base.whole]} ({_median(base.whole) / setup.seconds:.2f} of a full run); "
              f"load now {procs.machine_load()}")
        for variant in variants:
            print("  " + variant.line())
        profiles = events(tmp / "run")
        if profiles:
            print("  Dagster " + "\n  ".join(describe(profiles[-1])))
        return 0
