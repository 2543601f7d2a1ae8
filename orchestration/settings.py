"""Paths and constants, each overridable by an environment variable.

Nothing here is absolute: defaults are relative to the repository root, so a clone works wherever
it lands. Importing this module also sets the telemetry switches off (dbt and great-expectations
would otherwise try to reach the network; dagster's is off in the instance's dagster.yaml).
"""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.plans import load_plans, tracked_years

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(env_var: str, default: Path) -> Path:
    value = os.environ.get(env_var)
    return Path(value).expanduser().resolve() if value else default


RAW_DIR = _path("BAYANNUR_RAW_DIR", PROJECT_ROOT / "raw")
WAREHOUSE_PATH = _path("BAYANNUR_WAREHOUSE", PROJECT_ROOT / "warehouse" / "bayannur.duckdb")
CONTRACTS_DIR = PROJECT_ROOT / "orchestration" / "contracts"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DBT_PROJECT_DIR = PROJECT_ROOT / "transforms"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"

# The years follow from the plans (seeds/catalog/plans.csv, orchestration/plans.py): from the
# previous period's base year (its review figures) to the end of the period after the latest plan.
PLANS = load_plans(SEEDS_DIR)
BASE_YEAR = min(p.base_year for p in PLANS)
YEARS = [str(y) for y in tracked_years(PLANS)]

# dbt reads the warehouse path from the environment (transforms/profiles.yml); setting it here
# keeps the Python assets and the dbt subprocesses on the same file.
os.environ["BAYANNUR_WAREHOUSE"] = str(WAREHOUSE_PATH)
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# The reports' PDFs, printed by headless Chromium (2-4 s a report, when the marts changed): "auto"
# prints them where Chromium is installed, "off" writes the HTML pages only (runs whose PDFs nobody
# reads, such as the tests' or a frequent sensor's).
REPORT_PDF = os.environ.get("BAYANNUR_REPORT_PDF", "auto").strip().lower() or "auto"
if REPORT_PDF not in ("auto", "off"):
    raise ValueError(f"BAYANNUR_REPORT_PDF={os.environ['BAYANNUR_REPORT_PDF']!r}: write auto (the default) or off")
