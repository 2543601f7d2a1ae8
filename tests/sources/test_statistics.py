"""The statistics bureau's sample deliveries read through their contracts and suites.

Every expected value is computed by hand from the figures in scripts/samples/statistics.py
(published ones cited in the provenance files), never read back from the code.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
import yaml

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery
from orchestration.validation import validate

CITY = "150800"
COUNTY_CODES = {"150802", "150821", "150822", "150823", "150824", "150825", "150826"}


def contract(dataset: str) -> Contract:
    return Contract.load(settings.CONTRACTS_DIR / "statistics" / f"{dataset}.yml")


def deliveries(dataset: str) -> dict:
    """{year in the file name (None for a multi-year file): parsed frame}, every bundled original
    delivery (revisions, <name>_revN, are tested on their own)."""
    c = contract(dataset)
    return {year: read_delivery(c, path, year) for path, year in c.deliveries() if not c.revision_of(path.name)}


def counties(frame):
    return frame.filter(pl.col("region_code").is_in(sorted(COUNTY_CODES)))


def row(frame, region: str, year: int | None = None) -> dict:
    picked = frame.filter(region_code=region)
    if year is not None:
        picked = picked.filter(year=year)
    assert picked.height == 1, picked
    return picked.row(0, named=True)


@pytest.fixture(scope="module")
def gdp():
    return deliveries("regional_gdp")


@pytest.fixture(scope="module")
def iva():
    return deliveries("industrial_value_added")


@pytest.fixture(scope="module")
def population():
    (frame,) = deliveries("population").values()
    return frame


@pytest.mark.parametrize("dataset", ["regional_gdp", "industrial_value_added", "population"])
def test_every_delivery_passes_its_suite(dataset):
    c = contract(dataset)
    for path, year in c.deliveries():
        result = validate(read_delivery(c, path, year), c.suite_path)
        assert result.success, [str(p) for p in result.problems]


# --- regional_gdp 2015-2019 ---------------------------------------------------------------------

def test_gdp_years_2015_to_2024_each_with_eight_rows(gdp):
    assert sorted(gdp) == [str(y) for y in range(2015, 2025)]
    for frame in gdp.values():
        assert frame.height == 8
        assert set(frame["region_code"]) == {CITY} | COUNTY_CODES


def test_gdp_2015_city_row_follows_the_plans_structure(gdp):
    city = row(gdp["2015"], CITY)
    assert (city["gdp_current_100m_yuan"], city["gdp_primary_100m_yuan"], city["gdp_secondary_100m_yuan"],
            city["gdp_tertiary_100m_yuan"], city["gdp_index_prev_year_100"]) == (760.0, 187.7, 272.8, 299.5, 108.0)
    # the plan: 2015 structure 24.7 : 35.9 : 39.4 (187.7 / 760 = 24.70 %, 272.8 / 760 = 35.89 %)
    shares = [round(100 * city[c] / 760.0, 1) for c in
              ("gdp_primary_100m_yuan", "gdp_secondary_100m_yuan", "gdp_tertiary_100m_yuan")]
    assert shares == [24.7, 35.9, 39.4]
    assert city["status"] == "illustrative"


def test_gdp_2018_total_is_the_published_one(gdp):
    city = row(gdp["2018"], CITY)
    assert city["gdp_current_100m_yuan"] == 813.1  # 内蒙古新闻网 2019-09-04 (grade B)
    assert set(gdp["2018"]["status"]) == {"illustrative"}  # sectors and growth are not published


def test_gdp_real_growth_chain_2015_to_2020_is_unbroken(gdp):
    idx = {int(y): row(f, CITY)["gdp_index_prev_year_100"] for y, f in gdp.items()}
    assert [idx[y] for y in range(2016, 2021)] == [107.0, 105.5, 105.0, 104.8, 98.5]
    chain = math.prod(idx[y] / 100 for y in range(2016, 2021))
    assert chain == pytest.approx(1.07 * 1.055 * 1.05 * 1.048 * 0.985)  # = 1.2235537419
    # 2015 GDP at 2020 prices: 874.0 / 1.2235537419 = 714.3127亿元
    assert 874.0 / chain == pytest.approx(714.3127, abs=1e-4)


def test_gdp_county_rows_of_earlier_years(gdp):
    linhe = row(gdp["2015"], "150802")
    # illustrative: 33 % of 760.0 = 250.8; index 108.0 + 0.3
    assert (linhe["gdp_current_100m_yuan"], linhe["gdp_index_prev_year_100"]) == (250.8, 108.3)
    assert linhe["primary_index_prev_year_100"] is None  # "—"


def test_gdp_2020_revision_carries_the_plans_structure():
    c = contract("regional_gdp")
    revisions = [(p, y) for p, y in c.deliveries() if c.revision_of(p.name)]
    assert [(p.name, y) for p, y in revisions] == [("regional_gdp_2020_rev1.xlsx", "2020"),
                                                   ("regional_gdp_2022_rev1.xlsx", "2022")]
    frame = read_delivery(c, *revisions[0])
    assert validate(frame, c.suite_path).success
    city = row(frame, CITY)
    assert frame.height == 1  # the plan revises the city only
    assert (city["gdp_current_100m_yuan"], city["gdp_index_prev_year_100"], city["status"]) == (874.0, 98.5, "final")
    # 巴彦淖尔市"十四五"应对气候变化规划 第一章 二: 2020 structure 25.5 : 29.5 : 44.9
    # 223.2 / 874.0 = 25.54 %, 258.2 / 874.0 = 29.54 %, 392.6 / 874.0 = 44.92 %; 223.2 + 258.2 + 392.6 = 874.0
    assert (city["gdp_primary_100m_yuan"], city["gdp_secondary_100m_yuan"], city["gdp_tertiary_100m_yuan"]) == (
        223.2, 258.2, 392.6)


# --- industrial_value_added ---------------------------------------------------------------------

def test_iva_one_file_per_year(iva):
    assert sorted(iva) == ["2015", "2020", "2021", "2022", "2023", "2024"]
    for frame in iva.values():
        assert frame.height == 8
        assert set(frame["status"]) == {"illustrative"}


def test_iva_wan_yuan_with_thousands_separators_becomes_yi_yuan(iva):
    city = row(iva["2020"], CITY)
    assert city["industrial_va_current_100m_yuan"] == pytest.approx(169.74)  # "1,697,400" 万元
    assert city["industrial_va_index_prev_year_100"] == 95.1  # an index is not scaled
    assert city["enterprises_count"] == 198  # a count is not scaled either
    assert city["_source_row"] == 5 and city["_source_sheet"] == "规上工业"


def test_iva_full_width_digits(iva):
    wuyuan = row(iva["2021"], "150821")
    assert wuyuan["industrial_va_current_100m_yuan"] == pytest.approx(13.5768)  # "１３５，７６８" 万元
    assert row(iva["2023"], CITY)["enterprises_count"] == 241  # "２４１"


def test_iva_region_variant_footnote_mark_and_missing_index(iva):
    hanghou = row(iva["2015"], "150826")
    assert hanghou["region_name_as_delivered"] == "杭后旗"
    assert hanghou["industrial_va_current_100m_yuan"] == pytest.approx(15.2448)  # 152,448 万元
    urad_rear = row(iva["2022"], "150825")
    assert urad_rear["industrial_va_current_100m_yuan"] == pytest.approx(50.2797)  # 19 % of 2,646,300 万元
    assert row(iva["2015"], "150822")["industrial_va_index_prev_year_100"] is None  # "…"


def test_iva_counties_add_up_to_the_city(iva):
    for frame in iva.values():
        city = row(frame, CITY)
        rest = counties(frame)
        assert rest["industrial_va_current_100m_yuan"].sum() == pytest.approx(city["industrial_va_current_100m_yuan"])
        assert rest["enterprises_count"].sum() == city["enterprises_count"]


def test_iva_is_60_to_75_percent_of_the_secondary_sector(iva, gdp):
    # 2020: 169.74 / 256.6 = 66.1 %; 2022: 264.63 / 372.5 = 71.0 %
    for year, frame in iva.items():
        share = row(frame, CITY)["industrial_va_current_100m_yuan"] / row(gdp[year], CITY)["gdp_secondary_100m_yuan"]
        assert 0.60 <= share <= 0.75, (year, share)


# --- population ---------------------------------------------------------------------------------

def test_population_csv_holds_six_years_of_eight_rows(population):
    assert population.height == 48
    assert sorted(set(population["year"])) == [2015, 2020, 2021, 2022, 2023, 2024]
    assert population.group_by("year").len()["len"].to_list() == [8] * 6
    assert set(population["_source_file"]) == {"statistics/population.csv"}


def test_population_2021_is_the_published_bulletin_row(population):
    city = row(population, CITY, 2021)
    assert city["resident_population_10k"] == pytest.approx(152.8)
    assert city["urban_population_10k"] == pytest.approx(92.60)
    assert round(100 * city["urban_population_10k"] / city["resident_population_10k"], 1) == 60.6
    assert city["_source_row"] == 20  # line 20 of the GB18030 file
    assert city["status"] == "preliminary"
    others = population.filter(~((population["year"] == 2021) & (population["region_code"] == CITY)))
    assert set(others["status"]) == {"illustrative"}


def test_population_2020_is_the_census_figure(population):
    city = row(population, CITY, 2020)
    assert city["resident_population_10k"] == pytest.approx(153.87)
    assert city["status"] == "illustrative"  # census figure (1 Nov, grade C), urban population illustrative


def test_gdp_2022_revision_carries_the_published_total():
    c = contract("regional_gdp")
    (path, year), = [(p, y) for p, y in c.deliveries() if p.name == "regional_gdp_2022_rev1.xlsx"]
    frame = read_delivery(c, path, year)
    assert validate(frame, c.suite_path).success and frame.height == 1
    city = row(frame, CITY)
    # published_figures.md: 2022 GDP 1081.3亿元 (grade C, low); sectors illustrative, the tertiary
    # sector takes the difference: 1081.3 - 272.3 - 372.5 = 436.5
    assert (city["gdp_current_100m_yuan"], city["gdp_primary_100m_yuan"], city["gdp_secondary_100m_yuan"],
            city["gdp_tertiary_100m_yuan"]) == (1081.3, 272.3, 372.5, 436.5)
    assert city["gdp_index_prev_year_100"] == 104.0  # the index is not revised
    assert city["status"] == "illustrative"  # a grade-C total beside illustrative sectors
    provenance = yaml.safe_load(path.with_name(path.name + ".provenance.yml").read_text("utf-8"))
    assert provenance["grade"] == {"gdp_current_100m_yuan": "C"} and "grade C" in provenance["citation"]


def test_population_revision_uses_the_published_city_figures(population):
    c = contract("population")
    (path, _), = [(p, y) for p, y in c.deliveries() if p.name == "population_rev1.csv"]
    revised = read_delivery(c, path)
    assert validate(revised, c.suite_path).success and revised.height == 48
    city_2020 = row(revised, CITY, 2020)
    # year end 2020 = 152.8 (2021 bulletin) + 0.8 "fewer than a year before" = 153.6 (grade A, derived);
    # urban = the census figure 92.30 (grade C), both published: the row is not illustrative
    assert (city_2020["resident_population_10k"], city_2020["urban_population_10k"]) == (153.6, 92.3)
    assert city_2020["status"] == "preliminary"
    city_2022 = row(revised, CITY, 2022)
    # 151.8 (grade C); urban 151.8 x 61.3 % = 93.05 stays illustrative, so the row is illustrative
    assert (city_2022["resident_population_10k"], city_2022["urban_population_10k"]) == (151.8, 93.05)
    assert city_2022["status"] == "illustrative"
    assert row(revised, CITY, 2021)["status"] == "preliminary"
    # county rows as in the original export
    keys = ["year", "region_code", "resident_population_10k", "urban_population_10k"]
    assert counties(revised).select(keys).sort(keys).equals(counties(population).select(keys).sort(keys))
    # the counties still add up to the revised city within the 1 % tolerance:
    # 2020 county sum / 153.6 - 1 (the county split was made on 153.87)
    county_2020 = counties(revised).filter(year=2020)["resident_population_10k"].sum()
    assert abs(county_2020 / 153.6 - 1) < 0.01


def test_population_gb18030_region_name_variants(population):
    assert row(population, CITY, 2015)["region_name_as_delivered"] == "全市"
    front = row(population, "150823", 2015)
    assert (front["region_name_as_delivered"], front["resident_population_10k"]) == ("乌前旗", pytest.approx(28.65))
    assert row(population, "150826", 2022)["region_name_as_delivered"] == "杭后旗"
    assert row(population, "150824", 2024)["region_name_as_delivered"] == "乌中旗"
    linhe = row(population, "150802", 2021)
    # decoded from GB18030: 35 % of 152.8 = 53.48
    assert (linhe["region_name_as_delivered"], linhe["resident_population_10k"]) == ("临河区", pytest.approx(53.48))


def test_population_county_urban_missing_in_2015(population):
    counties_2015 = counties(population.filter(year=2015))
    assert counties_2015["urban_population_10k"].null_count() == 7
    assert row(population, CITY, 2015)["urban_population_10k"] == pytest.approx(88.63)  # 168.5 x 52.6 %


def test_population_counties_add_up_to_the_city(population):
    for year in (2020, 2021, 2024):
        city = row(population, CITY, year)["resident_population_10k"]
        total = counties(population.filter(year=year))["resident_population_10k"].sum()
        assert abs(total - city) / city < 0.001
