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


def pysdmx_files(folder, frames) -> dict[str, bytes]:
    """The data files as pysdmx writes them itself, each in one call (the exports before sdmx_rows)."""
    from datetime import UTC

    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format
    from pysdmx.io.pd import PandasDataset
    from pysdmx.model.message import Header

    from orchestration.exports.workbook import build_date

    header = Header(id="BAYANNUR_CLIMATE_EXPORT", prepared=build_date().replace(tzinfo=UTC))
    out = {}
    for flow_id, (dsd, mapping) in sdmx.structures(frames)[1].items():
        data = sdmx.observations(frames[sdmx.config()["dataflows"][flow_id]["table"]], dsd, mapping)
        dataset = PandasDataset(structure=dsd.to_schema(), data=data.to_pandas())
        write_sdmx(dataset, Format.DATA_SDMX_CSV_2_0_0, str(folder / f"{flow_id}.csv"))
        out[f"{flow_id}.csv"] = (folder / f"{flow_id}.csv").read_bytes()
        dataset = PandasDataset(structure=dsd.to_schema(), data=data.to_pandas())
        out[f"{flow_id}.xml"] = write_sdmx(dataset, Format.DATA_SDMX_ML_3_0, header=header).encode()
    return out


def test_data_files_are_the_bytes_pysdmx_writes(folder, built, tmp_path, monkeypatch):
    """sdmx_rows builds the rows with polars, in chunks (of 7 rows here: the sample's row counts are
    not multiples of 7, so the last chunk is short); the files must be pysdmx's own, byte for byte."""
    from orchestration.exports import read_marts, sdmx_rows

    frames = read_marts(built["warehouse"])
    assert frames["fct_indicator_value"].height % 7 and frames["fct_target_tracking"].height % 7
    monkeypatch.setattr(sdmx_rows, "CHUNK_ROWS", 7)
    sdmx.write(tmp_path / "chunked", frames)
    reference = pysdmx_files(tmp_path, frames)
    assert set(reference) == {"INDICATOR_VALUES.csv", "INDICATOR_VALUES.xml", "TARGET_TRACKING.csv", "TARGET_TRACKING.xml"}
    for name, content in reference.items():
        assert (tmp_path / "chunked" / name).read_bytes() == content, name
        assert (folder / name).read_bytes() == content, name  # the run's exports too
    text = (folder / "INDICATOR_VALUES.xml").read_text(encoding="utf-8")
    n = frames["fct_indicator_value"].height
    assert text.count("<Obs ") == n and text.count("<mes:Header>") == 1 and text.count("</mes:DataSet>") == 1


def test_values_pysdmx_escapes_or_quotes_are_its_bytes_too(tmp_path):
    """Text that pysdmx escapes (quotes, &, <, >, a backslash, a non-printable space), that the CSV
    must quote (comma, quote, CR, LF), floats that Python prints with an exponent, NaN and nulls:
    the files are still pysdmx's bytes."""
    units = ["万吨", "it's", 'say "x"', "a & b <c>", "back\\slash", "comma, here", "line\nbreak", "cr\rhere",
             "\u3000全角", "", None, "°C ²", "plain"]
    values = [1e-7, 1e20, float("nan"), None, 0.1 + 0.2, 123.0, -0.5, 1e16, 9.999e-5, 5e-324, 0.0, 17.2, 2.5]
    n = len(units)
    frames = {"dim_indicator": pl.DataFrame({"indicator_id": ["x"], "name_zh": ["甲"], "name_en": ["X"]}),
              "dim_region": pl.DataFrame({"region_code": ["1"], "name_zh": ["市"], "name_en": ["City"]}),
              "fct_target_tracking": pl.DataFrame({"indicator_id": ["x"] * n, "region_code": ["1"] * n,
                                                   "year": list(range(2000, 2000 + n)), "actual_value": values,
                                                   "target_value": values[::-1], "value_unit": units}),
              "fct_indicator_value": pl.DataFrame({"indicator_id": ["x"], "region_code": ["1"], "year": [2024],
                                                   "value": [1.0]})}
    sdmx.write(tmp_path / "ours", frames)
    reference = pysdmx_files(tmp_path, frames)
    for name, content in reference.items():
        assert (tmp_path / "ours" / name).read_bytes() == content, name
    csv = reference["TARGET_TRACKING.csv"].decode()
    assert '"comma, here"' in csv and '"say ""x"""' in csv and ",NaN," in csv  # quoted; a null measure is NaN
