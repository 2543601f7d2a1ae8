"""As assessed vs as revised (issue 7): each year's tracking rows are frozen the first time every
Table-1 indicator of the year can be judged, and a later revision of a delivery moves the current
tracking rows but never the frozen ones."""

from __future__ import annotations

import shutil

from tests.helpers import copy_raw, query, reseal, run_pipeline

FROZEN = "SELECT * FROM audit.frozen_assessments ORDER BY indicator_id, region_code, year"


def test_first_run_freezes_the_complete_years_once(built):
    years = query(built["warehouse"], "SELECT year, count(*), count(DISTINCT run_id) FROM audit.frozen_assessments "
                  "GROUP BY year ORDER BY year")
    per_year = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking WHERE year = 2021")[0][0]
    # the sample judges every Table-1 indicator for 2021-2024; 2025 has no data yet
    assert years == [(y, per_year, 1) for y in (2021, 2022, 2023, 2024)]
    # frozen by the first of the two session runs, untouched by the second
    assert len({r[0] for r in query(built["warehouse"], "SELECT DISTINCT run_id FROM audit.frozen_assessments")}) == 1


def test_a_revision_moves_the_tracking_but_not_the_frozen_assessment(built, tmp_path):
    raw = copy_raw(tmp_path / "raw")
    warehouse = tmp_path / "warehouse" / "bayannur.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(built["warehouse"], warehouse)
    frozen_before = query(warehouse, FROZEN)
    # the meteorology bureau re-sends its table with 2023 revised from 94.0 % to 93.0 %
    delivery = raw / "meteorology" / "weather_service.csv"
    data = delivery.read_bytes()  # UTF-8 with BOM, CRLF: bytes kept as delivered but for the value
    assert "2023年,94.0%".encode() in data
    delivery.write_bytes(data.replace("2023年,94.0%".encode(), "2023年,93.0%".encode()))
    reseal(delivery)
    done = run_pipeline(raw, warehouse, tmp_path / "dagster_home", "--years", "2023")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    current = query(warehouse, "SELECT actual_value, barometer_2020 FROM marts.fct_target_tracking "
                    "WHERE indicator_id = 'weather_service_coverage' AND year = 2023")
    assert current == [(93.0, "red")]  # required 92 + 3 x 3/5 = 93.8; the rise of 1.0 misses 0.8 of 1.8 (44 %)
    assert query(warehouse, FROZEN) == frozen_before  # every frozen row, timestamps included
    revision = query(warehouse, "SELECT actual_value_as_assessed, actual_value_as_revised, actual_revision, "
                     "barometer_2020_as_assessed, barometer_2020_as_revised, revised FROM audit.assessment_revisions "
                     "WHERE indicator_id = 'weather_service_coverage' AND year = 2023")
    assert revision == [(94.0, 93.0, -1.0, "green", "red", True)]
    assert query(warehouse, "SELECT count(*) FROM audit.assessment_revisions WHERE revised") == [(1,)]
