"""Operating the pipeline for years: arrivals (the raw_arrivals sensor), revisions (vintages) and
late data (the release calendar and the delivery_on_time checks).

Expected values are worked out by hand from the sample deliveries' published figures and the
release calendar's dates, never read back from the code under test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from datetime import date

import pytest
from dagster import AssetKey, DagsterInstance, build_sensor_context, materialize

from orchestration import settings
from orchestration.assets.ingestion import ingestion_assets, years_config
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
        [ingestion_assets([contract])],
        instance=DagsterInstance.ephemeral(),
        run_config=years_config(f"{first}-{last}"),
        raise_on_error=False,
    )


# --- arrivals ---------------------------------------------------------------------------------

def evaluate(cursor):
    context = build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def(),
                                   instance=DagsterInstance.ephemeral())
    result = raw_arrivals.evaluate_tick(context)
    return result.run_requests or [], result.cursor


def keys(request) -> set[str]:
    return {k.to_user_string() for k in request.asset_selection}


def years_of(request) -> str:
    """The years the run loads: the ingestion step's config, as the tag shows them."""
    years = request.run_config["ops"]["ingest_deliveries"]["config"]["years"]
    assert request.tags["bayannur/years"] == years
    return years


def test_new_delivery_triggers_exactly_one_run_for_its_asset_and_year(landing, tmp_path):
    held = tmp_path / "held"
    held.mkdir()
    for name in ("regional_gdp_2024.xlsx", "regional_gdp_2024.xlsx.provenance.yml"):
        shutil.move(landing / "statistics" / name, held / name)

    # The first evaluation (no cursor yet) loads everything present, as one run.
    requests, cursor = evaluate(None)
    assert len(requests) == 1 and requests[0].run_key.startswith("initial:")
    assert requests[0].asset_selection is None  # the whole job: seeds too, which a first load needs
    assert years_of(requests[0]) == "2015-2030"  # settings.YEARS
    assert "statistics/regional_gdp_2023.xlsx" in json.loads(cursor)

    # The delivery arrives: one run, its asset for 2024 and what is downstream, nothing else raw.
    for name in ("regional_gdp_2024.xlsx", "regional_gdp_2024.xlsx.provenance.yml"):
        shutil.move(held / name, landing / "statistics" / name)
    requests, cursor = evaluate(cursor)
    assert len(requests) == 1
    (request,) = requests
    assert request.run_key.startswith("statistics/regional_gdp_2024.xlsx:")
    assert years_of(request) == "2024"
    assert {"raw/statistics__regional_gdp", "staging/stg_statistics__regional_gdp",
            "intermediate/int_regional_gdp_chain_linked", "marts/fct_regional_gdp",
            "marts/fct_energy_carbon"} <= keys(request)
    assert {k for k in keys(request) if k.startswith("raw/")} == {"raw/statistics__regional_gdp"}
    assert "staging/stg_energy__power" not in keys(request)

    # Nothing new: no run.
    assert evaluate(cursor)[0] == []

    # The same file changed (re-sent with a new checksum): one new run, under a new key.
    redeliver(landing / "statistics" / "regional_gdp_2024.xlsx", lambda ws: ws.__setitem__("B5", 1216.0))
    (changed,), cursor = evaluate(cursor)
    assert changed.run_key.startswith("statistics/regional_gdp_2024.xlsx:") and changed.run_key != request.run_key
    assert evaluate(cursor)[0] == []


def test_several_year_file_runs_every_year_and_waits_for_its_provenance(landing):
    _, cursor = evaluate(None)
    population = landing / "statistics" / "population.csv"
    provenance = population.with_name("population.csv.provenance.yml")
    kept = provenance.read_bytes()
    population.write_bytes(population.read_bytes())  # same bytes: not a new delivery
    assert evaluate(cursor)[0] == []
    provenance.unlink()  # a re-delivery whose provenance has not landed yet: wait for it
    requests, cursor = evaluate(cursor)
    assert requests == []
    provenance.write_bytes(kept + b"# resent\n")
    (request,), _ = evaluate(cursor)
    assert request.run_key.startswith("statistics/population.csv:")
    assert years_of(request) == "2015-2030"  # settings.YEARS
    assert {k for k in keys(request) if k.startswith("raw/")} == {"raw/statistics__population"}


