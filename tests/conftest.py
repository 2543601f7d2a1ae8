from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports dagster, dbt or great-expectations: no telemetry from the tests either.
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from tests.helpers import copy_raw, run_pipeline, snapshot  # noqa: E402


@pytest.fixture(scope="session")
def pipeline_env(tmp_path_factory) -> dict[str, Path]:
    """A landing zone copied from raw/, an empty warehouse and Dagster instance in a temp dir."""
    base = tmp_path_factory.mktemp("e2e")
    return {
        "raw": copy_raw(base / "raw"),
        "warehouse": base / "warehouse" / "bayannur.duckdb",
        "dagster_home": base / "dagster_home",
    }


@pytest.fixture(scope="session")
def built(pipeline_env) -> dict:
    """The whole pipeline run twice on the sample data; both runs' outputs and warehouse snapshots."""
    first = run_pipeline(pipeline_env["raw"], pipeline_env["warehouse"], pipeline_env["dagster_home"])
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    snap1 = snapshot(pipeline_env["warehouse"])
    second = run_pipeline(pipeline_env["raw"], pipeline_env["warehouse"], pipeline_env["dagster_home"])
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-4000:]
    return {"first": first, "second": second, "snap1": snap1,
            "snap2": snapshot(pipeline_env["warehouse"]), **pipeline_env}


def pytest_terminal_summary(terminalreporter):
    """The bad-delivery corpus's tally (tests/test_bad_deliveries.py), when it ran."""
    import sys

    corpus = sys.modules.get("tests.test_bad_deliveries")
    if corpus is not None and corpus.TALLY["tried"]:
        terminalreporter.write_line(f"bad-delivery corpus: {corpus.TALLY['tried']} kinds tried, "
                                    f"{corpus.TALLY['located']} gave a located error")
