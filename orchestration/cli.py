"""`bayannur`: run the pipeline from the command line (what `make run` calls).

    bayannur run                  every asset, every year, as one run on the local Dagster instance
    bayannur run --years 2021     the deliveries of 2021 only (dbt models are rebuilt over all years)
    bayannur summary              what the warehouse holds now (read-only)
    bayannur overdue              deliveries overdue by their release calendar (read-only)
"""

from __future__ import annotations

import argparse
import sys
import time


def _run(first: str, last: str) -> int:
    from dagster import DagsterInstance

    from orchestration import settings
    from orchestration.assets.timeliness import ON_TIME_CHECK
    from orchestration.definitions import defs

    job = defs.resolve_job_def("materialize_all")
    instance = DagsterInstance.get()  # $DAGSTER_HOME: the repo's .dagster/ under make
    print(f"Materialising every asset for {first}-{last} (raw deliveries: {settings.RAW_DIR}) ...",
          flush=True)
    started = time.perf_counter()
    result = job.execute_in_process(
        instance=instance,
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
        raise_on_error=False,
        # INFO: step starts and ends, each delivery read, dbt's progress; not the debug events.
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
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
    for c in failed_checks:
        print(f"  check failed: {c.asset_key.to_user_string()} {c.check_name}")
    if overdue:
        print(f"  {len(overdue)} raw tables have overdue deliveries (warnings): `bayannur overdue` lists them.")
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                error = event.step_failure_data.error
                print(f"  step {event.step_key} failed: {error.message.strip() if error else ''}")
        print("Loaded data and marts were left as they were; rejected deliveries are logged in "
              "audit.rejected_deliveries.")
        return 1
    _summary()
    return 0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bayannur", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialise every asset for a range of years, as one run")
    run.add_argument("--years", default=None, help="YEAR or FIRST-LAST (default: every partition)")
    sub.add_parser("summary", help="print what the warehouse holds (opens it read-only)")
    overdue = sub.add_parser("overdue", help="list deliveries overdue by their release calendar (read-only)")
    overdue.add_argument("--today", default=None, help="evaluate on this date, YYYY-MM-DD (default: today in Beijing)")
    args = parser.parse_args(argv)

    if args.command == "summary":
        _summary()
        return 0
    if args.command == "overdue":
        return _overdue(args.today)
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
