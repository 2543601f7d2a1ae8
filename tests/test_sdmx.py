"""SDMX (issue 14 item 5): the indicator values and the tracking results as a structure message and
SDMX-CSV / SDMX-ML data, read back with pysdmx (the SDMX-ML files are checked against the SDMX
XML schemas on reading)."""

from __future__ import annotations

import polars as pl
import pytest
from pysdmx.io import get_datasets, read_sdmx

from orchestration.exports import sdmx
from tests.helpers import query


@pytest.fixture(scope="module")
def folder(built):
    return built["warehouse"].parent / "exports" / "sdmx"


def test_structure_reads_back_with_its_code_lists(folder, built):
    message = read_sdmx(folder / "structure.xml", validate=True)
    by_id = {s.id: s for s in message.structures}
    assert {"DSD_INDICATOR_VALUES", "DSD_TARGET_TRACKING", "DF_INDICATOR_VALUES", "DF_TARGET_TRACKING",
            "CL_INDICATOR", "CL_AREA", "CL_BAROMETER_2020"} <= set(by_id)
    indicators = query(built["warehouse"], "SELECT count(*) FROM marts.dim_indicator")[0][0]
    assert len(by_id["CL_INDICATOR"].items) == indicators
    area = {c.id: c.name for c in by_id["CL_AREA"].items}
    assert area["150800"] == "巴彦淖尔市" and len(area) == 8  # the city and its seven counties
    barometer = {c.id: c.name for c in by_id["CL_BAROMETER_2020"].items}
    assert barometer == {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "not_available": "无数据"}
    dims = [c.id for c in by_id["DSD_TARGET_TRACKING"].components.dimensions]
    assert dims == ["PLAN", "INDICATOR", "REF_AREA", "TIME_PERIOD"]


@pytest.mark.parametrize("name", ["TARGET_TRACKING.csv", "TARGET_TRACKING.xml"])
def test_tracking_data_reads_back_against_its_structure(folder, built, name):
    (dataset,) = get_datasets(folder / name, folder / "structure.xml")
    assert dataset.structure.id == "DSD_TARGET_TRACKING"
    data = dataset.data
    n = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    assert len(data) == n
    # one observation checked against the mart: the CO2 intensity target in 2024 for the city
    (actual, barometer, status), = query(
        built["warehouse"], "SELECT actual_value, barometer_2020, data_status FROM marts.fct_target_tracking "
        "WHERE indicator_id = 'co2_per_gdp' AND region_code = '150800' AND year = 2024")
    row = data[(data["INDICATOR"] == "co2_per_gdp") & (data["REF_AREA"] == "150800")
               & (data["TIME_PERIOD"].astype(str) == "2024")]
    assert len(row) == 1
    assert row["BAROMETER_2020"].iloc[0] == barometer and row["OBS_STATUS"].iloc[0] == status
    if actual is None:
        assert str(row["OBS_VALUE"].iloc[0]) in {"", "nan", "None", "<NA>"}
    else:
        assert float(row["OBS_VALUE"].iloc[0]) == pytest.approx(actual)


def test_indicator_values_read_back(folder, built):
    (dataset,) = get_datasets(folder / "INDICATOR_VALUES.xml", folder / "structure.xml")
    n = query(built["warehouse"], "SELECT count(*) FROM marts.fct_indicator_value")[0][0]
    assert len(dataset.data) == n
    # the city's 2020 forest stock as delivered: 265.0 万立方米 (tests/sources: forestry, forest_stock_10k_m3)
    data = dataset.data
    row = data[(data["INDICATOR"] == "forest_stock") & (data["REF_AREA"] == "150800")
               & (data["TIME_PERIOD"].astype(str) == "2020")]
    assert len(row) == 1 and float(row["OBS_VALUE"].iloc[0]) == pytest.approx(265.0)
    assert row["UNIT_MEASURE"].iloc[0] == "万立方米" and row["BASIS"].iloc[0] == "plain_statistics"


def test_codes_become_sdmx_ids():
    assert sdmx.sdmx_id("tracked (direction only)") == "tracked_direction_only"
    assert sdmx.sdmx_id("150800") == "150800"


def test_a_value_missing_from_the_code_list_is_refused():
    frames = {"dim_indicator": pl.DataFrame({"indicator_id": ["x"], "name_zh": ["甲"], "name_en": ["X"]}),
              "dim_region": pl.DataFrame({"region_code": ["1"], "name_zh": ["市"], "name_en": ["City"]}),
              "fct_target_tracking": pl.DataFrame({"indicator_id": ["x"], "region_code": ["1"], "year": [2024],
                                                   "actual_value": [1.0], "barometer_2020": ["purple"]}),
              "fct_indicator_value": pl.DataFrame({"indicator_id": ["x"], "region_code": ["1"], "year": [2024],
                                                   "value": [1.0]})}
    _, flows = sdmx.structures(frames)
    dsd, mapping = flows["TARGET_TRACKING"]
    with pytest.raises(ValueError, match=r"codes \['purple'\] are not in CL_BAROMETER_2020"):
        sdmx.observations(frames["fct_target_tracking"], dsd, mapping)


def test_rows_not_identified_by_the_dimensions_are_refused():
    frames = {"dim_indicator": pl.DataFrame({"indicator_id": ["x"], "name_zh": ["甲"], "name_en": ["X"]}),
              "dim_region": pl.DataFrame({"region_code": ["1"], "name_zh": ["市"], "name_en": ["City"]}),
              "fct_target_tracking": pl.DataFrame({"indicator_id": ["x", "x"], "region_code": ["1", "1"],
                                                   "year": [2024, 2024], "actual_value": [1.0, 2.0]}),
              "fct_indicator_value": pl.DataFrame({"indicator_id": ["x"], "region_code": ["1"], "year": [2024],
                                                   "value": [1.0]})}
    _, flows = sdmx.structures(frames)
    dsd, mapping = flows["TARGET_TRACKING"]
    with pytest.raises(ValueError, match="do not identify the rows"):
        sdmx.observations(frames["fct_target_tracking"], dsd, mapping)


def test_sdmx_ml_written_in_chunks_is_the_same_message(folder, built, tmp_path, monkeypatch):
    """write_ml has pysdmx serialise CHUNK_ROWS rows at a time and joins the <Obs> lines; with
    chunks of 7 rows (the sample's row counts are not multiples of 7, so the last chunk is short)
    the messages must be the bytes of the run's exports, written in one chunk."""
    from orchestration.exports import read_marts

    frames = read_marts(built["warehouse"])
    n = frames["fct_indicator_value"].height
    assert n % 7 and frames["fct_target_tracking"].height % 7  # a short last chunk in both
    assert n < sdmx.CHUNK_ROWS  # so the run's own file is one pysdmx message
    monkeypatch.setattr(sdmx, "CHUNK_ROWS", 7)
    sdmx.write(tmp_path, frames)
    for name in ("INDICATOR_VALUES.xml", "TARGET_TRACKING.xml"):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name
    text = (tmp_path / "INDICATOR_VALUES.xml").read_text(encoding="utf-8")
    assert text.count("<Obs ") == n and text.count("<mes:Header>") == 1 and text.count("</mes:DataSet>") == 1
