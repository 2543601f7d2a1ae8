"""As assessed = as published then (issues 7 and 13): a year's frozen assessment is what the
bureau issued (a reviewed file, loaded as data) or the tracking rows as they stood on the
assessment date, never today's rows frozen under an old date by the first run over backfilled
deliveries; a later revision moves the current tracking rows but never the frozen ones."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from tests.helpers import copy_raw, query, reseal, run_pipeline

FROZEN = "SELECT * FROM audit.frozen_assessments ORDER BY indicator_id, region_code, year"


def test_only_years_the_deliveries_known_on_the_assessment_date_support_are_frozen(built):
    years = query(built["warehouse"], "SELECT year, origin, CAST(min(frozen_at) AS DATE), count(*), "
                  "count(DISTINCT run_id) FROM audit.frozen_assessments GROUP BY year, origin ORDER BY year")
    per_year = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking WHERE year = 2024")[0][0]
    # The sample's 2021-2023 values of several tables (weather service, grassland, population, ...) sit in
    # files received in 2025, after those years' assessment dates (31 October of the next year): not
    # frozen. 2024's inputs were all received by 2025-10-31 (the energy balance on 2025-09-30): frozen,
    # dated the assessment date, by the first run.
    assert years == [(2024, "rebuilt_from_vintages", date(2025, 10, 31), per_year, 1)]


def test_a_revision_moves_the_tracking_but_not_the_frozen_assessment(built, tmp_path):
    raw = copy_raw(tmp_path / "raw")
    warehouse = tmp_path / "warehouse" / "bayannur.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(built["warehouse"], warehouse)
    frozen_before = query(warehouse, FROZEN)
    # the meteorology bureau re-sends its table with 2024 revised from 94.5 % to 93.5 %
    delivery = raw / "meteorology" / "weather_service.csv"
    data = delivery.read_bytes()  # UTF-8 with BOM, CRLF: bytes kept as delivered but for the value
    assert "2024年,94.5%".encode() in data
    delivery.write_bytes(data.replace("2024年,94.5%".encode(), "2024年,93.5%".encode()))
    reseal(delivery)
    done = run_pipeline(raw, warehouse, tmp_path / "dagster_home", "--delivery", "meteorology/weather_service.csv")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    current = query(warehouse, "SELECT actual_value, barometer_2020 FROM marts.fct_target_tracking "
                    "WHERE indicator_id = 'weather_service_coverage' AND year = 2024")
    assert current == [(93.5, "red")]  # required 92 + 3 x 4/5 = 94.4; the rise of 1.5 misses 0.9 of 2.4 (37.5 %)
    assert query(warehouse, FROZEN) == frozen_before  # every frozen row, timestamps included
    revision = query(warehouse, "SELECT actual_value_as_assessed, actual_value_as_revised, "
                     "barometer_2020_as_assessed, barometer_2020_as_revised, revised FROM audit.assessment_revisions "
                     "WHERE indicator_id = 'weather_service_coverage' AND year = 2024")
    assert revision == [(94.5, 93.5, "green", "red", True)]


def test_an_issued_assessment_is_loaded_as_data(built, tmp_path, monkeypatch):
    from orchestration import settings
    from orchestration.assessments import freeze_complete_years

    warehouse = tmp_path / "bayannur.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", warehouse)
    directory = tmp_path / "assessments"
    shutil.copytree(settings.PROJECT_ROOT / "assessments", directory)
    (directory / "issued" / "assessment_2022.csv").write_text(
        "indicator_id,region_code,year,actual_value,progress_value,official_status,issued_on,document,source\n"
        "energy_per_gdp,150800,2022,1.2601,1.46,yellow,2023-06-30,市发改委通报（测试用）,hand-made test file\n"
        "forest_cover,150800,2022,6.6,6.6,red,2023-06-30,市发改委通报（测试用）,hand-made test file\n",
        encoding="utf-8")
    result = freeze_complete_years("test", directory=directory, on=date(2026, 1, 1))
    assert result.issued_now == [2022] and result.rows == 2
    assert 2023 in result.not_ready and 2024 in result.already_frozen
    assert query(warehouse, "SELECT indicator_id, actual_value, official_status, origin, assessed_on, document "
                 "FROM audit.frozen_assessments WHERE year = 2022 ORDER BY indicator_id") == [
        ("energy_per_gdp", 1.2601, "yellow", "issued", date(2023, 6, 30), "市发改委通报（测试用）"),
        ("forest_cover", 6.6, "red", "issued", date(2023, 6, 30), "市发改委通报（测试用）")]

    (directory / "issued" / "assessment_2023.csv").write_text(
        "indicator_id,region_code,year,actual_value,progress_value,official_status,issued_on,document,source\n"
        "forest_cover,150800,2023,6.7,6.7,purple,2024-06-30,x,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"assessment_2023.csv, line 2: official_status 'purple'"):
        freeze_complete_years("test", directory=directory, on=date(2026, 1, 1))
