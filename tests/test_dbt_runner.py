"""dbt in the step's process (orchestration/dbt_runner.py) gives the Dagster events dagster-dbt's
subprocess gives: the same materialisations with their metadata keys, the same asset-check results
(passed, severity), the same failure of the step, and dbt's lines on stdout.

Each case builds one staging model and its tests on a scratch warehouse holding a hand-made raw
table, once in process and once through dagster-dbt's subprocess (BAYANNUR_DBT_SUBPROCESS).
"""

from __future__ import annotations

import duckdb
import pytest
from dagster import AssetCheckSeverity, AssetKey, AssetSelection, materialize

from orchestration import settings
from orchestration.assets.transforms import DBT_SUBPROCESS_ENV, dbt_models, dbt_resource
from orchestration.publishing.dbt_path import seed_partial_parse

MODEL = AssetKey(["staging", "stg_meteorology__weather_service"])
# raw.meteorology__weather_service as the loader writes it (the contract's columns and lineage).
RAW_COLUMNS = ("year INTEGER, region_code VARCHAR, public_coverage_pct DOUBLE, remark VARCHAR, status VARCHAR, "
               "_source_file VARCHAR, _source_sha256 VARCHAR, _source_sheet VARCHAR, _source_row INTEGER, "
               "_loaded_at TIMESTAMP WITH TIME ZONE, _vintage DATE")


def _warehouse(path, years: list[int]) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA raw")
        con.execute(f"CREATE TABLE raw.meteorology__weather_service ({RAW_COLUMNS})")
        for row, year in enumerate(years, start=2):
            con.execute("INSERT INTO raw.meteorology__weather_service VALUES "
                        "(?, '150800', 93.5, NULL, 'final', 'weather_service.csv', 'x', NULL, ?, now(), NULL)",
                        [year, row])
    finally:
        con.close()


def _build(tmp_path, monkeypatch, years: list[int], subprocess: bool):
    """Materialise the model and its checks; returns (result, stdout)."""
    folder = tmp_path / ("subprocess" if subprocess else "in_process")
    folder.mkdir()
    warehouse = folder / "bayannur.duckdb"
    _warehouse(warehouse, years)
    monkeypatch.setenv("BAYANNUR_WAREHOUSE", str(warehouse))  # dbt's profile
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", warehouse)  # the metadata reader (no working file here)
    monkeypatch.setenv("DBT_TARGET_PATH", str(folder / "target"))  # not the project's target/
    seed_partial_parse(folder / "target")  # both start from the project's saved parse
    if subprocess:
        monkeypatch.setenv(DBT_SUBPROCESS_ENV, "1")
    else:
        monkeypatch.delenv(DBT_SUBPROCESS_ENV, raising=False)
    return materialize([dbt_models], selection=AssetSelection.assets(MODEL), resources={"dbt": dbt_resource()},
                       raise_on_error=False)


def _failure(result) -> str:
    """The step's failure: its error and the errors it wraps, as one text."""
    (failure,) = result.get_step_failure_events()
    error, text = failure.step_failure_data.error, ""
    while error is not None:
        text, error = text + error.message, error.cause
    return text


def _checks(result) -> dict[str, tuple[bool, AssetCheckSeverity, str]]:
    return {c.check_name: (c.passed, c.severity, c.metadata["status"].value)
            for c in result.get_asset_check_evaluations() if c.asset_key == MODEL}


def _materialised(result) -> dict[AssetKey, set[str]]:
    return {m.asset_key: set(m.metadata) for m in result.get_asset_materialization_events()
            for m in [m.event_specific_data.materialization]}


def test_a_passing_build_in_process_gives_dagster_dbts_events(tmp_path, monkeypatch, capsys):
    in_process = _build(tmp_path, monkeypatch, [2020, 2021, 2022], subprocess=False)
    shown = capsys.readouterr().out
    subprocess = _build(tmp_path, monkeypatch, [2020, 2021, 2022], subprocess=True)
    assert in_process.success and subprocess.success
    # The model, with dagster-dbt's metadata and ours (dbt_metadata.py: its columns, and its rows: 3, one per year).
    assert _materialised(in_process) == _materialised(subprocess)
    meta = in_process.asset_materializations_for_node("dbt_models")[0].metadata
    assert meta["unique_id"].value == "model.bayannur.stg_meteorology__weather_service"
    assert meta["dagster/table_name"].value == "staging.stg_meteorology__weather_service"
    # the staging model's columns: the five it selects and the six lineage columns (macro lineage_columns)
    assert len(meta["dagster/column_schema"].value.columns) == 11 and meta["dagster/row_count"].value == 3
    # Its three tests (YAML: unique_combination, unbroken_years, unique on year), all passing, as errors if they failed.
    checks = _checks(in_process)
    assert len(checks) == 3 and checks == _checks(subprocess)
    assert all(c == (True, AssetCheckSeverity.ERROR, "pass") for c in checks.values())
    # dbt's lines, as dagster-dbt writes them, in the step's stdout (the run's log).
    assert "START sql table model staging.stg_meteorology__weather_service" in shown
    assert "OK created sql table model staging.stg_meteorology__weather_service" in shown


def test_a_failing_test_fails_its_check_and_the_step_as_before(tmp_path, monkeypatch):
    # 2021 twice: `unique` on year and the unique combination of (region, year) fail; the years are unbroken.
    years = [2020, 2021, 2021, 2022]
    in_process = _build(tmp_path, monkeypatch, years, subprocess=False)
    subprocess = _build(tmp_path, monkeypatch, years, subprocess=True)
    assert not in_process.success and not subprocess.success
    checks = _checks(in_process)
    assert checks == _checks(subprocess)
    failed = {name for name, (passed, _, _) in checks.items() if not passed}
    assert len(failed) == 2 and all(name.startswith("unique") for name in failed), checks
    assert all(checks[name] == (False, AssetCheckSeverity.ERROR, "fail") for name in failed)
    # The model was built before its tests failed: materialised in both.
    assert _materialised(in_process) == _materialised(subprocess) != {}
    assert "dbt build" in _failure(in_process)


@pytest.mark.parametrize("subprocess", [False, True])
def test_a_failing_model_fails_the_step_with_dbts_error(tmp_path, monkeypatch, subprocess):
    # No raw table at all: the view's SQL names a table the warehouse does not have.
    warehouse = tmp_path / "bayannur.duckdb"
    duckdb.connect(str(warehouse)).close()
    monkeypatch.setenv("BAYANNUR_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    seed_partial_parse(tmp_path / "target")
    monkeypatch.setenv(DBT_SUBPROCESS_ENV, "1") if subprocess else monkeypatch.delenv(DBT_SUBPROCESS_ENV, raising=False)
    result = materialize([dbt_models], selection=AssetSelection.assets(MODEL), resources={"dbt": dbt_resource()},
                         raise_on_error=False)
    assert not result.success
    assert result.get_asset_materialization_events() == []
    assert "meteorology__weather_service" in _failure(result)
