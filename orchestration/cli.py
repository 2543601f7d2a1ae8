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
    bayannur departments          each department's targets and their official status (read-only)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid


def _run(first: str, last: str) -> int:
    from dagster import DagsterInstance

    from orchestration import progress, settings
    from orchestration.assets.timeliness import ON_TIME_CHECK
    from orchestration.definitions import defs

    # Phase lines on the terminal, the full log in a file (orchestration/progress.py).
    run_id = str(uuid.uuid4())
    log = progress.log_path(settings.WAREHOUSE_PATH.parent / "logs", run_id)
    phases = progress.PhaseProgress(sys.stdout, frozenset(c.node_def.name for c in defs.asset_checks or []))
    job = defs.resolve_job_def("materialize_all").with_logger_defs(progress.logger_defs(phases))
    instance = DagsterInstance.get()  # $DAGSTER_HOME: the repo's .dagster/ under make
    print(f"Materialising every asset for {first}-{last} (raw deliveries: {settings.RAW_DIR}) ...\n"
          f"  full log: {log}", flush=True)
    started = time.perf_counter()
    with progress.output_to(log):
        result = job.execute_in_process(
            instance=instance, run_id=run_id,
            tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
            raise_on_error=False, run_config=progress.run_config(log),
        )
    phases.finish()
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
    from orchestration.deliveries import unknown_files

    for rel, why in unknown_files():
        print(f"  UNKNOWN file raw/{rel}: {why} (not loaded; `bayannur deliveries` lists them)")
    if not result.success:
        print(f"  full log: {log}")
        if any(e.step_key == "dbt_models" for e in result.get_step_failure_events()):
            print("The marts downstream of a failed test were left as they were; deliveries that passed "
                  "their contracts are loaded in raw.")
        elif any(_rejected(e) for e in result.get_step_failure_events()):
            print("Loaded data and marts were left as they were; rejected deliveries are logged in "
                  "audit.rejected_deliveries.")
        else:
            print("Loaded data and marts were left as they were (no delivery was rejected).")
        return 1
    _summary()
    return 0


def _rejected(event) -> bool:
    """A step failure that is a rejected delivery (recorded in audit.rejected_deliveries)."""
    data = event.step_failure_data
    return bool(data.user_failure_data and "first_problem" in data.user_failure_data.metadata)


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
    from orchestration.regions import load_region_tree
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
            city = load_region_tree().codes("city")[0]
            print("City GDP (亿元): current prices | at constant prices (price base) | real growth % | status")
            for year, cur, const, base, growth, status in con.execute(
                "SELECT year, gdp_current_100m_yuan, gdp_constant_100m_yuan, price_base_year, real_growth_pct, status "
                "FROM marts.fct_regional_gdp WHERE region_code = ? ORDER BY year, price_base_year", [city]
            ).fetchall():
                print(f"  {year}  {cur:9.1f} | {const:9.2f} ({base}) | {growth:+5.1f} | {status}")


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
            return queries.sql(args.query, args.csv)
        elif args.command == "departments":
            from orchestration.departments import departments

            print(departments(args.year, args.department, args.lang))
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
    sql.add_argument("--csv", metavar="FILE", default=None, help="write the query's rows to FILE as CSV")
    overdue = sub.add_parser("overdue", help="list deliveries overdue by their release calendar (read-only)")
    overdue.add_argument("--today", default=None, help="evaluate on this date, YYYY-MM-DD (default: today in Beijing)")
    report = sub.add_parser("report", help="render the annual progress report (HTML) beside the warehouse")
    report.add_argument("--year", type=int, default=None, help="a year of the plan period (default: the latest tracked year)")
    deps = sub.add_parser("departments", parents=[lang], help="each department's targets and their official status")
    deps.add_argument("--year", type=int, default=None, help="assessment year (default: the latest tracked)")
    deps.add_argument("--department", default=None, help="one department_id (a commission lists its bureaus too)")
    args = parser.parse_args(argv)

    if args.command in {"summary", "status", "barometer", "deliveries", "sql", "departments"}:
        return _read(args)
    if args.command == "overdue":
        return _overdue(args.today)
    if args.command == "report":
        return _report(args.year)
    from orchestration import settings

    first, last = settings.YEARS[0], settings.YEARS[-1]
    if args.years:
        first, _, last = args.years.partition("-")
        last = last or first
        unknown = [y for y in (first, last) if y not in settings.YEARS]
        if unknown:
            parser.error(f"unknown year {unknown[0]}: partitions are {settings.YEARS[0]}-{settings.YEARS[-1]}")
    return _run(first, last)


if __name__ == "__main__":
    sys.exit(main())
