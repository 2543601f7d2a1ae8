"""`python -m scripts.synthetic OUT [--seed N] [--counties 2850] [--years 10] [--energy-users 20000]`

Writes a synthetic national load into OUT: OUT/raw/ (deliveries with provenance and sha256, in
the contracts' layouts), OUT/regions/ (regions.csv, region_aliases.csv: the tree to run it
with, BAYANNUR_REGIONS_DIR=OUT/regions) and OUT/SYNTHETIC.yml (what was generated, the seed).
Run the pipeline on it with BAYANNUR_RAW_DIR=OUT/raw, or `python -m scripts.benchmark national --data OUT`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scripts.synthetic.generate import UNITS_CONTRACT, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--counties", type=int, default=2850, help="county-level units in the tree, in all")
    parser.add_argument("--years", type=int, default=10, help="years a delivery, inside its suite's year range, ending at the sample's last year where it can")
    parser.add_argument("--first-year", type=int, default=None, help="start here instead (moved into the range)")
    parser.add_argument("--energy-users", type=int, default=20000, help="key energy users a year")
    parser.add_argument("--units-contract", default=UNITS_CONTRACT)
    parser.add_argument("--no-project-tree", action="store_true",
                        help="a tree of synthetic units only (the project's city and counties left out)")
    parser.add_argument("--no-province-rows", action="store_true",
                        help="no rows of level province (cities still name theirs as parent_code)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    started = time.perf_counter()
    meta = generate(args.out, args.counties, args.years, args.energy_users, args.seed, args.first_year,
                    not args.no_project_tree, args.units_contract, not args.no_province_rows)
    spans = sorted(set(meta["years"].values()))
    print(f"{args.out}: {meta['regions']} regions, {args.years} years a delivery ({', '.join(spans)}), "
          f"{len(meta['generated'])} deliveries generated, {len(meta['copied'])} copied from the sample, "
          f"{len(meta['skipped'])} skipped, in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
