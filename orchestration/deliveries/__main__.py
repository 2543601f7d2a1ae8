"""`python -m orchestration.deliveries check|load [SOURCE[/DATASET]]`: parse and check every
delivery (of every contract, or of a source), listing every problem of every delivery and the
unknown files under raw/, exit 1 if there is any; `load` also writes the deliveries that pass to
the warehouse's raw schema. For developing a contract; the pipeline loads through Dagster."""

from __future__ import annotations

import argparse
import logging
import sys

import yaml

from orchestration import settings
from orchestration.deliveries.contract import load_contracts
from orchestration.deliveries.inventory import unknown_files
from orchestration.deliveries.problems import DeliveryError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.deliveries", description=__doc__)
    parser.add_argument("command", choices=["check", "load"])
    parser.add_argument("target", nargs="?", default="", help="SOURCE or SOURCE/DATASET (default: every contract)")
    args = parser.parse_args(argv)
    if args.command == "load" and not args.target:
        parser.error("load needs a SOURCE or SOURCE/DATASET")
    try:
        contracts = load_contracts()
    except (ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
        print(f"a contract is broken: {exc}", file=sys.stderr)
        return 2
    source, _, dataset = args.target.partition("/")
    contracts = [c for c in contracts if source in ("", c.source) and dataset in ("", c.dataset)]
    if not contracts:
        parser.error(f"no contract for {args.target} in orchestration/contracts/")

    from orchestration.deliveries.loading import ingest  # great-expectations: seconds to import

    quiet = logging.getLogger("deliveries")
    failed = 0
    for contract in contracts:
        if not contract.deliveries():
            print(f"{contract.table}: no deliveries match {contract.file_pattern} in raw/{contract.source}/")
            continue
        try:
            frame, _, result = ingest(contract, settings.YEARS, quiet)
        except DeliveryError as exc:
            failed += 1
            files = sorted({p.file for p in exc.problems})
            print(f"{contract.table}: REJECTED, {len(exc.problems)} problem(s) in {len(files)} file(s)")
            print("\n".join(f"  - {p}" for p in exc.problems))
            continue
        except Exception as exc:  # a bug, not bad input: still one line per contract, and go on
            failed += 1
            print(f"{contract.table}: INTERNAL ERROR ({type(exc).__name__}: {exc}); please report it")
            continue
        years = sorted(set(frame["year"].to_list()))
        checked = f"suite {result.successful}/{result.evaluated} passed" if result else "no rows"
        print(f"{contract.table}: {frame.height} rows, years {years}, {checked}")
        if args.command == "load":
            from orchestration.warehouse import replace_vintages

            replace_vintages(contract.table, contract.warehouse_columns(), contract.key, frame, years)
            print(f"  loaded into raw_vintages.{contract.table} (latest: raw.{contract.table}) of {settings.WAREHOUSE_PATH}")
    unknown = [u for u in unknown_files() if source in ("", u[0].split("/")[0])]
    for rel, why in unknown:
        print(f"unknown file raw/{rel}: {why}")
    if failed or unknown:
        print(f"{failed} of {len(contracts)} table(s) rejected, {len(unknown)} unknown file(s) under raw/")
    return 1 if failed or unknown else 0


if __name__ == "__main__":
    raise SystemExit(main())
