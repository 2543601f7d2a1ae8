"""The ingestion step: the contract machinery on each quirk, and bad deliveries.

Every bad delivery must fail with a message naming the file, sheet, row and column (where the
problem has one) and leave the warehouse exactly as it was.
"""

from __future__ import annotations

import hashlib

import pytest
from dagster import DagsterInstance, materialize

from orchestration import settings
from orchestration.assets.ingestion import ingestion_assets, years_config
from orchestration.deliveries import Contract, DeliveryError, read_delivery
from tests.helpers import copy_raw, query, redeliver, reseal, snapshot

CONTRACT = Contract.load(settings.CONTRACTS_DIR / "statistics" / "regional_gdp.yml")
FILE = "statistics/regional_gdp_2021.xlsx"
WHERE = f"{FILE}, sheet '地区生产总值'"


@pytest.fixture
def landing(tmp_path, monkeypatch):
    """A private copy of raw/ and an empty warehouse, wired into the settings."""
    raw = copy_raw(tmp_path / "raw")
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", tmp_path / "wh.duckdb")
    return raw


def delivery(raw, year=2021):
    return raw / "statistics" / f"regional_gdp_{year}.xlsx"


def read(raw, year=2021):
    return read_delivery(CONTRACT, delivery(raw, year), str(year))


def ingest(*years):
    """Materialise the ingestion asset for a range of years in-process, as a run would."""
    years = [str(y) for y in years]
    return materialize(
        [ingestion_assets([CONTRACT])],
        instance=DagsterInstance.ephemeral(),
        run_config=years_config(f"{years[0]}-{years[-1]}"),
        raise_on_error=False,
    )


def failure_message(result) -> str:
    failures = [e for e in result.all_events if e.is_step_failure]
    assert failures, "the step should have failed"
    return failures[0].step_failure_data.user_failure_data.description


# --- the contract machinery -------------------------------------------------------------------

def test_reads_the_yearbook_layout(landing):
    df = read(landing)
    assert df.height == 8
    city = df.filter(region_code="150800").row(0, named=True)
    assert (city["gdp_current_100m_yuan"], city["gdp_primary_100m_yuan"], city["gdp_secondary_100m_yuan"],
            city["gdp_tertiary_100m_yuan"], city["gdp_index_prev_year_100"]) == (982.7, 244.9, 328.0, 409.8, 104.3)
    assert (city["_source_row"], city["_source_sheet"], city["status"]) == (5, "地区生产总值", "preliminary")
    # the notes under the table are not rows
    assert df["_source_row"].max() == 12


def test_county_rows_have_no_sector_indices(landing):
    # "—" marks a missing value: null, not an error, in an optional column
    county = read(landing).filter(region_code="150821").row(0, named=True)
    assert county["primary_index_prev_year_100"] is None


def test_full_width_digits_and_thousands_separators(landing):
    redeliver(delivery(landing), lambda ws: (ws.__setitem__("B5", "９８２．７"), ws.__setitem__("D5", "3,28.0")))
    city = read(landing).filter(region_code="150800").row(0, named=True)
    assert city["gdp_current_100m_yuan"] == 982.7
    assert city["gdp_secondary_100m_yuan"] == 328.0


def test_region_name_variants_and_footnote_marks(landing):
    redeliver(delivery(landing), lambda ws: (ws.__setitem__("A12", "杭后旗"), ws.__setitem__("A6", "临 河 区①")))
    df = read(landing)
    assert set(df["region_code"]) == {"150800", "150802", "150821", "150822", "150823", "150824", "150825", "150826"}
    assert df.filter(region_code="150826")["region_name_as_delivered"][0] == "杭后旗"


def test_unit_line_in_wan_yuan_is_converted_to_yi_yuan(landing):
    def to_wan_yuan(ws):
        ws["I2"] = "单位：万元"
        for row in range(5, 13):
            for col in "BCDE":
                ws[f"{col}{row}"] = ws[f"{col}{row}"].value * 10000
    redeliver(delivery(landing), to_wan_yuan)
    city = read(landing).filter(region_code="150800").row(0, named=True)
    assert city["gdp_current_100m_yuan"] == pytest.approx(982.7)
    assert city["gdp_index_prev_year_100"] == 104.3  # an index is not a money amount


# --- bad deliveries: one clear error each, nothing written -----------------------------------

def _edit(cell, value):
    return lambda ws: ws.__setitem__(cell, value)


def _delete_column(col_idx):
    return lambda ws: ws.delete_cols(col_idx)


BAD = [
    ("text in a numeric cell", _edit("C8", "约30"),
     f"{WHERE}, row 8, column C (地区生产总值/第一产业): '约30' is not a number"),
    ("missing column", _delete_column(4),
     f"{WHERE}, row 3, column (missing): column '地区生产总值/第二产业' (gdp_secondary_100m_yuan) not found"),
    ("unknown region", _edit("A9", "乌拉特东旗"),
     f"{WHERE}, row 9, column A (地区): '乌拉特东旗' is not a known region"),
    ("missing required value", _edit("F10", "…"),
     f"{WHERE}, row 10, column F (地区生产总值指数(上年=100)/合计): value is missing; this column is required"),
    ("unit that cannot be converted", _edit("I2", "单位：美元"),
     f"{WHERE}: unit line says '美元'; expected one of"),
    ("title of another year", _edit("A1", "表3-2  2019年各旗县区地区生产总值"),
     f"{WHERE}: the title above the table does not mention '2021年'"),
    ("value out of range (expectation suite)", _edit("F6", 160),
     f"{WHERE}, row 6, column gdp_index_prev_year_100: value 160.0 fails expect_column_values_to_be_between"),
    # Caught on the parsed delivery now, before the suite: the duplicate names the first row too,
    # and the county it displaced (A7 was 五原县) is missing.
    ("region listed twice", _edit("A7", "临河区"),
     f"{WHERE}, row 7: duplicate row: same key (year=2021, region_code=150802) as row 6"),
    ("index delivered as a growth rate", _edit("F6", 4.3),
     f"{WHERE}, row 6, column F (地区生产总值指数(上年=100)/合计): 4.3 is below the plausible range (contract: min 50)"),
]


