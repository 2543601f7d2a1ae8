"""Operating the pipeline for years: arrivals (the raw_arrivals sensor), revisions (vintages) and
late data (the release calendar and the delivery_on_time checks).

Expected values are worked out by hand from the sample deliveries' published figures and the
release calendar's dates, never read back from the code under test.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from dagster import AssetKey, DagsterInstance, build_sensor_context, materialize

from orchestration import settings
from orchestration.assets.ingestion import build_ingestion_asset
from orchestration.cli import main as cli
from orchestration.definitions import defs
from orchestration.deliveries import Contract
from orchestration.releases import load_releases
from orchestration.sensors import raw_arrivals
from tests.helpers import copy_raw, query, redeliver, snapshot

GDP = Contract.load(settings.CONTRACTS_DIR / "statistics" / "regional_gdp.yml")
CITY = "150800"
REVISED = "statistics/regional_gdp_2020_rev1.xlsx"


@pytest.fixture
def landing(tmp_path, monkeypatch):
    """A private copy of raw/ and an empty warehouse, wired into the settings."""
    raw = copy_raw(tmp_path / "raw")
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", tmp_path / "wh.duckdb")
    return raw


def ingest(contract, first, last):
    return materialize(
        [build_ingestion_asset(contract)],
        instance=DagsterInstance.ephemeral(),
        tags={"dagster/asset_partition_range_start": str(first), "dagster/asset_partition_range_end": str(last)},
        raise_on_error=False,
    )


# --- revisions --------------------------------------------------------------------------------

def test_revision_keeps_both_vintages_and_the_latest_wins(landing):
    assert ingest(GDP, 2020, 2021).success
    wh = settings.WAREHOUSE_PATH
    vintages = query(wh, "SELECT _vintage, status, gdp_current_100m_yuan, gdp_primary_100m_yuan, "
                     "gdp_secondary_100m_yuan, gdp_tertiary_100m_yuan, _source_file "
                     "FROM raw_vintages.statistics__regional_gdp WHERE year = 2020 AND region_code = ? ORDER BY 1",
                     [CITY])
    # The bulletin (received 2021-05-01, preliminary) and the plan's revision (2021-12-31, final).
    assert vintages == [
        (date(2021, 5, 1), "preliminary", 874.0, 221.5, 256.6, 395.9, "statistics/regional_gdp_2020.xlsx"),
        (date(2021, 12, 31), "final", 874.0, 223.2, 258.2, 392.6, REVISED),
    ]
    latest = query(wh, "SELECT status, gdp_primary_100m_yuan, gdp_secondary_100m_yuan, gdp_tertiary_100m_yuan "
                   "FROM raw.statistics__regional_gdp WHERE year = 2020 AND region_code = ?", [CITY])
    assert latest == [("final", 223.2, 258.2, 392.6)]
    # the plan's structure 25.5 : 29.5 : 44.9, and the amounts still add up to 874.0
    assert [round(100 * v / 874.0, 1) for v in latest[0][1:]] == [25.5, 29.5, 44.9]
    assert sum(latest[0][1:]) == pytest.approx(874.0)
    # the revision carries the city only: counties stay as the bulletin's file delivered them
    counties = query(wh, "SELECT DISTINCT _source_file FROM raw.statistics__regional_gdp "
                     "WHERE year = 2020 AND region_code <> ?", [CITY])
    assert counties == [("statistics/regional_gdp_2020.xlsx",)]
    assert query(wh, "SELECT count(*) FROM raw.statistics__regional_gdp WHERE year IN (2020, 2021)") == [(16,)]


def test_any_vintage_can_be_asked_for(landing):
    assert ingest(GDP, 2020, 2020).success
    as_of = "SELECT status, gdp_primary_100m_yuan FROM raw_vintages.statistics__regional_gdp__as_of(?) " \
            "WHERE year = 2020 AND region_code = '150800'"
    assert query(settings.WAREHOUSE_PATH, as_of, ["2021-06-30"]) == [("preliminary", 221.5)]
    assert query(settings.WAREHOUSE_PATH, as_of, ["2021-12-31"]) == [("final", 223.2)]
    assert query(settings.WAREHOUSE_PATH, as_of, ["2021-04-30"]) == []  # before the bulletin arrived


def test_a_revision_must_be_later_than_what_it_revises(landing):
    assert ingest(GDP, 2020, 2020).success
    before = snapshot(settings.WAREHOUSE_PATH)
    prov = landing / REVISED.replace(".xlsx", ".xlsx.provenance.yml")
    prov.write_text(prov.read_text(encoding="utf-8").replace("received: '2021-12-31'", "received: '2021-04-01'"),
                    encoding="utf-8")
    result = ingest(GDP, 2020, 2020)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert (f"{REVISED}: a revision received 2021-04-01 is not later than the delivery it revises "
            "(regional_gdp_2020.xlsx, 2021-05-01)") in failure.step_failure_data.user_failure_data.description
    assert snapshot(settings.WAREHOUSE_PATH) == before


def test_a_revision_names_what_it_revises(landing):
    prov = landing / (REVISED + ".provenance.yml")
    prov.write_text(prov.read_text(encoding="utf-8").replace("revises: regional_gdp_2020.xlsx",
                                                              "revises: regional_gdp_2021.xlsx"), encoding="utf-8")
    result = ingest(GDP, 2020, 2020)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert (f"{REVISED}: its provenance says it revises 'regional_gdp_2021.xlsx' but its name makes it a "
            "revision of 'regional_gdp_2020.xlsx'") in failure.step_failure_data.user_failure_data.description


def test_a_second_revision_wins_over_the_first(landing):
    second = landing / "statistics" / "regional_gdp_2020_rev2.xlsx"
    shutil.copy(landing / REVISED, second)
    prov = (landing / (REVISED + ".provenance.yml")).read_text(encoding="utf-8")
    second.with_name(second.name + ".provenance.yml").write_text(
        prov.replace("received: '2021-12-31'", "received: '2022-06-30'"), encoding="utf-8")
    redeliver(second, lambda ws: ws.__setitem__("C5", 223.3))
    assert ingest(GDP, 2020, 2020).success
    wh = settings.WAREHOUSE_PATH
    assert query(wh, "SELECT count(*) FROM raw_vintages.statistics__regional_gdp WHERE year = 2020 "
                 "AND region_code = '150800'") == [(3,)]
    assert query(wh, "SELECT gdp_primary_100m_yuan, _source_file FROM raw.statistics__regional_gdp "
                 "WHERE year = 2020 AND region_code = '150800'") == [(223.3, "statistics/regional_gdp_2020_rev2.xlsx")]


def test_a_table_loaded_before_vintages_moves_over_when_every_year_is_reloaded(landing):
    import duckdb

    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.statistics__regional_gdp AS SELECT 2019 AS year")
    con.close()
    partial = ingest(GDP, 2020, 2020)
    assert not partial.success
    failure = next(e for e in partial.all_events if e.is_step_failure)
    assert "was loaded before vintages were kept and holds years [2019]" in failure.step_failure_data.error.cause.message
    assert ingest(GDP, 2015, 2025).success
    assert query(settings.WAREHOUSE_PATH, "SELECT count(*) FROM raw.statistics__regional_gdp") == [(80,)]
