from __future__ import annotations

import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest
from filelock import FileLock

# Before anything imports dagster, dbt or great-expectations: no telemetry from the tests either.
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from tests.helpers import copy_raw, run_pipeline, snapshot  # noqa: E402


def _build(base: Path) -> dict:
    """The whole pipeline run once on the sample data into `base`; the run's output and snapshot.
    (The second run, which must change nothing, is test_pipeline's: on a worker's copy, while the
    other workers go on.)"""
    env = {"raw": copy_raw(base / "raw"), "warehouse": base / "warehouse" / "bayannur.duckdb",
           "dagster_home": base / "dagster_home"}
    first = run_pipeline(env["raw"], env["warehouse"], env["dagster_home"], pdf=True)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    return {"first": first, "snap1": snapshot(env["warehouse"])}


@pytest.fixture(scope="session", autouse=True)
def _suites_in_this_process() -> None:
    """great-expectations imported once per test process: the ingestion steps that tests run in it
    then check their suites here, as before, instead of starting a worker process each (an ingestion
    step starts one where great-expectations is not imported: orchestration/validation.preload)."""
    from orchestration.gx_import import import_great_expectations

    import_great_expectations()


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> dict:
    """The sample warehouse, built once per session (one run) and shared by the xdist workers: the
    first worker to get here builds it under a file lock, the others wait for it. Each worker then
    works on a private copy (landing zone, warehouse with its exports, docs and reports, Dagster
    instance), because some tests change a delivery and restore it."""
    shared_root = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    shared, record = shared_root / "built", shared_root / "built.pickle"
    with FileLock(str(shared_root / "built.lock")):
        if not record.exists():
            try:
                outcome = _build(shared)
            except AssertionError as exc:  # every worker fails with the same message, none builds again
                outcome = {"error": str(exc)}
            record.write_bytes(pickle.dumps(outcome))
    outcome = pickle.loads(record.read_bytes())
    if "error" in outcome:
        pytest.fail(f"building the sample warehouse failed: {outcome['error']}")
    mine = tmp_path_factory.mktemp("e2e")
    for part in ("raw", "warehouse", "dagster_home"):
        shutil.copytree(shared / part, mine / part, symlinks=True)
    # "as_built": the shared warehouse as the full run left it (its .dbt/ beside it), for tests that
    # need that state exactly and only read it: a worker's copy may have seen later runs of other files.
    return {**outcome, "raw": mine / "raw", "warehouse": mine / "warehouse" / "bayannur.duckdb",
            "dagster_home": mine / "dagster_home", "as_built": shared / "warehouse" / "bayannur.duckdb"}


# The files that take longest, longest first (CPU seconds of a whole-suite run, measured with
# the tests' own child processes): xdist runs files in collection order (make test passes
# --no-loadscope-reorder, which otherwise puts files with fewer tests last, and the one-test fault
# file is the second longest), so the long ones start early and the short ones fill in at the end.
# The first two alternate: one worker builds the shared warehouse inside test_pipeline while the
# other runs the second plan's own pipeline, which does not need it.
LONGEST_FIRST = ("test_pipeline.py", "test_plans.py", "test_faults.py", "test_bad_deliveries.py",
                 "test_assessments.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


TALLIES: list[dict] = []  # the corpus's tallies sent by the xdist workers


def _corpus_tally() -> dict | None:
    corpus = sys.modules.get("tests.test_bad_deliveries")
    return dict(corpus.TALLY) if corpus is not None and corpus.TALLY["tried"] else None


def pytest_sessionfinish(session):
    """In an xdist worker: send the bad-delivery corpus's tally to the controller."""
    tally = _corpus_tally()
    if tally and hasattr(session.config, "workeroutput"):
        session.config.workeroutput["corpus_tally"] = tally


def pytest_testnodedown(node, error):
    tally = getattr(node, "workeroutput", {}).get("corpus_tally")
    if tally:
        TALLIES.append(tally)


def pytest_terminal_summary(terminalreporter):
    """The bad-delivery corpus's tally (tests/test_bad_deliveries.py), when it ran."""
    tallies = TALLIES + [t for t in [_corpus_tally()] if t]
    if tallies:
        terminalreporter.write_line(f"bad-delivery corpus: {sum(t['tried'] for t in tallies)} kinds tried, "
                                    f"{sum(t['located'] for t in tallies)} gave a located error")
