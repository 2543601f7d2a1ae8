"""How the suites are run (orchestration/validation.py, deliveries/loading.py): quickly, but with
the same verdicts and the same located messages as one full run per file in COMPLETE format."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading

import polars as pl
import pytest

from orchestration import settings, suite_engine, suite_rewrite, validation
from orchestration.deliveries import Contract, DeliveryError, read_delivery
from orchestration.deliveries.loading import check_aside, ingest, read
from tests.bad_delivery_kit import xl
from tests.helpers import copy_raw

LOG = logging.getLogger("test-validation")
STOCK = Contract.load(settings.CONTRACTS_DIR / "forestry" / "forest_stock.yml")
RESOURCES = Contract.load(settings.CONTRACTS_DIR / "forestry" / "forest_resources.yml")
FR_FILE = "forestry/forest_resources_2022.xlsx"
# raw/forestry/forest_resources_2022.xlsx, sheet 森林蓄积量, row 5 is 临河区: 38.61 万立方米 of forest
# stock, 47.11 of all standing timber. 50 of forest stock passes the contract (the city row on row 4
# follows: 275.8 - 38.61 + 50 = 287.19) but not the suite: more forest stock than standing timber.
STOCK_ABOVE_TIMBER = xl(FR_FILE, ("B5", 50), ("B4", 287.19), sheet="森林蓄积量")
FAILS = ("fails expect_column_pair_values_a_to_be_greater_than_b(column_A=live_stock_10k_m3, "
         "column_B=forest_stock_10k_m3, or_equal=True)")
EXPECTED = f"{FR_FILE}, sheet '森林蓄积量', row 5, column live_stock_10k_m3, forest_stock_10k_m3: {FAILS}"


@pytest.fixture
def raw(tmp_path, monkeypatch):
    raw = copy_raw(tmp_path / "raw")
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    return raw


def stock_2022(raw):
    return read_delivery(STOCK, raw / FR_FILE, "2022", raw)


def test_a_failing_frame_is_located(raw):
    STOCK_ABOVE_TIMBER(raw)
    result = validation.validate(stock_2022(raw), STOCK.suite_path)  # batch.validate of an unsaved suite
    assert [str(p) for p in result.problems] == [EXPECTED]
    # 9 expectations in expectations/forestry/forest_stock.json, 1 of them fails
    assert (result.evaluated, result.successful) == (9, 8)


def test_a_passing_frame_gives_its_counts(raw):
    result = validation.validate(stock_2022(raw), STOCK.suite_path)
    assert result.success and (result.evaluated, result.successful) == (9, 9)


def test_a_changed_suite_is_run_as_changed(raw, tmp_path):
    """Suites are kept per process and suite text: an edited file is not run from the old copy."""
    suite = json.loads(STOCK.suite_path.read_text(encoding="utf-8"))
    path = tmp_path / "forest_stock.json"
    path.write_text(json.dumps(suite), encoding="utf-8")
    frame = stock_2022(raw)
    assert validation.validate(frame, path).success
    # of the sheet's forest stocks (275.8, 38.61, 35.85, 33.1, 82.74, 22.06, 19.31, 44.13 on rows 4-11)
    # only 乌拉特后旗's 19.31 on row 10 is below a minimum of 20
    suite["expectations"][6]["kwargs"]["min_value"] = 20
    path.write_text(json.dumps(suite), encoding="utf-8")
    assert [p.row for p in validation.validate(frame, path).problems] == [10]


def test_a_file_shared_by_two_contracts_is_rejected_alone(raw):
    """The other contract's suite runs once on every shared file; when it fails, file by file: the
    2022 workbook is named, with the same message as when it is read alone, the four others not."""
    STOCK_ABOVE_TIMBER(raw)
    with pytest.raises(DeliveryError) as every_year:
        ingest(RESOURCES, settings.YEARS, LOG, raw)
    with pytest.raises(DeliveryError) as one_year:
        ingest(RESOURCES, ["2022"], LOG, raw)
    shared = (f"{FR_FILE}, sheet '森林蓄积量', row 5, column live_stock_10k_m3, forest_stock_10k_m3: rejected as "
              f"raw.forestry__forest_stock (a file is loaded whole or not at all): {FAILS}")
    assert [str(p) for p in every_year.value.problems] == [shared]
    assert [str(p) for p in one_year.value.problems] == [shared]


def test_subset_closed_suites():
    """A suite whose verdict on all shared files together stands for each of them."""
    assert validation.validates_subsets(STOCK.suite_path)
    assert all(validation.validates_subsets(p) for p in settings.EXPECTATIONS_DIR.glob("*/*.json"))


def test_a_suite_with_mostly_is_not_subset_closed(tmp_path):
    suite = json.loads(STOCK.suite_path.read_text(encoding="utf-8"))
    # 9 of 10 rows in range pass with mostly 0.9, and a subset of 1 row (the 10th) does not
    suite["expectations"][6]["kwargs"]["mostly"] = 0.9
    path = tmp_path / "mostly.json"
    path.write_text(json.dumps(suite), encoding="utf-8")
    assert not validation.validates_subsets(path)


def test_the_worker_process_gives_what_this_process_gives(raw):
    """The suites' worker (what an ingestion step starts): the same results as in this process,
    and when it is gone the suite runs here."""
    passing = stock_2022(raw)
    STOCK_ABOVE_TIMBER(raw)
    failing = stock_2022(raw)
    here = [validation.validate(f, STOCK.suite_path) for f in (passing, failing)]
    suite_engine._WORKER.append(suite_engine._Worker())  # start_worker() starts none where gx is imported
    worker = suite_engine._WORKER[0]
    try:
        assert [validation.validate(f, STOCK.suite_path) for f in (passing, failing)] == here
        assert worker.process.poll() is None  # it answered, and it is the one still running
        worker.process.kill()
        worker.process.wait()
        assert validation.validate(failing, STOCK.suite_path) == here[1]
        assert not suite_engine._WORKER
    finally:
        validation.stop()


def test_a_worker_for_any_reading_but_none_for_nothing_to_read(raw, monkeypatch):
    started = []
    monkeypatch.setattr(suite_engine, "start_worker", lambda: started.append(True))
    validation.preload([raw / "statistics" / "no_such_file.xlsx"])  # nothing to read: no worker
    assert started == []
    validation.preload([raw / "statistics" / "regional_gdp_2024.xlsx"])  # one workbook of a few kB
    assert started == [True]


def test_suites_hold_no_year_and_no_region_code():
    # years and codes are data (plans seed, region tree), given to the suites as placeholders
    literal = []
    for path in sorted(settings.EXPECTATIONS_DIR.glob("*/*.json")):
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            kw = e["kwargs"]
            column = kw.get("column", "")
            if column == "year" or column.endswith("_year"):
                literal += [(path.name, column, k) for k in ("min_value", "max_value") if isinstance(kw.get(k), int)]
            if column.startswith("region") and "value_set" in kw and not str(kw["value_set"]).startswith("$"):
                literal.append((path.name, column, "value_set"))
    assert literal == []
    # the sample's only plan runs 2021-2025 (transforms/seeds/catalog/plans.csv)
    assert validation._expand("$first_plan_year") == 2021


def test_great_expectations_is_imported_without_what_the_suites_never_use():
    """The worker's import (orchestration/gx_import.py): scipy.stats and altair wait until used,
    sqlalchemy is left out, the frame is not hashed; a suite still runs, and scipy works when used."""
    code = """if True:
        import json, sys
        import polars as pl
        from orchestration import suite_engine
        spec = {"name": "t", "expectations": [
            {"type": "expect_column_values_to_be_between", "kwargs": {"column": "x", "min_value": 0, "max_value": 2}}]}
        outcome = suite_engine.run_suite(spec, pl.DataFrame({"x": [1, 2, 3]}), ["x"], 3)
        from great_expectations.execution_engine import pandas_execution_engine  # imported by now
        lazy = [type(sys.modules[m]).__name__ for m in ("scipy.stats", "altair")]
        before = "sqlalchemy" in sys.modules
        entropy = sys.modules["scipy.stats"].entropy([0.5, 0.5])
        print(json.dumps([lazy, before, pandas_execution_engine.HASH_THRESHOLD,
                          [f.indexes for f in outcome.failures], entropy]))
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=settings.PROJECT_ROOT).stdout
    lazy, sqlalchemy, threshold, failures, entropy = json.loads(out.strip().splitlines()[-1])
    assert lazy == ["_LazyModule", "_LazyModule"] and sqlalchemy is False and threshold == 0
    assert failures == [[2]]  # 3 is the only value outside 0-2, at row index 2
    assert entropy == pytest.approx(0.693147, abs=1e-6)  # ln 2: two equally likely outcomes


