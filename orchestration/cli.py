"""`bayannur`: run the pipeline from the command line (what `make run` calls).

    bayannur run                  every asset, every year, as one run on the local Dagster instance
    bayannur run --years 2021     the deliveries of 2021 only (dbt models are rebuilt over all years)
    bayannur summary              what the warehouse holds now (read-only)
    bayannur status INDICATOR     where one target stands (see orchestration/queries.py for the
    bayannur barometer            barometer of every target, what arrived and was rejected, and
    bayannur deliveries           a read-only SQL session; --lang zh|en)
    bayannur sql [QUERY]
    bayannur overdue              deliveries overdue by their release calendar (read-only)
    bayannur report [--year Y]    the annual progress report from the warehouse as it is (read-only)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import uuid
from pathlib import Path


def _dagster_home() -> None:
    """DAGSTER_HOME defaults to the project's .dagster/ (as under make), made on first use."""
    from orchestration import settings

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.PROJECT_ROOT / ".dagster")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(settings.PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")


def _run(first: str, last: str) -> int:
    _dagster_home()
    from dagster import AssetKey, DagsterInstance

    from orchestration import settings
    from orchestration.assets.timeliness import ON_TIME_CHECK
    from orchestration.definitions import defs
    from orchestration.publishing.publish import publish_rejections
    from orchestration.publishing.recovery import process_tags, reclaim
    from orchestration.publishing.stopping import execute_until_stopped
    from orchestration.publishing.working import PUBLISHED_KEY, STORAGE_VERSION, discard, working_path

    job = defs.resolve_job_def("materialize_all")
    instance = DagsterInstance.get()
    for line in reclaim(instance):
        print(f"Cleaned: {line}", flush=True)
    print(f"Materialising every asset for {first}-{last} (raw deliveries: {settings.RAW_DIR}) ...",
          flush=True)
    started = time.perf_counter()
    run_id = str(uuid.uuid4())  # known before the run starts: names its working file
    result = execute_until_stopped(
        job, instance, run_id,
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last,
              **process_tags()},
        # INFO: step starts and ends, each delivery read, dbt's progress; not the debug events.
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
    rejections = 0 if result.success else publish_rejections(working_path(run_id), run_id)
    discard(working_path(run_id))
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
    published = AssetKey(list(PUBLISHED_KEY)) in materialised
    if published:
        print(f"Published {settings.WAREHOUSE_PATH} (storage version {STORAGE_VERSION}).")
    if not result.success:
        if published:
            print("The warehouse was published; a step after it (exports, report, a serving target) failed.")
            return 1
        logged = (f"; {rejections} rejected deliver{'y is' if rejections == 1 else 'ies are'} logged in "
                  "audit.rejected_deliveries") if rejections else ""
        print(f"Nothing was published: {settings.WAREHOUSE_PATH.name} is as the last successful run left it{logged}.")
        return 1
    _summary()
    return 0


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
        severity = "warning" if c.severity == AssetCheckSeverity.WARN else "error: nothing published"
        lines.append(f"FAILED check {c.check_name} on {c.asset_key.to_user_string()}: {what} ({severity}); "
                     f"see the rows: cd transforms && ../.venv/bin/dbt show --profiles-dir . --select {c.check_name}")
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        meta = data.user_failure_data.metadata if data.user_failure_data else {}
        if "first_problem" in meta:
            count = meta["problems"].value
            more = f" (+{count - 1} more)" if count > 1 else ""
            files = ", ".join(meta["files"].value)
            lines.append(f"FAILED {meta['asset'].value}: {meta['first_problem'].value}{more}; fix: replace {files} "
                         f"by a corrected delivery with its provenance, then `bayannur run --years "
                         f"{meta['rerun_years'].value}` (every problem: audit.rejected_deliveries)")
        elif event.step_key == "dbt_models" and failed_checks:
            continue  # the failed dbt tests are listed above
        else:
            error = data.error
            while error is not None and error.cause is not None:  # Dagster wraps the user's error
                error = error.cause
            message = error.message.strip().splitlines()[0] if error else "failed"
            lines.append(f"FAILED step {event.step_key}: {message}")
    return lines


def _overdue(on: str | None) -> int:
    from datetime import date

    from orchestration.releases import describe, load_releases, loaded_years, today

    day = date.fromisoformat(on) if on else today()
    releases = load_releases()
    loaded = loaded_years(list(releases))
    late = {t: r.overdue(loaded[t], day) for t, r in releases.items()}
    flagged = {t: years for t, years in late.items() if years}
    print(f"Deliveries overdue on {day}: {len(flagged)} of {len(releases)} raw tables "
          "(calendar: orchestration/contracts/releases.yml)")
    for table, years in flagged.items():
        print(f"  {describe(releases[table], years, day)}")
    return 0


def _summary() -> None:
    from orchestration import settings
    from orchestration.warehouse import connect

    with connect(read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('raw', 'marts') ORDER BY table_schema, table_name"
        ).fetchall()
        print(f"Warehouse {settings.WAREHOUSE_PATH.name}:")
        for schema, table in tables:
            n = con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
            cols = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema=? AND table_name=?",
                [schema, table]).fetchall()}
            years = ""
            if "year" in cols:
                lo, hi = con.execute(f'SELECT min(year), max(year) FROM {schema}."{table}"').fetchone()
                years = f", years {lo}-{hi}" if lo is not None else ""
            print(f"  {schema}.{table:<36} {n:>6} rows{years}")
        if ("marts", "fct_regional_gdp") in tables:
            print("City GDP (亿元): current prices | at 2020 prices | real growth % | status")
            for year, cur, const, growth, status in con.execute(
                "SELECT year, gdp_current_100m_yuan, gdp_constant_2020_100m_yuan, real_growth_pct, status "
                "FROM marts.fct_regional_gdp WHERE region_code = '150800' ORDER BY year"
            ).fetchall():
                print(f"  {year}  {cur:9.1f} | {const:9.2f} | {growth:+5.1f} | {status}")


