"""`bayannur`: run the pipeline from the command line (what `make run` calls).

    bayannur run                  every asset, every year, as one run on the local Dagster instance
    bayannur run --years 2021     the deliveries of 2021 only (dbt models are rebuilt over all years)
    bayannur run --delivery FILE  one delivery (a path under raw/) and only what depends on it
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

from orchestration.running import run as run_pipeline


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
        has_year = dict(con.execute(
            "SELECT table_schema || '.' || table_name, bool_or(column_name = 'year') FROM information_schema.columns "
            "WHERE table_schema IN ('raw', 'marts') GROUP BY ALL ORDER BY 1").fetchall())
        # One query for every table's rows and years: DuckDB runs its parts in parallel (60 queries
        # one after the other took 0.3-0.45 s at the end of each run).
        parts = [f"SELECT '{name}', count(*), {'min(year), max(year)' if year else 'NULL, NULL'} FROM {_quoted(name)}"
                 for name, year in has_year.items()]
        counts = con.execute(" UNION ALL ".join(parts) + " ORDER BY 1").fetchall() if parts else []
        tables = [tuple(name.split(".", 1)) for name in has_year]
        print(f"Warehouse {settings.WAREHOUSE_PATH.name}:")
        for name, n, lo, hi in counts:
            years = f", years {lo}-{hi}" if lo is not None else ""
            schema, table = name.split(".", 1)
            print(f"  {schema}.{table:<36} {n:>6} rows{years}")
        if ("marts", "fct_regional_gdp") in tables:
            city = load_region_tree().codes("city")[0]
            print("City GDP (亿元): current prices | at constant prices (price base) | real growth % | status")
            for year, cur, const, base, growth, status in con.execute(
                "SELECT year, gdp_current_100m_yuan, gdp_constant_100m_yuan, price_base_year, real_growth_pct, status "
                "FROM marts.fct_regional_gdp WHERE region_code = ? ORDER BY year, price_base_year", [city]
            ).fetchall():
                print(f"  {year}  {cur:9.1f} | {const:9.2f} ({base}) | {growth:+5.1f} | {status}")


def _quoted(name: str) -> str:
    schema, table = name.split(".", 1)
    return f'{schema}."{table}"'


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
    which = run.add_mutually_exclusive_group()
    which.add_argument("--years", default=None, help="YEAR or FIRST-LAST (default: every tracked year)")
    which.add_argument("--delivery", metavar="FILE", default=None,
                       help="one delivery under raw/ (e.g. statistics/regional_gdp_2024.xlsx): load it and "
                            "build only what depends on it")
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
    try:
        from orchestration import settings  # noqa: F401 - reads the environment's settings
    except ValueError as exc:  # a setting with a value it does not take: one line, as for bad arguments
        print(f"bayannur: {exc}", file=sys.stderr)
        return 2

    problem = _bad_input(args)
    if problem:  # one line, exit 2, as argparse does for what it checks itself
        print(f"bayannur {args.command}: {problem}", file=sys.stderr)
        return 2
    if args.command in {"summary", "status", "barometer", "deliveries", "sql", "departments"}:
        return _read(args)
    if args.command == "overdue":
        return _overdue(args.today)
    if args.command == "report":
        return _report(args.year)
    done = run_pipeline(args.years, _delivery(args.delivery))
    if done == 0:
        _summary()
    return done


def _delivery(text: str | None) -> str | None:
    """A delivery named on the command line as its path relative to raw/ (it may be given relative to
    raw/, to the working directory, or absolute)."""
    if text is None:
        return None
    from pathlib import Path

    from orchestration import settings

    path = Path(text)
    for candidate in (path, settings.RAW_DIR / path):
        try:
            return candidate.resolve().relative_to(settings.RAW_DIR.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _bad_input(args: argparse.Namespace) -> str | None:
    """What is wrong with the command line's values, in one line; None when nothing is."""
    from datetime import date

    from orchestration import settings

    span = f"{settings.YEARS[0]}-{settings.YEARS[-1]}"
    if args.command == "run" and args.years is not None:
        from orchestration.assets.ingestion import year_bounds  # what the ingestion step parses

        first, last = year_bounds(args.years)
        for y in (first, last):
            if y not in settings.YEARS:
                return f"--years {args.years}: {y or '(empty)'} is not a year of the pipeline ({span}); write YEAR or FIRST-LAST"
        if int(first) > int(last):
            return f"--years {args.years} is reversed: write FIRST-LAST with the earlier year first ({last}-{first})"
    if args.command == "run" and args.delivery is not None:
        from orchestration.running import deliveries_found

        rel = _delivery(args.delivery)
        if rel not in deliveries_found(settings.RAW_DIR):
            return (f"--delivery {args.delivery}: not a delivery under {settings.RAW_DIR} that a contract reads "
                    "(with its provenance file); `bayannur deliveries` and `python -m orchestration.deliveries check` list them")
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


def console() -> None:
    """The `bayannur` command: main(), then the exit handlers, then the process ends without
    Python's interpreter teardown. Freeing the objects of ~3,000 modules (dagster, dbt, polars ...)
    took 1.5 s after the imports alone and about 3 s after a run, all after the run's last line;
    everything the command wrote is closed or committed by then. An exception still exits as usual."""
    import atexit

    code = main()
    atexit._run_exitfuncs()  # noqa: SLF001 - what exit would run first: logging, multiprocessing, the suite worker
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`), as at a normal exit
            pass
    os._exit(code)


if __name__ == "__main__":
    console()