PAIRS_SUITE = {"name": "pairs", "expectations": [
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "animal"}},
    {"type": "expect_column_pair_values_to_be_in_set",
     "kwargs": {"column_A": "animal", "column_B": "unit", "value_pairs_set": [["pigs", "万头"], ["sheep", "万只"], ["a1:", "b"]]}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "unit"}},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "animal", "value_set": ["pigs", "sheep", "a", "a1:"]}},
]}


def test_a_pair_in_set_checked_on_a_key_column_fails_the_rows_great_expectations_fails(monkeypatch):
    frame = pl.DataFrame({"animal": ["pigs", "sheep", "pigs", None, None, "goats", "a", "a1:"],
                          "unit": ["万头", "万头", None, None, "万只", "万只", "1:b", "b"]})
    rewritten = suite_engine.run_suite(PAIRS_SUITE, frame, frame.columns, frame.height)
    # Rows by index: 0 (pigs, 万头) and 7 (a1:, b) are pairs of the set; 3 (null, null) is ignored
    # (ignore_row_if both_values_are_missing); 1 (sheep, 万头), 2 (pigs, null), 4 (null, 万只) and
    # 5 (goats, 万只) are not pairs of the set, nor is 6 (a, 1:b), whose text joined is that of row 7.
    pair = rewritten.failures[2]
    assert (pair.type, pair.indexes) == ("expect_column_pair_values_to_be_in_set", [1, 2, 4, 5, 6])
    assert pair.kwargs["value_pairs_set"] == [("pigs", "万头"), ("sheep", "万只"), ("a1:", "b")]
    # 4 expectations, all failing: no animal on rows 3 and 4, no unit on 2 and 3, goats (row 5) not
    # an animal of the set. great-expectations reports them grouped by column in order of first
    # appearance: animal (the 1st and 4th), those without a column (the pair), unit.
    assert (rewritten.evaluated, rewritten.successful) == (4, 0)
    assert [f.indexes for f in rewritten.failures] == [[3, 4], [5], [1, 2, 4, 5, 6], [2, 3]]
    monkeypatch.setattr(suite_rewrite, "_rewritable", lambda *a: False)  # great-expectations' row-by-row check
    assert suite_engine.run_suite(PAIRS_SUITE, frame, frame.columns, frame.height) == rewritten


class _Lines:
    def __init__(self):
        self.lines = []

    def info(self, message):
        self.lines.append(message)


def test_a_table_checked_aside_gives_what_check_gives_and_logs_when_replayed(raw):
    """check_aside (the ingestion step's thread) keeps check()'s log lines and its verdict for the
    step's own thread: the 2022 workbook rejected as alone, a line for 2030 (no file of that year)."""
    STOCK_ABOVE_TIMBER(raw)
    reading = read(STOCK, ["2022", "2030"], LOG, raw)
    checked = check_aside(reading)
    log = _Lines()
    assert log.lines == []  # nothing logged before the replay
    with pytest.raises(DeliveryError) as rejected:
        checked.replay(log)
    assert [str(p) for p in rejected.value.problems] == [EXPECTED]
    assert [line.split(" (")[0] for line in log.lines] == ["forestry__forest_stock: no rows for 2030"]
    passing = check_aside(read(STOCK, ["2021"], LOG, raw)).replay(_Lines())
    # forest_resources_2021.xlsx: 8 rows (the city and its 7 counties) of forest stock
    assert passing[0].height == 8 and passing[1] == [] and passing[2].success
