"""The meteorological bureau's (气象局) bundled delivery, read through its contract.

Expected values by hand: 92 % in 2020 is the plan's baseline (表1, indicator 12); the rest are the
delivered cells, through the quirks: UTF-8 with a BOM, a title line above the header, "92.6%"
with a trailing per cent sign, full-width digits (９３．３), a blank remark, a note line.
"""

from __future__ import annotations

import codecs

import pytest

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery

CONTRACT = Contract.load(settings.CONTRACTS_DIR / "meteorology" / "weather_service.yml")
PATH = settings.RAW_DIR / "meteorology" / "weather_service.csv"


@pytest.fixture(scope="module")
def df():
    return read_delivery(CONTRACT, PATH)


def by_year(df, year: int) -> dict:
    (row,) = df.filter(year=year).rows(named=True)
    return row


def test_file_is_utf8_with_a_bom():
    assert PATH.read_bytes().startswith(codecs.BOM_UTF8)


def test_one_row_per_year_for_the_city(df):
    assert df.height == 5
    assert df["year"].to_list() == [2020, 2021, 2022, 2023, 2024]
    assert set(df["region_code"]) == {"150800"}
    assert df.columns[:4] == ["year", "region_code", "public_coverage_pct", "remark"]


def test_2020_is_the_plans_baseline(df):
    row = by_year(df, 2020)
    # "92%" on CSV line 3 (a title line and the header above it); published: status final
    assert (row["public_coverage_pct"], row["status"], row["_source_row"]) == (92.0, "final", 3)
    assert row["remark"] == "规划基期值"
    assert row["_source_sheet"] == "weather_service.csv"


def test_quirky_cells(df):
    assert by_year(df, 2021)["public_coverage_pct"] == 92.6   # "92.6%"
    assert by_year(df, 2022)["public_coverage_pct"] == 93.3   # "９３．３"
    assert by_year(df, 2024)["remark"] is None                 # blank
    assert {by_year(df, y)["status"] for y in range(2021, 2025)} == {"illustrative"}


def test_on_the_way_to_95(df):
    # 2020 -> 2024: 92.0 -> 94.5, 2.5 of the 3 points the plan asks for by 2025
    assert by_year(df, 2024)["public_coverage_pct"] - by_year(df, 2020)["public_coverage_pct"] == pytest.approx(2.5)
