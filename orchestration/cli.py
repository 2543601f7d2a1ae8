"""`bayannur`: run the pipeline from the command line (what `make run` calls).

    bayannur run                  every asset, every year, as one run on the local Dagster instance
    bayannur run --years 2021     the deliveries of 2021 only (dbt models are rebuilt over all years)
    bayannur summary              what the warehouse holds now (read-only)
    bayannur report [--year Y]    the annual progress report from the warehouse as it is (read-only)
"""

from __future__ import annotations

import argparse
import sys
import time


def _run(first: str, last: str) -> int:
    from dagster import DagsterInstance

    from orchestration import settings
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
    failed_checks = [c for c in checks if not c.passed]
    print()
    print(f"Run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'} in {elapsed:.1f} s: "
          f"{len(materialised)} assets materialised, {len(checks) - len(failed_checks)}/{len(checks)} checks passed.")
    for c in failed_checks:
        print(f"  check failed: {c.asset_key.to_user_string()} {c.check_name}")
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
    except (ValueError, FileNotFoundError, WarehouseBusy) as exc:
        print(f"bayannur report: {exc}", file=sys.stderr)
        return 1
    b = report.barometer_2020
    print(f"Progress report {report.year}: {report.path} ({report.size_bytes / 1e6:.1f} MB)\n"
          f"  {report.target_rows} target rows ({report.targets} targets), {report.charts} charts; barometer "
          f"(2020 rule) green {b['green']}, yellow {b['yellow']}, red {b['red']}, not available {b['not_available']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bayannur", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialise every asset for a range of years, as one run")
    run.add_argument("--years", default=None, help="YEAR or FIRST-LAST (default: every partition)")
    sub.add_parser("summary", help="print what the warehouse holds (opens it read-only)")
    report = sub.add_parser("report", help="render the annual progress report (HTML) beside the warehouse")
    report.add_argument("--year", type=int, default=None, help="2021-2025 (default: the latest tracked year)")
    args = parser.parse_args(argv)

    if args.command == "summary":
        _summary()
        return 0
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