def _report(year: int | None) -> int:
    from orchestration.reports import render_report
    from orchestration.warehouse import WarehouseBusy

    try:
        report = render_report(year)
    except (FileNotFoundError, WarehouseBusy) as exc:  # as the other read-only commands: 2
        print(f"bayannur report: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a year with no data
        print(f"bayannur report: {exc}", file=sys.stderr)
        return 1
    b = report.barometer_2020
    print(f"Progress report {report.year}: {report.path} ({report.size_bytes / 1e6:.1f} MB)\n"
          f"  {report.target_rows} target rows ({report.targets} targets), {report.charts} charts; barometer "
          f"(2020 rule) green {b['green']}, yellow {b['yellow']}, red {b['red']}, not available {b['not_available']}")
    return 0


def _read(args: argparse.Namespace) -> int:
    """The read-only commands: a clear line, not a traceback, when the warehouse is busy or absent."""
    import duckdb

    from orchestration import queries
    from orchestration.warehouse import WarehouseBusy

    try:
        if args.command == "summary":
            _summary()
        elif args.command == "sql":
            return queries.sql(args.query)
        else:
            print({"status": lambda: queries.status(args.indicator, args.year, args.region, args.lang),
                   "barometer": lambda: queries.barometer(args.year, args.rule, args.lang),
                   "deliveries": lambda: queries.deliveries(args.lang)}[args.command]())
        return 0
    except (WarehouseBusy, FileNotFoundError) as exc:
        print(f"bayannur {args.command}: {exc}", file=sys.stderr)
        return 2
    except LookupError as exc:
        print(f"bayannur {args.command}: {exc.args[0]}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except duckdb.Error as exc:
        print(f"bayannur {args.command}: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bayannur", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialise every asset for a range of years, as one run")
    run.add_argument("--years", default=None, help="YEAR or FIRST-LAST (default: every partition)")
    sub.add_parser("summary", help="print what the warehouse holds (opens it read-only)")
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the answer (default zh)")
    status = sub.add_parser("status", parents=[lang], help="where one target stands, with the explanation")
    status.add_argument("indicator", help="indicator_id, or part of its Chinese or English name")
    status.add_argument("--year", type=int, default=None, help="assessment year (default: the latest tracked)")
    status.add_argument("--region", default=None, help="region code (default: every region the target applies to)")
    barometer = sub.add_parser("barometer", parents=[lang], help="the barometer of every target for a year")
    barometer.add_argument("--year", type=int, default=None, help="assessment year (default: the latest tracked)")
    barometer.add_argument("--rule", choices=["2020", "2021"], default="2020", help="NDRC rule (default 2020)")
    sub.add_parser("deliveries", parents=[lang], help="what arrived in the warehouse and what was rejected")
    sql = sub.add_parser("sql", help="a read-only SQL session on the warehouse, or one query")
    sql.add_argument("query", nargs="?", default=None, help="one statement to run (default: interactive)")
    overdue = sub.add_parser("overdue", help="list deliveries overdue by their release calendar (read-only)")
    overdue.add_argument("--today", default=None, help="evaluate on this date, YYYY-MM-DD (default: today in Beijing)")
    report = sub.add_parser("report", help="render the annual progress report (HTML) beside the warehouse")
    report.add_argument("--year", type=int, default=None, help="2021-2025 (default: the latest tracked year)")
    args = parser.parse_args(argv)

    problem = _bad_input(args)
    if problem:  # one line, exit 2, as argparse does for what it checks itself
        print(f"bayannur {args.command}: {problem}", file=sys.stderr)
        return 2
    if args.command in {"summary", "status", "barometer", "deliveries", "sql"}:
        return _read(args)
    if args.command == "overdue":
        return _overdue(args.today)
    if args.command == "report":
        return _report(args.year)
    first, last = _years(args.years)
    return _run(first, last)


def _years(text: str | None) -> tuple[str, str]:
    from orchestration import settings

    if not text:
        return settings.YEARS[0], settings.YEARS[-1]
    first, _, last = text.strip().partition("-")
    return first.strip(), (last or first).strip()


def _bad_input(args: argparse.Namespace) -> str | None:
    """What is wrong with the command line's values, in one line; None when nothing is."""
    from datetime import date

    from orchestration import settings

    span = f"{settings.YEARS[0]}-{settings.YEARS[-1]}"
    if args.command == "run" and args.years is not None:
        first, last = _years(args.years)
        for y in (first, last):
            if y not in settings.YEARS:
                return f"--years {args.years}: {y or '(empty)'} is not a year of the pipeline ({span}); write YEAR or FIRST-LAST"
        if int(first) > int(last):
            return f"--years {args.years} is reversed: write FIRST-LAST with the earlier year first ({last}-{first})"
    if getattr(args, "year", None) is not None and str(args.year) not in settings.YEARS:
        return f"--year {args.year} is not a year of the pipeline ({span})"
    if args.command == "overdue" and args.today is not None:
        try:
            date.fromisoformat(args.today)
        except ValueError:
            return f"--today {args.today!r} is not a date: write YYYY-MM-DD, e.g. 2026-04-30"
    if getattr(args, "region", None) is not None:
        known = _known_regions()
        if known is not None and args.region not in known:
            return f"--region {args.region} is not a region of the warehouse (marts.dim_region: {', '.join(sorted(known))})"
    return None


def _known_regions() -> set[str] | None:
    """Region codes of marts.dim_region in the published warehouse (None if it cannot be read)."""
    import duckdb

    from orchestration.warehouse import WarehouseBusy, connect

    try:
        with connect(read_only=True) as con:
            return {r[0] for r in con.execute("SELECT region_code FROM marts.dim_region").fetchall()}
    except (FileNotFoundError, WarehouseBusy, duckdb.Error):
        return None


if __name__ == "__main__":
    sys.exit(main())
