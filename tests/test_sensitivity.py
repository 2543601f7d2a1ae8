"""The CO2 sensitivity (issue 13 item 5): marts.fct_co2_sensitivity checked against figures computed
by hand from the sample's inputs for two choices, and shown beside the CO2 headline in the report."""

from __future__ import annotations

import pytest

from orchestration.reports import report_path
from tests.helpers import query

# The sample's inputs (int_co2_emissions_totalled, int_regional_gdp_chain_linked), checked below:
FUEL = {2020: 2534.8015, 2024: 2830.8910}  # 万t CO2 from coal, oil and gas burnt in the city
NET_INFLOW = {2020: -85.75, 2024: -157.44}  # 亿kWh, negative = net export
GDP = {2020: 874.0, 2024: 1057.1843}  # 亿元 at 2020 prices
# North China grid, 2021 vintage (0.7120 tCO2/MWh), exports credited (the default accounting):
#   2020: (2534.8015 - 85.75 x 7.120) / 874.0     = (2534.8015 - 610.540) / 874.0   = 2.201672 t/万元
#   2024: (2830.8910 - 157.44 x 7.120) / 1057.1843 = (2830.8910 - 1120.973) / 1057.1843 = 1.617425 t/万元
#   decline 1 - 1.617425 / 2.201672 = 26.54 %
# National average, 2021 vintage (0.5568), exports credited:
#   2020: (2534.8015 - 477.456) / 874.0 = 2.353942;  2024: (2830.8910 - 876.626) / 1057.1843 = 1.848556
#   decline 1 - 1.848556 / 2.353942 = 21.47 %
# Without the export credit (any grid, any vintage): fossil CO2 only, 2534.8015 / 874.0 = 2.900231 and
#   2830.8910 / 1057.1843 = 2.677768: decline 7.67 %, the same as fossil-combustion CO2 per unit of GDP;
#   fossil-combustion CO2 itself rose 2830.8910 / 2534.8015 - 1 = 11.68 %.
CASES = [("north_china", "2021", True, 26.54), ("national", "2021", True, 21.47),
         ("north_china", "2021", False, 7.67), ("national", "2023", False, 7.67)]


def test_the_inputs_are_the_ones_computed_from(built):
    for year in (2020, 2024):
        (fuel, inflow), = query(built["warehouse"], "SELECT fuel_co2_10k_t, electricity_net_inflow_100m_kwh "
                                "FROM intermediate.int_co2_emissions_totalled WHERE is_chosen AND year = ?", [year])
        (gdp,), = query(built["warehouse"], "SELECT gdp_constant_base_100m_yuan FROM intermediate."
                        "int_regional_gdp_chain_linked WHERE year = ? AND region_code = '150800'", [year])
        assert (round(fuel, 4), round(inflow, 2), round(gdp, 4)) == (FUEL[year], NET_INFLOW[year], GDP[year])


@pytest.mark.parametrize("grid, vintage, credit, decline", CASES)
def test_decline_by_hand(built, grid, vintage, credit, decline):
    (got, fossil, fossil_change, default), = query(
        built["warehouse"], "SELECT co2_per_gdp_decline_pct, fossil_co2_per_gdp_decline_pct, "
        "fossil_combustion_co2_change_pct, is_default FROM marts.fct_co2_sensitivity "
        "WHERE year = 2024 AND grid_level = ? AND factor_vintage = ? AND export_credit = ?", [grid, vintage, credit])
    assert round(got, 2) == decline
    assert (round(fossil, 2), round(fossil_change, 2)) == (7.67, 11.68)
    assert default == (grid == "north_china" and vintage == "2021" and credit)


def test_every_choice_once(built):
    # 3 grid levels x (3 published vintages + by_year) x with/without the credit
    assert query(built["warehouse"], "SELECT count(*), count(DISTINCT (grid_level, factor_vintage, export_credit)) "
                 "FROM marts.fct_co2_sensitivity WHERE year = 2024") == [(24, 24)]


def test_the_report_shows_it_beside_the_headline(built):
    page = report_path(2024, built["warehouse"]).read_text(encoding="utf-8")
    headline = page.index('id="indicator-co2_per_gdp"')
    table = page.index('id="sensitivity-table"')
    assert headline < table < page.index('id="indicator-energy_per_gdp"')
    row = page[page.index('data-grid="north_china" data-vintage="2021" data-credit="false"'):]
    assert "7.67%" in row[:row.index("</tr>")]
    messages = page[page.index('id="key-messages"'):page.index('id="overview"')]
    assert "下降26.54%" in messages and "仅下降7.67%" in messages and "增长11.68%" in messages