@pytest.mark.parametrize("edit,expected", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_delivery_is_rejected_and_warehouse_unchanged(landing, edit, expected):
    assert ingest(2020, 2021).success
    before = snapshot(settings.WAREHOUSE_PATH)
    redeliver(delivery(landing), edit)
    result = ingest(2020, 2021)
    assert not result.success
    message = failure_message(result)
    if "(missing)" in expected:  # the header row and what it reads instead
        head, tail = expected.split(", column (missing)")
        assert head + tail in message
    else:
        assert expected in message
    assert "loaded data unchanged" in message
    assert snapshot(settings.WAREHOUSE_PATH) == before


def test_truncated_file(landing):
    assert ingest(2021).success
    before = snapshot(settings.WAREHOUSE_PATH)
    path = delivery(landing)
    path.write_bytes(path.read_bytes()[:3000])
    reseal(path)
    message = failure_message(ingest(2021))
    assert f"{FILE}: cannot be opened as an xlsx workbook (truncated or not xlsx?)" in message
    assert snapshot(settings.WAREHOUSE_PATH) == before


def test_raw_file_edited_after_delivery(landing):
    """Editing a delivered file in place (checksum no longer matches its provenance) is refused."""
    path = delivery(landing)
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(DeliveryError, match=r"sha256 is [0-9a-f]{64} but its provenance file records"):
        read(landing)


def test_missing_provenance(landing):
    delivery(landing).with_name("regional_gdp_2021.xlsx.provenance.yml").unlink()
    with pytest.raises(DeliveryError, match="no provenance file 'regional_gdp_2021.xlsx.provenance.yml'"):
        read(landing)


def test_one_bad_year_blocks_every_year_of_the_run(landing):
    redeliver(delivery(landing, 2023), _edit("B5", "n/a"))
    result = ingest(2020, 2024)
    assert "statistics/regional_gdp_2023.xlsx" in failure_message(result)
    assert not settings.WAREHOUSE_PATH.exists() or snapshot(settings.WAREHOUSE_PATH) == {}


def test_year_without_delivery_loads_nothing_and_says_so(landing):
    result = ingest(2025)
    assert result.success
    (mat,) = result.get_asset_materialization_events()
    meta = mat.materialization.metadata
    assert meta["rows_loaded"].value == 0
    assert meta["years_without_delivery"].value == ["2025"]


def test_rejected_delivery_is_logged_with_its_problems(landing):
    redeliver(delivery(landing), _edit("C8", "约30"))
    result = ingest(2021)
    assert not result.success
    rows = query(settings.WAREHOUSE_PATH, "SELECT run_id, source, dataset, file, sha256, problem_count, problems "
                 "FROM audit.rejected_deliveries")
    assert len(rows) == 1
    run_id, source, dataset, file, sha, count, problems = rows[0]
    assert (run_id, source, dataset, file, count) == (result.run_id, "statistics", "regional_gdp", FILE, 1)
    assert sha == hashlib.sha256(delivery(landing).read_bytes()).hexdigest()
    assert "row 8, column C (地区生产总值/第一产业): '约30' is not a number" in problems


# --- the arrivals sensor on what is not a delivery ------------------------------------------------

def test_sensor_survives_a_directory_named_like_a_delivery_and_keeps_unknown_files_in_its_cursor(landing):
    import json

    from dagster import build_sensor_context

    from orchestration.definitions import defs
    from orchestration.sensors import raw_arrivals

    def evaluate(cursor):
        context = build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def(),
                                       instance=DagsterInstance.ephemeral())
        result = raw_arrivals.evaluate_tick(context)
        return result.run_requests or [], result.cursor

    _, cursor = evaluate(None)
    (landing / "energy" / "power_2019.xlsx").mkdir()  # an operator's mistake, not a file
    (landing / "energy" / "notes.xlsx").write_bytes(b"x")
    (request,), cursor = evaluate(cursor)
    # The directory triggers a run of its table (whose step reports the error); the unknown file
    # is remembered by name, so it is logged once, and triggers nothing.
    assert request.run_key.startswith("energy/power_2019.xlsx:")
    assert {k.to_user_string() for k in request.asset_selection if k.path[0] == "raw"} == {"raw/energy__power"}
    assert json.loads(cursor)["unknown:energy/notes.xlsx"] == "unknown"
    assert evaluate(cursor)[0] == []


def test_bayannur_deliveries_lists_unknown_files(landing):
    import duckdb

    from orchestration import queries

    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    con.execute("CREATE SCHEMA raw")
    con.close()
    (landing / "energy" / "Power 2022 (copy).xlsx").write_bytes(b"x")
    (landing / "stray.csv").write_bytes(b"x")
    out = queries.deliveries("en")
    assert "Files under raw/ that no contract reads" in out
    assert "raw/energy/Power 2022 (copy).xlsx" in out and "matches no contract of 'energy'" in out
    assert "raw/stray.csv" in out and "a file directly in raw/" in out
    (landing / "energy" / "Power 2022 (copy).xlsx").unlink()
    (landing / "stray.csv").unlink()
    assert "No unknown file under raw/." in queries.deliveries("en")