def test_a_file_read_by_two_contracts_is_one_run_of_both(landing):
    _, cursor = evaluate(None)
    redeliver(landing / "forestry" / "forest_resources_2023.xlsx", lambda ws: None)
    (request,), _ = evaluate(cursor)
    assert {k for k in keys(request) if k.startswith("raw/")} == {
        "raw/forestry__forest_resources", "raw/forestry__forest_stock"}


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
        prov.replace("received: '2021-12-31'", "received: '2022-06-30'")
        .replace(f"file: {Path(REVISED).name}", f"file: {second.name}"), encoding="utf-8")
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


# --- late data --------------------------------------------------------------------------------

def test_release_calendar_due_dates():
    releases = load_releases()
    gdp, balance = releases["statistics__regional_gdp"], releases["energy__energy_balance"]
    assert gdp.due_date(2025) == date(2026, 4, 30)  # the bulletin, by the end of April
    assert balance.due_date(2025) == date(2026, 9, 30)  # the energy balance, by the end of September
    loaded = set(range(2015, 2025))
    assert gdp.overdue(loaded, date(2026, 4, 30)) == []  # due today: not late yet
    assert gdp.overdue(loaded, date(2026, 5, 1)) == [2025]
    assert balance.overdue(set(range(2020, 2025)), date(2026, 5, 1)) == []
    assert balance.overdue(set(range(2020, 2024)), date(2026, 5, 1)) == [2024]  # due 2025-09-30


def test_overdue_source_is_flagged_and_on_time_one_is_not(landing, monkeypatch, capsys):
    # Statistics delivered 2015-2024 and loaded; power (energy, due 31 March) never loaded.
    assert ingest(GDP, 2015, 2025).success
    monkeypatch.setenv("BAYANNUR_TODAY", "2026-03-01")
    result = defs.resolve_job_def("check_deliveries_on_time").execute_in_process(
        instance=DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success  # warnings do not fail the run
    by_table = {c.asset_key: c for c in result.get_asset_check_evaluations()}
    assert len(by_table) == 30
    gdp = by_table[AssetKey(["raw", "statistics__regional_gdp"])]
    assert gdp.passed  # 2025 is due on 2026-04-30
    power = by_table[AssetKey(["raw", "energy__power"])]
    assert not power.passed and power.severity.value == "WARN"
    # 2020-2024 due on 31 March of the following year, all before 2026-03-01
    assert power.metadata["overdue_years"].value == [2020, 2021, 2022, 2023, 2024]
    weather = by_table[AssetKey(["raw", "meteorology__weather_service"])]
    assert weather.metadata["overdue_years"].value == [2020, 2021, 2022, 2023, 2024, 2025]  # 2025 due 2026-01-31

    assert cli(["overdue", "--today", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert "energy__power: 2020 (due 2021-03-31, 1796 days late)" in out  # 2021-03-31 -> 2026-03-01
    assert "statistics__regional_gdp" not in out
    assert cli(["overdue", "--today", "2026-05-01"]) == 0
    assert "statistics__regional_gdp: 2025 (due 2026-04-30, 1 days late)" in capsys.readouterr().out


# --- failures ---------------------------------------------------------------------------------

def test_a_rejected_delivery_is_one_line_to_act_on(landing):
    from orchestration.running import failure_lines

    redeliver(landing / "statistics" / "regional_gdp_2023.xlsx", lambda ws: ws.__setitem__("C6", "约30"))
    result = ingest(GDP, 2015, 2025)
    assert not result.success
    assert failure_lines(result, []) == [
        "FAILED raw/statistics__regional_gdp: statistics/regional_gdp_2023.xlsx, sheet '地区生产总值', row 6, "
        "column C (地区生产总值/第一产业): '约30' is not a number; fix: replace statistics/regional_gdp_2023.xlsx by a "
        "corrected delivery with its provenance, then `bayannur run --years 2023` (every problem: "
        "audit.rejected_deliveries)"]
