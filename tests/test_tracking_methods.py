"""The target-tracking methods (transforms/macros/tracking.sql) on the test vectors of
shared/reference/methods.md §1–2, and the bound comparisons of §7.

Every macro is evaluated by dbt itself (`dbt show --inline`), the way fct_target_tracking uses it,
in one query; the expected numbers are the ones printed in methods.md or worked out by hand below.
"""

from __future__ import annotations

import pytest

from tests.helpers import dbt_show

# One column per case: name -> macro call on literals (percentages in per cent).
CASES = {
    # §1 even annual rate a = 1 - (1 - D)^(1/5)
    "annual_13_5": "{{ tracking__even_annual_decline_pct(13.5, 5) }}",
    "annual_15_5": "{{ tracking__even_annual_decline_pct(15.5, 5) }}",
    "annual_16_5": "{{ tracking__even_annual_decline_pct(16.5, 5) }}",
    "annual_18": "{{ tracking__even_annual_decline_pct(18, 5) }}",
    # §1 even compound path of D = 16.5 % after k = 1..5 years
    **{f"path_k{k}": f"{{{{ tracking__even_path_decline_pct(16.5, {k}, 5) }}}}" for k in range(1, 6)},
    # a period that is not five years: D = 10 % over 2 years, after 1 year 1 - 0.9^(1/2)
    "path_n2": "{{ tracking__even_path_decline_pct(10, 1, 2) }}",
    # §1 cumulative decline from yearly declines 8.01 %, 1.79 %, 5.35 %: levels 1 -> product
    "cumulative": "{{ tracking__cumulative_decline_pct('(1 - 0.0801) * (1 - 0.0179) * (1 - 0.0535)', 1) }}",
    # §1 share done in compound terms: 13.4 % against 16 %
    "share_done": "{{ tracking__share_done_compound(13.4, 16) }}",
    # §1 rate still required: D = 16.5 %, R_3 = 9.5 % -> 1 - (0.835 / 0.905)^(1/2)
    "remaining": "{{ tracking__remaining_decline_pct(9.5, 16.5, 3, 5) }}",
    "remaining_k5": "{{ tracking__remaining_decline_pct(16.0, 16.5, 5, 5) }}",
    # §1 linear path: 92 -> 95 over five years, after 3; 43 -> 45 over two years, after 1
    "linear": "{{ tracking__linear_path(92, 95, 3, 5) }}",
    "linear_n2": "{{ tracking__linear_path(43, 45, 1, 2) }}",
    # §7 the plan's words: inclusive and strict bounds, floors and caps
    "meets_at_least": "{{ tracking__meets(95.0, 95, 1, 'false') }}",
    "meets_strict_equal": "{{ tracking__meets(1.0, 1, 1, 'true') }}",
    "meets_strict_above": "{{ tracking__meets(1.01, 1, 1, 'true') }}",
    "meets_cap_strict_equal": "{{ tracking__meets(75.0, 75, -1, 'true') }}",
    "meets_cap_below": "{{ tracking__meets(74.9, 75, -1, 'true') }}",
    "meets_noise": "{{ tracking__meets('0.1 + 0.2', 0.3, 1, 'false') }}",
    "meets_null": "{{ tracking__meets('null', 0.3, 1, 'false') }}",
    "bound_met": "{{ tracking__bound_status('true') }}",
    "bound_missed": "{{ tracking__bound_status('false') }}",
    "bound_unknown": "{{ tracking__bound_status('null') }}",
    # §2 barometer, 2020 rule: D = 16.5 %, k = 3, requirement 10.255 %
    "b2020_11": "{{ tracking__barometer_2020(11.0, 10.255) }}",
    "b2020_9_5": "{{ tracking__barometer_2020(9.5, 10.255) }}",
    "b2020_8": "{{ tracking__barometer_2020(8.0, 10.255) }}",
    "b2020_minus1": "{{ tracking__barometer_2020(-1.0, 10.255) }}",
    "gap_9_5": "{{ tracking__shortfall_pct(9.5, 10.255) }}",
    "gap_8": "{{ tracking__shortfall_pct(8.0, 10.255) }}",
    "gap_11": "{{ tracking__shortfall_pct(11.0, 10.255) }}",
    # §2 barometer, 2021 rule: the same cases; -1.0 % means the intensity rose (worsened)
    "b2021_11": "{{ tracking__barometer_2021(11.0, 10.255, 'false') }}",
    "b2021_9_5": "{{ tracking__barometer_2021(9.5, 10.255, 'false') }}",
    "b2021_8": "{{ tracking__barometer_2021(8.0, 10.255, 'false') }}",
    "b2021_minus1": "{{ tracking__barometer_2021(-1.0, 10.255, 'true') }}",
    "b2021_unknown": "{{ tracking__barometer_2021(11.0, 10.255, 'null') }}",
    # §2 Open SDG: index 1.000 (2020) -> 0.900 (2023), target 0.835 (2025), decrease is progress
    "cagr_o": "{{ tracking__cagr(0.900, 1.000, 3) }}",
    "cagr_r": "{{ tracking__cagr(0.835, 1.000, 5) }}",
    "sdg_ratio": "{{ tracking__open_sdg_ratio(0.900, 1.000, 3, 0.835, 5, -1) }}",
    "sdg_status": "{{ tracking__open_sdg_status(tracking__open_sdg_ratio(0.900, 1.000, 3, 0.835, 5, -1), 'false') }}",
    "sdg_achieved": "{{ tracking__open_sdg_status(0.1, 'true') }}",
    "sdg_0_6": "{{ tracking__open_sdg_status(0.6, 'false') }}",
    "sdg_0_59": "{{ tracking__open_sdg_status(0.59, 'false') }}",
    "sdg_neg": "{{ tracking__open_sdg_status(-0.01, 'false') }}",
    "sdg_null": "{{ tracking__open_sdg_status('null', 'false') }}",
    # Open SDG without a target: thresholds 1.5 %, 0.5 %, 0 on sign * d * CAGR
    "sdg_growth": "{{ tracking__open_sdg_growth(306, 316, 4, -1) }}",
    "sdg_nt_016": "{{ tracking__open_sdg_status(0.016, 'false', has_target=false) }}",
    "sdg_nt_010": "{{ tracking__open_sdg_status(0.010, 'false', has_target=false) }}",
    "sdg_nt_001": "{{ tracking__open_sdg_status(0.001, 'false', has_target=false) }}",
    "sdg_nt_neg": "{{ tracking__open_sdg_status(-0.001, 'false', has_target=false) }}",
    # Open SDG: a negative base flips the sign
    "sdg_neg_base": "{{ tracking__open_sdg_ratio(-0.9, -1.0, 3, -0.835, 5, -1) }}",
    # §2 UNSD: same vector, v_e = 0.9 (1 + cagr_o)^2, r = (v_e - 1) / (0.835 - 1)
    "unsd_ve": "{{ tracking__expected_value(0.900, 1.000, 3, 2) }}",
    "unsd_r": "{{ tracking__unsd_ratio(tracking__expected_value(0.900, 1.000, 3, 2), 1.000, 0.835) }}",
    "unsd_status": "{{ tracking__unsd_status(tracking__unsd_ratio(tracking__expected_value(0.900, 1.000, 3, 2), 1.000, 0.835)) }}",
    "unsd_0_10": "{{ tracking__unsd_status(0.10) }}",
    "unsd_0_09": "{{ tracking__unsd_status(0.09) }}",
    # a hold (base = target = 28): r is undefined; on track while the expected value holds
    "unsd_hold_ok": "{{ tracking__unsd_status('null', 28.17, 28, 28, 1) }}",
    "unsd_hold_bad": "{{ tracking__unsd_status('null', 27.9, 28, 28, 1) }}",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    sql = "select " + ", ".join(f"{expr} as {name}" for name, expr in CASES.items())
    rows = dbt_show(sql, tmp_path_factory.mktemp("tracking_methods"))
    assert len(rows) == 1
    return rows[0]


def test_even_annual_rates(results):
    # methods.md: 13.5 % -> 2.859 %; 15.5 % -> 3.312 %; 16.5 % -> 3.542 %; 18 % -> 3.891 %
    assert results["annual_13_5"] == pytest.approx(2.859, abs=5e-4)
    assert results["annual_15_5"] == pytest.approx(3.312, abs=5e-4)
    assert results["annual_16_5"] == pytest.approx(3.542, abs=5e-4)
    assert results["annual_18"] == pytest.approx(3.891, abs=5e-4)


def test_even_compound_path_of_16_5(results):
    expected = [3.542, 6.959, 10.255, 13.434, 16.500]  # methods.md §1
    assert [round(results[f"path_k{k}"], 3) for k in range(1, 6)] == expected
    assert results["path_n2"] == pytest.approx(100 * (1 - 0.9 ** 0.5))  # 5.132 %, n = 2 years


def test_cumulative_decline_from_yearly_declines(results):
    assert results["cumulative"] == pytest.approx(14.49, abs=5e-3)  # methods.md: Shaanxi table


def test_share_done_is_compound(results):
    # 13.4 % against 16 % is 82.5 % in compound terms, not 13.4 / 16 = 83.75 %
    assert results["share_done"] == pytest.approx(0.825, abs=5e-4)
    assert results["share_done"] != pytest.approx(0.8375, abs=5e-4)


def test_rate_still_required(results):
    # by hand: 0.835 / 0.905 = 0.922652; sqrt = 0.960548; 1 - that = 3.945 %
    assert results["remaining"] == pytest.approx(3.945, abs=1e-3)
    assert results["remaining_k5"] is None  # no year left
    assert results["linear"] == pytest.approx(93.8)
    assert results["linear_n2"] == pytest.approx(44.0)  # 43 + (45 - 43) x 1/2


def test_bounds_in_the_plan_words(results):
    # 达到95: 95.0 meets it; 超过1 (strict): 1.0 does not, 1.01 does; <75 (strict cap): 75.0 does not
    assert results["meets_at_least"] is True
    assert (results["meets_strict_equal"], results["meets_strict_above"]) == (False, True)
    assert (results["meets_cap_strict_equal"], results["meets_cap_below"]) == (False, True)
    assert results["meets_noise"] is True  # 0.1 + 0.2 = 0.30000000000000004 is 0.3, not above it
    assert results["meets_null"] is None
    assert (results["bound_met"], results["bound_missed"], results["bound_unknown"]) == ("green", "red", "not_available")


def test_barometer_2020_rule(results):
    assert (results["b2020_11"], results["b2020_9_5"], results["b2020_8"], results["b2020_minus1"]) == (
        "green", "yellow", "red", "red")
    # gaps of methods.md: 7.4 % and 22 % of the requirement
    assert results["gap_9_5"] == pytest.approx(7.4, abs=0.05)
    assert results["gap_8"] == pytest.approx(22.0, abs=0.05)
    assert results["gap_11"] == 0


def test_barometer_2021_rule(results):
    # fell but missed the requirement -> yellow (even 8.0 %, red under the 2020 rule); rose -> red
    assert (results["b2021_11"], results["b2021_9_5"], results["b2021_8"], results["b2021_minus1"]) == (
        "green", "yellow", "yellow", "red")
    assert results["b2021_unknown"] == "not_available"


def test_open_sdg_vector(results):
    assert results["cagr_o"] == pytest.approx(-0.034511, abs=1e-6)
    assert results["cagr_r"] == pytest.approx(-0.035422, abs=1e-6)
    assert results["sdg_ratio"] == pytest.approx(0.974, abs=5e-4)
    assert results["sdg_status"] == "substantial_progress"


def test_open_sdg_thresholds(results):
    assert results["sdg_achieved"] == "target_achieved"
    assert results["sdg_0_6"] == "moderate_progress"
    assert results["sdg_0_59"] == "limited_progress"
    assert results["sdg_neg"] == "deterioration"
    assert results["sdg_null"] == "not_available"
    # without a target: by hand -((306/316)^(1/4) - 1) = 0.00801
    assert results["sdg_growth"] == pytest.approx(0.00801, abs=1e-5)
    assert (results["sdg_nt_016"], results["sdg_nt_010"], results["sdg_nt_001"], results["sdg_nt_neg"]) == (
        "substantial_progress", "moderate_progress", "limited_progress", "deterioration")
    # base and current negative: sign = -1 turns the same movement into the opposite ratio
    assert results["sdg_neg_base"] == pytest.approx(-0.974, abs=5e-4)


def test_unsd_vector(results):
    assert results["unsd_ve"] == pytest.approx(0.83895, abs=1e-5)
    assert results["unsd_r"] == pytest.approx(0.976, abs=5e-4)
    assert results["unsd_status"] == "on_track"
    assert (results["unsd_0_10"], results["unsd_0_09"]) == ("acceleration_needed", "stagnation_or_regression")
    assert (results["unsd_hold_ok"], results["unsd_hold_bad"]) == ("on_track", "stagnation_or_regression")
