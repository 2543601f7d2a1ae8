"""The Dagster code location: assets, dependencies, checks, job and schedule as the README says."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dagster import AssetKey, RunRequest, build_schedule_context

from orchestration.definitions import defs
from tests.helpers import DATASETS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

MARTS = {"marts/dim_region", "marts/dim_plan", "marts/dim_indicator", "marts/fct_regional_gdp", "marts/fct_energy_carbon",
         "marts/fct_indicator_value", "marts/fct_target_tracking", "marts/dim_department",
         "marts/bridge_indicator_department", "marts/fct_department_targets", "marts/fct_target_context",
         "marts/fct_co2_sensitivity", "marts/fct_final_evaluation"}

# asset key -> (group, upstream asset keys) beyond the per-source raw and staging pairs
EXPECTED_OTHERS = {
    "reference/regions": ("reference", set()),
    "reference/plans": ("reference", set()),
    "staging/stg_reference__regions": ("reference", {"reference/regions"}),
    "reference/region_aliases": ("reference", set()),
    "reference/indicator_catalog": ("reference", set()),
    "reference/county_targets": ("reference", set()),
    "reference/code_labels": ("reference", set()),
    "reference/accounting_agriculture_factors": ("reference", set()),
    "reference/accounting_co2_parameters": ("reference", set()),
    "reference/accounting_grid_factors": ("reference", set()),
    "reference/accounting_gwp": ("reference", set()),
    "reference/accounting_other_factors": ("reference", set()),
    "reference/accounting_standard_coal_factors": ("reference", set()),
    "intermediate/int_regional_gdp_chain_linked": ("intermediate", {"staging/stg_statistics__regional_gdp",
                                                                    "reference/plans"}),
    "intermediate/int_industrial_value_added_chain_linked": (
        "intermediate", {"staging/stg_statistics__industrial_value_added", "reference/plans"}),
    "intermediate/int_energy_balance_converted": ("intermediate", {
        "reference/accounting_co2_parameters", "reference/accounting_other_factors",
        "reference/accounting_standard_coal_factors", "staging/stg_energy__energy_balance", "staging/stg_energy__power",
        "staging/stg_reference__regions"}),
    "intermediate/int_co2_emissions_totalled": (
        "intermediate", {"intermediate/int_energy_balance_converted", "reference/accounting_grid_factors"}),
    "intermediate/int_operating_vehicle_co2_computed": ("intermediate", {
        "reference/accounting_co2_parameters", "reference/accounting_other_factors",
        "staging/stg_transport__operating_vehicles", "staging/stg_reference__regions"}),
    "intermediate/int_agriculture_emissions_computed": ("intermediate", {
        "reference/accounting_agriculture_factors", "reference/accounting_gwp",
        "staging/stg_agriculture__fertiliser", "staging/stg_agriculture__livestock", "staging/stg_reference__regions"}),
    "intermediate/int_energy_carbon_indicators_unioned": ("intermediate", {
        "intermediate/int_agriculture_emissions_computed", "intermediate/int_co2_emissions_totalled",
        "intermediate/int_energy_balance_converted", "intermediate/int_industrial_value_added_chain_linked",
        "intermediate/int_operating_vehicle_co2_computed", "intermediate/int_regional_gdp_chain_linked",
        "staging/stg_energy__industrial_energy", "staging/stg_energy__power", "staging/stg_transport__bus_fleet",
        "staging/stg_reference__regions", "reference/plans"}),
    "intermediate/int_delivery_rows_by_year": (
        "intermediate", {f"staging/stg_{s}__{d}" for s, ds in DATASETS.items() for d in ds}),
    "intermediate/int_housing_areas_joined": (
        "intermediate", {"staging/stg_housing__retrofits", "staging/stg_housing__new_buildings"}),
    "intermediate/int_afforestation_totalled": ("intermediate", {"staging/stg_forestry__afforestation"}),
    "intermediate/int_fleet_additions_pivoted": ("intermediate", {"staging/stg_transport__fleet_vehicles"}),
    "intermediate/int_closures_totalled": ("intermediate", {"staging/stg_projects__closures",
                                                            "staging/stg_reference__regions"}),
    "intermediate/int_indicator_values_unioned": ("intermediate", {
        "intermediate/int_energy_carbon_indicators_unioned", "intermediate/int_housing_areas_joined",
        "intermediate/int_afforestation_totalled", "intermediate/int_fleet_additions_pivoted",
        "intermediate/int_closures_totalled", "staging/stg_housing__new_buildings", "staging/stg_housing__retrofits",
        "staging/stg_housing__clean_heating", "staging/stg_housing__sponge_city", "staging/stg_housing__low_carbon_pilots",
        "staging/stg_forestry__forest_resources", "staging/stg_forestry__forest_stock", "staging/stg_forestry__grassland",
        "staging/stg_meteorology__weather_service", "staging/stg_transport__bus_fleet", "staging/stg_transport__mode_share",
        "staging/stg_transport__charging", "staging/stg_energy__gas_coverage", "staging/stg_agriculture__utilisation_rates",
        "staging/stg_agriculture__fertiliser", "staging/stg_agriculture__irrigation", "staging/stg_agriculture__farmland",
        "staging/stg_projects__project_ledger"}),
    "marts/dim_region": ("marts", {"staging/stg_reference__regions"}),
    "marts/dim_plan": ("marts", {"reference/plans"}),
    "marts/dim_indicator": ("marts", {"reference/indicator_catalog"}),
    "marts/fct_regional_gdp": ("marts", {"intermediate/int_regional_gdp_chain_linked"}),
    "marts/fct_indicator_value": ("marts", {
        "intermediate/int_indicator_values_unioned", "intermediate/int_delivery_rows_by_year", "marts/dim_indicator",
        "staging/stg_reference__regions", "reference/plans"}),
    "marts/fct_target_tracking": ("marts", {
        "marts/fct_indicator_value", "marts/dim_indicator", "marts/dim_plan", "marts/dim_region",
        "reference/county_targets", "reference/context_targets"}),
    "audit/frozen_assessments": ("tracking", {"marts/fct_target_tracking"}),
    "exports/marts": ("serving", MARTS),
    "docs/dbt_docs": ("serving", MARTS),
    "marts/fct_energy_carbon": ("marts", {"intermediate/int_energy_carbon_indicators_unioned", "reference/plans"}),
    "reports/annual_progress_report": ("reports", {
        "marts/fct_target_tracking", "marts/dim_indicator", "marts/dim_region", "marts/fct_target_context",
        "marts/fct_co2_sensitivity", "marts/fct_department_targets", "marts/dim_department"}),
    # issue 13: departments, context targets, CO2 sensitivity, the final evaluation
    "reference/departments": ("reference", set()),
    "reference/department_aliases": ("reference", set()),
    "reference/context_targets": ("reference", set()),
    "intermediate/int_indicator_departments_listed": (
        "intermediate", {"marts/dim_indicator", "reference/department_aliases"}),
    "marts/dim_department": ("marts", {"reference/departments"}),
    "marts/bridge_indicator_department": ("marts", {"intermediate/int_indicator_departments_listed"}),
    "marts/fct_department_targets": ("marts", {
        "marts/bridge_indicator_department", "marts/dim_department", "marts/fct_target_tracking"}),
    "marts/fct_target_context": ("marts", {"reference/context_targets", "marts/dim_indicator"}),
    "marts/fct_co2_sensitivity": ("marts", {
        "intermediate/int_co2_emissions_totalled", "intermediate/int_regional_gdp_chain_linked",
        "marts/dim_indicator", "reference/accounting_grid_factors"}),
    "marts/fct_final_evaluation": ("marts", {"marts/fct_target_tracking"}),
    "reports/final_evaluation": ("reports", {"marts/fct_final_evaluation", "marts/dim_region"}),
}


def expected_assets() -> dict[str, tuple[str, set[str]]]:
    expected = dict(EXPECTED_OTHERS)
    for source, datasets in DATASETS.items():
        for dataset in datasets:
            raw = f"raw/{source}__{dataset}"
            expected[raw] = (source, set())
            expected[f"staging/stg_{source}__{dataset}"] = (source, {raw})
    # warehouse/published after every asset that writes the warehouse; serving after it.
    serving = {"exports/marts", "docs/dbt_docs", "reports/annual_progress_report", "reports/final_evaluation"}
    expected["warehouse/published"] = ("serving", set(expected) - serving)
    for key in serving:
        group, parents = expected[key]
        expected[key] = (group, parents | {"warehouse/published"})
    # the serving targets registered in orchestration/publishing/hooks.py
    expected["serving/postgres"] = ("serving", {"warehouse/published"})
    return expected


@pytest.fixture(scope="module")
def graph():
    return defs.resolve_asset_graph()


def test_asset_keys_groups_and_dependencies(graph):
    actual = {
        key.to_user_string(): (
            graph.get(key).group_name,
            {p.to_user_string() for p in graph.get(key).parent_keys},
        )
        for key in graph.get_all_asset_keys()
    }
    assert actual == expected_assets()


def test_readme_lists_every_delivery_and_model(graph):
    for source, datasets in DATASETS.items():
        for dataset in datasets:
            assert f"`{source}__{dataset}`" in README, f"{source}__{dataset} is not in the README"
    listed = set(re.findall(r"^\| `([a-z_]+/[a-z_0-9]+)` \|", README, flags=re.MULTILINE))
    assert set(EXPECTED_OTHERS) <= listed


def test_ingestion_is_one_subsettable_step_in_the_duckdb_pool(graph):
    node = graph.get(AssetKey(["raw", "statistics__regional_gdp"]))
    # years are run config, not partitions: a partition of 30 tables meant nothing of its own
    assert node.partitions_def is None
    assets_def = graph.assets_def_for_key(node.key)
    assert (assets_def.op.name, assets_def.op.pool, assets_def.can_subset) == ("ingest_deliveries", "duckdb", True)
    # every raw table of the README is an output of that one step
    assert {k.to_user_string() for k in assets_def.keys} == {
        f"raw/{source}__{dataset}" for source, datasets in DATASETS.items() for dataset in datasets}
    assert graph.assets_def_for_key(AssetKey(["marts", "fct_regional_gdp"])).op.pool == "duckdb"


def test_expectation_suite_is_a_blocking_check_on_ingestion(graph):
    spec = next(s for s in graph.assets_def_for_key(AssetKey(["raw", "statistics__regional_gdp"])).check_specs)
    assert (spec.name, spec.blocking) == ("great_expectations_suite", True)


def test_dbt_tests_are_asset_checks(graph):
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("marts/fct_regional_gdp", "assert_constant_equals_current_in_base_year") in checks
    assert ("marts/fct_regional_gdp", "unique_combination_fct_regional_gdp_region_code__year__price_base_year") in checks
    # error-severity dbt tests block downstream assets; warn-severity ones (county sums) do not
    specs = [s for ad in [graph.assets_def_for_key(AssetKey(["staging", "stg_statistics__regional_gdp"]))]
             for s in ad.check_specs if s.asset_key == AssetKey(["staging", "stg_statistics__regional_gdp"])]
    blocking = {s.name: s.blocking for s in specs}
    assert blocking["unbroken_years_stg_statistics__regional_gdp_year__region_code"] is True
    assert [v for k, v in blocking.items() if k.startswith("counties_sum_to_city")] == [False]


def test_job_and_schedule_are_registered():
    assert defs.resolve_job_def("materialize_all") is not None
    schedule = defs.resolve_schedule_def("yearly_after_bulletin")
    assert schedule.cron_schedule == "0 6 30 4 *"
    assert schedule.execution_timezone == "Asia/Shanghai"


@pytest.mark.parametrize("when,expected", [(datetime(2025, 4, 30, 6), "2024"), (datetime(2026, 4, 30, 6), "2025")])
def test_schedule_asks_for_the_year_the_bulletin_covers(when, expected):
    schedule = defs.resolve_schedule_def("yearly_after_bulletin")
    context = build_schedule_context(
        scheduled_execution_time=when.replace(tzinfo=ZoneInfo("Asia/Shanghai")), repository_def=defs.get_repository_def()
    )
    (request,) = schedule.evaluate_tick(context).run_requests
    assert isinstance(request, RunRequest)
    assert request.run_config == {"ops": {"ingest_deliveries": {"config": {"years": expected}}}}


def test_schedule_skips_years_beyond_the_plan():
    schedule = defs.resolve_schedule_def("yearly_after_bulletin")
    context = build_schedule_context(
        scheduled_execution_time=datetime(2032, 4, 30, 6, tzinfo=ZoneInfo("Asia/Shanghai")),
        repository_def=defs.get_repository_def(),
    )
    result = schedule.evaluate_tick(context)
    # tracked: 2015-2030 (the 14th plan's period and the ones either side of it); 2031 is not
    assert not result.run_requests and "2031 is outside the tracked years" in result.skip_message


def test_arrivals_sensor_and_delivery_checks_are_registered(graph):
    assert defs.resolve_sensor_def("raw_arrivals").job_name == "materialize_all"
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    for source, datasets in DATASETS.items():
        for dataset in datasets:
            assert (f"raw/{source}__{dataset}", "delivery_on_time") in checks
    assert defs.resolve_job_def("check_deliveries_on_time") is not None
    schedule = defs.resolve_schedule_def("daily_delivery_check")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 7 * * *", "Asia/Shanghai")


def test_years_of_a_run(monkeypatch):
    from orchestration import settings
    from orchestration.assets.ingestion import parse_years

    monkeypatch.setattr(settings, "YEARS", [str(y) for y in range(2015, 2031)])
    assert parse_years(None) == settings.YEARS
    assert parse_years("2024") == ["2024"]
    assert parse_years("2021-2023") == ["2021", "2022", "2023"]
