"""`bayannur run`: one Dagster run of every asset for a range of years, or of one delivery and
what depends on it (`--delivery FILE`, as the arrivals sensor runs it), on the local instance.

Before it starts, runs left behind by a killed process are reclaimed (orchestration/publishing/
recovery.py); it runs in a worker thread so that Ctrl-C and SIGTERM stop it at any point
(publishing/stopping.py); the terminal shows one line per phase and the closing summary, the full
Dagster log goes to a file (orchestration/progress.py). Nothing of a failed run is published.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from functools import cache
from pathlib import Path


def dagster_home() -> None:
    """DAGSTER_HOME defaults to the project's .dagster/ (as under make), made on first use."""
    from orchestration import settings

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.PROJECT_ROOT / ".dagster")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(settings.PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")


@cache
def deliveries_found(raw_dir: Path) -> dict[str, dict]:
    """sensors.scan of raw/ (every delivery's tables, years and digest), once per process: the
    command line checks --delivery with it and the run then selects from it."""
    from orchestration.sensors import scan

    return scan(raw_dir)


def run(years: str | None = None, delivery: str | None = None) -> int:
    """Exit code 0 when the run succeeded and published, 1 otherwise. `years`: "2024" or
    "2021-2024" (None: every tracked year); `delivery`: a file under raw/ (relative path)."""
    # Every run starts with an ingestion step, whose suites run in a worker process (validation.
    # preload). Started now, it imports great-expectations on the other core while this process
    # imports Dagster, dbt and the definitions, not while the step waits for it.
    from orchestration import suite_engine

    suite_engine.start_worker()
    dagster_home()
    from dagster import AssetKey, DagsterInstance

    from orchestration import progress, settings
    from orchestration.assets.ingestion import years_config
    from orchestration.assets.timeliness import ON_TIME_CHECK
    from orchestration.definitions import defs
    from orchestration.deliveries import unknown_files
    from orchestration.publishing.publish import publish_rejections
    from orchestration.publishing.recovery import process_tags, reclaim
    from orchestration.publishing.stopping import execute_until_stopped
    from orchestration.publishing.working import PUBLISHED_KEY, STORAGE_VERSION, discard, working_path
    from orchestration.sensors import downstream_of, year_range

    instance = DagsterInstance.get()
    for line in reclaim(instance):
        print(f"Cleaned: {line}", flush=True)
    run_id = str(uuid.uuid4())  # known before the run starts: names its working file and its log
    log = progress.log_path(settings.WAREHOUSE_PATH.parent / "logs", run_id)
    phases = progress.PhaseProgress(sys.stdout, frozenset(c.node_def.name for c in defs.asset_checks or []))
    job = defs.resolve_job_def("materialize_all").with_logger_defs(progress.logger_defs(phases))
    selection, tags = None, {}
    if delivery is not None:
        entry = deliveries_found(settings.RAW_DIR)[delivery]
        years = year_range(entry["years"])
        selection = downstream_of(entry["tables"], defs.resolve_asset_graph())
        tags = {"bayannur/delivery": delivery}
        print(f"Materialising raw/{delivery} ({', '.join(sorted(set(entry['tables'])))}, {years}) and the "
              f"{len(selection) - len(set(entry['tables']))} assets downstream ...", flush=True)
    else:
        shown = years or f"{settings.YEARS[0]}-{settings.YEARS[-1]}"
        print(f"Materialising every asset for {shown} (raw deliveries: {settings.RAW_DIR}) ...", flush=True)
    print(f"  full log: {log}", flush=True)
    started = time.perf_counter()
    with progress.output_to(log):
        result = execute_until_stopped(
            job, instance, run_id,
            tags={**({"bayannur/years": years} if years else {}), **tags, **process_tags()},
            run_config={**progress.run_config(log), **years_config(years)},
            asset_selection=selection,
        )
    phases.finish()
    rejections = 0 if result.success else publish_rejections(working_path(run_id), run_id)
    discard(working_path(run_id))
    # Close the event log's kept connections (instance.py): SQLite checkpoints its WAL on the last
    # close, which the console's fast exit (cli.console) would otherwise leave to the next opener.
    instance.dispose()
    elapsed = time.perf_counter() - started
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    checks = result.get_asset_check_evaluations()
    # Overdue deliveries are warnings about the calendar, not about this run's data: counted apart.
    overdue = [c for c in checks if c.check_name == ON_TIME_CHECK and not c.passed]
    checks = [c for c in checks if c.check_name != ON_TIME_CHECK]
    failed_checks = [c for c in checks if not c.passed]
    print()
    print(f"Run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'} in {elapsed:.1f} s: "
          f"{len(materialised)} assets materialised, {len(checks) - len(failed_checks)}/{len(checks)} checks passed.")
    for line in failure_lines(result, failed_checks):
        print(f"  {line}")
    if overdue:
        print(f"  {len(overdue)} raw tables have overdue deliveries (warnings): `bayannur overdue` lists them.")
    for rel, why in unknown_files():
        print(f"  UNKNOWN file raw/{rel}: {why} (not loaded; `bayannur deliveries` lists them)")
    published = AssetKey(list(PUBLISHED_KEY)) in materialised
    if published:
        print(f"Published {settings.WAREHOUSE_PATH} (storage version {STORAGE_VERSION}).")
    if result.success:
        return 0
    print(f"  full log: {log}")
    if published:
        print("The warehouse was published; a step after it (exports, report, a serving target) failed.")
        return 1
    logged = (f"; {rejections} rejected deliver{'y is' if rejections == 1 else 'ies are'} logged in "
              "audit.rejected_deliveries") if rejections else ""
    print(f"Nothing was published: {settings.WAREHOUSE_PATH.name} is as the last successful run left it{logged}.")
    return 1


def failure_lines(result, failed_checks) -> list[str]:
    """One line per failure: what failed, where, and what to do about it."""
    from dagster import AssetCheckSeverity

    from orchestration.assets.ingestion import SUITE_CHECK

    lines = []
    for c in failed_checks:
        if c.check_name == SUITE_CHECK:
            continue  # the step failure below says the same, with the problem
        rows = c.metadata.get("dagster_dbt/failed_row_count")
        what = f"{rows.value} failing row(s)" if rows is not None else "failed"
        severity = "warning" if c.severity == AssetCheckSeverity.WARN else "error: downstream models not rebuilt"
        lines.append(f"FAILED check {c.check_name} on {c.asset_key.to_user_string()}: {what} ({severity}); "
                     f"see the rows: cd transforms && ../.venv/bin/dbt show --profiles-dir . --select {c.check_name}")
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        meta = data.user_failure_data.metadata if data.user_failure_data else {}
        if "rejected" in meta:
            for r in meta["rejected"].value:
                more = f" (+{r['problems'] - 1} more)" if r["problems"] > 1 else ""
                lines.append(f"FAILED {r['asset']}: {r['first_problem']}{more}; fix: replace {', '.join(r['files'])} "
                             f"by a corrected delivery with its provenance, then `bayannur run --years "
                             f"{r['rerun_years']}` (every problem: audit.rejected_deliveries)")
        elif event.step_key == "dbt_models" and failed_checks:
            continue  # the failed dbt tests are listed above
        else:
            error = data.error
            while error is not None and error.cause is not None:  # Dagster wraps the user's error
                error = error.cause
            message = error.message.strip().splitlines()[0] if error else "failed"
            lines.append(f"FAILED step {event.step_key}: {message}")
    return lines
