{#- Every energy and carbon indicator of issue 4 stacked, one row per city (region tree), year,
    indicator, breakdown (fuel, animal or 'all'), basis, electricity conversion and price-base year,
    with the choices behind each value on the row. Changes over time are added in
    marts.fct_energy_carbon.
    Intensities come once per price-base year that a plan needs (seed plans), so each plan is
    judged at its own constant prices. Energy bases (methods.md §1, the assessment of the 14th five-year period):
    plain_statistics; feedstock_deducted (原料用能 deducted); feedstock_and_added_renewable_deducted
    (原料用能 and 新增可再生能源 deducted: only the renewable electricity consumed above its level
    in the plan's base year, at the year's conversion factor; never all non-fossil energy). -#}
{% set conversion = accounting__choice('electricity_conversion') %}
{% set gwp_set = accounting__choice('gwp_set') %}
{% set conv_note = "electricity at the yearly supply coal rate of coal power (coal_rate_equivalent)" if conversion == 'coal_rate_equivalent'
                   else "electricity at the calorific equivalent 0.1229 kgce/kWh" %}

with fuels as (
    select * from {{ ref('int_energy_balance_converted') }}
),

energy as (
    select
        region_code,
        year,
        sum(energy_10k_tce) as energy_10k_tce,
        sum(energy_coal_rate_10k_tce) as energy_coal_rate_10k_tce,
        sum(energy_calorific_10k_tce) as energy_calorific_10k_tce,
        sum(feedstock_energy_10k_tce) as feedstock_energy_10k_tce,
        sum(energy_10k_tce) filter (where fuel_group = 'coal') as coal_energy_10k_tce,
        sum(non_fossil_energy_10k_tce) as non_fossil_energy_10k_tce,
        sum(counted_quantity * factor_calorific) filter (where fuel_group = 'electricity') as non_fossil_calorific_10k_tce,
        -- renewable electricity kept in the city (亿kWh): local primary (wind, solar, biomass,
        -- hydro) generation + net inflow; the city is a net exporter, so this is local renewable use
        sum(counted_quantity) filter (where fuel_group = 'electricity') as renewable_100m_kwh,
        max({{ 'factor_calorific' if conversion == 'calorific_equivalent' else 'factor_coal_rate' }})
            filter (where fuel_group = 'electricity') as electricity_factor,
        max(supply_coal_rate_gce_per_kwh) as supply_coal_rate,
        {{ accounting__worst_status('status') }} as status
    from fuels
    group by region_code, year
),

-- one row per price-base year of the plans, with the base year whose renewable level is kept
price_bases as (
    select cast(price_base_year as integer) as price_base_year, min(cast(base_year as integer)) as reference_year
    from {{ ref('plans') }}
    group by all
),

added_renewable as (
    select
        e.region_code,
        e.year,
        p.price_base_year,
        p.reference_year,
        greatest(e.renewable_100m_kwh - r.renewable_100m_kwh, 0) * e.electricity_factor as added_renewable_10k_tce,
        {{ accounting__combine_status('e.status', 'r.status') }} as status
    from energy as e
    cross join price_bases as p
    join energy as r on r.region_code = e.region_code and r.year = p.reference_year
),

co2 as (
    select * from {{ ref('int_co2_emissions_totalled') }} where is_chosen
),

gdp as (
    select region_code, year, price_base_year, gdp_constant_base_100m_yuan as gdp_constant, status as gdp_status
    from {{ ref('int_regional_gdp_chain_linked') }}
    where region_code in {{ region_codes('city') }} and gdp_constant_base_100m_yuan is not null
),

industry as (
    select
        e.region_code,
        e.year,
        v.price_base_year,
        e.industrial_energy_10k_tce,
        v.industrial_va_constant_base_100m_yuan as va_constant,
        {{ accounting__combine_status('e.status', 'v.status') }} as status
    from {{ ref('stg_energy__industrial_energy') }} as e
    join {{ ref('int_industrial_value_added_chain_linked') }} as v using (region_code, year)
    where e.region_code in {{ region_codes('city') }}
),

power as (
    select
        region_code,
        year,
        sum(capacity_10k_kw) filter (where plant_type in ('wind', 'solar', 'biomass', 'hydro')) as renewable_cap,
        sum(capacity_10k_kw) filter (where plant_type in ('coal', 'gas', 'wind', 'solar', 'biomass', 'hydro')) as total_cap,
        sum(generation_100m_kwh) filter (where plant_type in ('wind', 'solar', 'biomass', 'hydro')) as renewable_gen,
        sum(generation_100m_kwh) filter (where plant_type in ('coal', 'gas', 'wind', 'solar', 'biomass', 'hydro')) as total_gen,
        sum(capacity_10k_kw) filter (where plant_type in ('wind', 'solar')) as new_energy_cap,
        sum(capacity_10k_kw) filter (where plant_type in ('coal', 'gas')) as thermal_cap,
        sum(capacity_10k_kw) filter (where plant_type = 'coal') as coal_cap,
        sum(capacity_10k_kw) filter (where plant_type = 'coal_300mw_plus') as coal_300_cap,
        max(supply_coal_rate_gce_per_kwh) filter (where plant_type = 'coal') as supply_coal_rate,
        -- the renewable subtotal row carries the plan's published shares (final in 2015 and 2020)
        max(status) filter (where plant_type = 'renewable') as renewable_status,
        {{ accounting__worst_status('status') }} as status
    from {{ ref('stg_energy__power') }}
    where region_code in {{ region_codes('city') }}
    group by region_code, year
),

buses as (
    select
        region_code,
        year,
        stock_total_buses as total,
        stock_battery_electric_buses + stock_hybrid_buses + stock_hydrogen_buses as new_energy,
        stock_battery_electric_buses + stock_hybrid_buses + stock_hydrogen_buses + stock_natural_gas_buses as clean_energy,
        added_total_buses as added,
        added_battery_electric_buses + added_hybrid_buses + added_hydrogen_buses as added_new_energy,
        status
    from {{ ref('stg_transport__bus_fleet') }}
    where region_code in {{ region_codes('city') }}
),

unioned as (
    -- energy consumption by fuel and in total
    select region_code, year, cast(null as integer) as price_base_year, 'energy_consumption' as indicator, fuel as breakdown, 'plain_statistics' as basis,
           '{{ conversion }}' as electricity_conversion, energy_10k_tce as value, '万tce' as unit,
           cast(null as varchar) as grid_level, cast(null as double) as grid_factor_tco2_per_mwh,
           cast(null as integer) as grid_factor_year, cast(null as varchar) as grid_factor_carried,
           cast(null as varchar) as gwp_set,
           'counted quantity x standard-coal factor (seed accounting_standard_coal_factors); fossil: final + conversion inputs; electricity: primary + net inflow; heat: net inflow; {{ conv_note }}' as method,
           status
    from fuels
    union all
    select region_code, year, cast(null as integer), 'energy_consumption', 'all', 'plain_statistics', '{{ conversion }}', energy_10k_tce, '万tce',
           null, null, null, null, null, 'sum over fuels; {{ conv_note }}', status
    from energy
    union all
    select region_code, year, cast(null as integer), 'energy_consumption', 'all', 'feedstock_deducted', '{{ conversion }}',
           energy_10k_tce - feedstock_energy_10k_tce, '万tce', null, null, null, null, null,
           'sum over fuels less 其中:用作原料、材料 (feedstock) at its standard-coal factor; {{ conv_note }}', status
    from energy
    union all
    select a.region_code, a.year, a.price_base_year, 'energy_consumption', 'all', 'feedstock_and_added_renewable_deducted', '{{ conversion }}',
           energy_10k_tce - feedstock_energy_10k_tce - a.added_renewable_10k_tce, '万tce', null, null, null, null, null,
           'sum over fuels less feedstock (原料用能) and less the renewable electricity consumed above its ' || a.reference_year
           || ' level (新增可再生能源, at the year''s factor); {{ conv_note }}', a.status
    from energy join added_renewable as a using (region_code, year)
    {% for alt in ['coal_rate_equivalent', 'calorific_equivalent'] if alt != conversion %}
    union all
    select region_code, year, cast(null as integer), 'energy_consumption', 'all', 'plain_statistics', '{{ alt }}',
           energy_{{ 'calorific' if alt == 'calorific_equivalent' else 'coal_rate' }}_10k_tce, '万tce',
           null, null, null, null, null, 'sum over fuels; alternative electricity conversion {{ alt }} (for comparison)', status
    from energy
    {% endfor %}
    union all
    select region_code, year, cast(null as integer), 'coal_share_pct', 'all', 'plain_statistics', '{{ conversion }}',
           100 * coal_energy_10k_tce / energy_10k_tce, '%', null, null, null, null, null,
           'raw coal + cleaned coal + coke + coke-oven gas over total energy consumption; {{ conv_note }}', status
    from energy
    union all
    select region_code, year, cast(null as integer), 'non_fossil_share_pct', 'all', 'plain_statistics', '{{ conversion }}',
           100 * non_fossil_energy_10k_tce / energy_10k_tce, '%', null, null, null, null, null,
           'electricity term of the total (local primary electricity + net inflow; thermal power fuel is counted under fossil fuels) over total energy consumption; {{ conv_note }}', status
    from energy
    -- energy per unit of GDP at each plan's constant prices: 万tce / 亿元 = tce / 万元
    union all
    select region_code, year, gdp.price_base_year, 'energy_per_gdp', 'all', 'plain_statistics', '{{ conversion }}',
           energy_10k_tce / gdp.gdp_constant, 'tce/万元 (' || gdp.price_base_year || ' prices)', null, null, null, null, null,
           'total energy consumption / GDP at ' || gdp.price_base_year || ' prices (int_regional_gdp_chain_linked, real, never nominal); {{ conv_note }}',
           {{ accounting__combine_status('energy.status', 'gdp.gdp_status') }}
    from energy join gdp using (region_code, year)
    union all
    select region_code, year, gdp.price_base_year, 'energy_per_gdp', 'all', 'feedstock_deducted', '{{ conversion }}',
           (energy_10k_tce - feedstock_energy_10k_tce) / gdp.gdp_constant, 'tce/万元 (' || gdp.price_base_year || ' prices)', null, null, null, null, null,
           'energy consumption less feedstock (原料用能) / GDP at ' || gdp.price_base_year || ' prices; {{ conv_note }}',
           {{ accounting__combine_status('energy.status', 'gdp.gdp_status') }}
    from energy join gdp using (region_code, year)
    union all
    select region_code, year, gdp.price_base_year, 'energy_per_gdp', 'all', 'feedstock_and_added_renewable_deducted', '{{ conversion }}',
           (energy_10k_tce - feedstock_energy_10k_tce - a.added_renewable_10k_tce) / gdp.gdp_constant,
           'tce/万元 (' || gdp.price_base_year || ' prices)', null, null, null, null, null,
           'energy consumption less feedstock (原料用能) and less the renewable electricity consumed above its ' || a.reference_year
           || ' level (新增可再生能源) / GDP at ' || gdp.price_base_year || ' prices (the official assessment basis); {{ conv_note }}',
           {{ accounting__combine_status(accounting__combine_status('energy.status', 'gdp.gdp_status'), 'a.status') }}
    from energy
    join gdp using (region_code, year)
    join added_renewable as a using (region_code, year, price_base_year)
    -- CO2 by fuel, heat, electricity and in total
    union all
    select region_code, year, cast(null as integer), 'co2_emissions', fuel, 'plain_statistics', null, co2_10k_t, '万t CO2', null, null, null, null, null,
           case when fuel_group = 'heat' then 'net heat inflow x 0.11 tCO2/GJ (seed accounting_other_factors)'
                else 'combusted quantity (counted less feedstock) x NCV x CC x OF x 44/12 (seed accounting_co2_parameters'
                     || case when co2_factor_flagged then ', flagged parameters' else '' end || ')' end,
           status
    from fuels
    where fuel_group <> 'electricity'
    union all
    select region_code, year, cast(null as integer), 'co2_emissions', 'electricity', 'plain_statistics', null, electricity_co2_10k_t, '万t CO2',
           grid_level, grid_factor_tco2_per_mwh, grid_factor_year, grid_factor_carried, null,
           'net electricity inflow x grid factor (seed accounting_grid_factors); negative: the city exports power', status
    from co2
    union all
    select region_code, year, cast(null as integer), 'co2_emissions', 'all', 'plain_statistics', null, total_co2_10k_t, '万t CO2',
           grid_level, grid_factor_tco2_per_mwh, grid_factor_year, grid_factor_carried, null,
           'fossil fuels (feedstock deducted) + net heat inflow + net electricity inflow x grid factor', status
    from co2
    union all
    select region_code, year, gdp.price_base_year, 'co2_per_gdp', 'all', 'plain_statistics', null, total_co2_10k_t / gdp.gdp_constant,
           'tCO2/万元 (' || gdp.price_base_year || ' prices)', grid_level, grid_factor_tco2_per_mwh, grid_factor_year, grid_factor_carried, null,
           'total CO2 / GDP at ' || gdp.price_base_year || ' prices (real, never nominal)',
           {{ accounting__combine_status('co2.status', 'gdp.gdp_status') }}
    from co2 join gdp using (region_code, year)
    -- above-scale industry
    union all
    select region_code, year, price_base_year, 'industrial_energy_per_value_added', 'all', 'plain_statistics', null,
           industrial_energy_10k_tce / va_constant, 'tce/万元 (' || price_base_year || ' prices)', null, null, null, null, null,
           'above-scale industrial energy (stg_energy__industrial_energy) / above-scale industrial value added at ' || price_base_year
           || ' prices, chain-linked from its volume indices (no value where the chain is broken: 2016-2019 not delivered)',
           status
    from industry
    where va_constant is not null
    -- power
    union all
    select region_code, year, cast(null as integer), 'renewable_capacity_share_pct', 'all', 'plain_statistics', null, 100 * renewable_cap / total_cap, '%',
           null, null, null, null, null, 'wind + solar + biomass + hydro capacity over the sum of all plant types', renewable_status
    from power
    union all
    select region_code, year, cast(null as integer), 'renewable_generation_share_pct', 'all', 'plain_statistics', null, 100 * renewable_gen / total_gen, '%',
           null, null, null, null, null, 'wind + solar + biomass + hydro generation over the sum of all plant types', renewable_status
    from power
    union all
    select region_code, year, cast(null as integer), 'new_energy_capacity', 'all', 'plain_statistics', null, new_energy_cap, '万千瓦',
           null, null, null, null, null, 'wind + solar capacity', status
    from power
    union all
    select region_code, year, cast(null as integer), 'thermal_capacity', 'all', 'plain_statistics', null, thermal_cap, '万千瓦',
           null, null, null, null, null, 'coal + gas capacity', status
    from power
    union all
    select region_code, year, cast(null as integer), 'new_energy_to_thermal_capacity_ratio', 'all', 'plain_statistics', null, new_energy_cap / thermal_cap, 'ratio',
           null, null, null, null, null, 'wind + solar over coal + gas capacity (plan: new energy above thermal by 2025)', status
    from power
    union all
    select region_code, year, cast(null as integer), 'coal_300mw_plus_share_of_thermal_pct', 'all', 'plain_statistics', null, 100 * coal_300_cap / thermal_cap, '%',
           null, null, null, null, null, 'coal units >= 300 MW over thermal (coal + gas) capacity, the plan''s basis (75 % by 2025)', status
    from power
    union all
    select region_code, year, cast(null as integer), 'coal_300mw_plus_share_of_coal_pct', 'all', 'plain_statistics', null, 100 * coal_300_cap / coal_cap, '%',
           null, null, null, null, null, 'coal units >= 300 MW over coal capacity', status
    from power
    union all
    select region_code, year, cast(null as integer), 'supply_coal_rate', 'all', 'plain_statistics', null, supply_coal_rate, 'gce/kWh',
           null, null, null, null, null, 'average supply coal rate of coal power as delivered', status
    from power
    -- transport
    union all
    select region_code, year, cast(null as integer), 'operating_vehicle_co2', 'all', 'plain_statistics', null, co2_10k_t, '万t CO2',
           null, null, null, null, null, 'passenger and freight operating vehicles, diesel + gasoline + natural gas x NCV x CC x OF x 44/12; electricity and taxis left out', status
    from {{ ref('int_operating_vehicle_co2_computed') }}
    union all
    select region_code, year, cast(null as integer), 'converted_turnover', 'all', 'plain_statistics', null, converted_turnover_10k_tkm, '万t·km',
           null, null, null, null, null, 'freight t·km + passenger p·km x 0.1 (road, methods.md §4)', status
    from {{ ref('int_operating_vehicle_co2_computed') }}
    union all
    select region_code, year, cast(null as integer), 'operating_vehicle_co2_per_converted_turnover', 'all', 'plain_statistics', null, co2_t_per_10k_tkm, 'tCO2/万t·km',
           null, null, null, null, null, 'operating-vehicle direct CO2 / converted turnover', status
    from {{ ref('int_operating_vehicle_co2_computed') }}
    union all
    select region_code, year, cast(null as integer), 'new_energy_bus_share_pct', 'all', 'plain_statistics', null, 100 * new_energy / total, '%',
           null, null, null, null, null, 'battery electric + hybrid + hydrogen buses over the year-end stock', status
    from buses
    union all
    select region_code, year, cast(null as integer), 'clean_energy_bus_share_pct', 'all', 'plain_statistics', null, 100 * clean_energy / total, '%',
           null, null, null, null, null, 'new-energy + natural-gas buses over the year-end stock (新能源及清洁能源公交车比例)', status
    from buses
    union all
    select region_code, year, cast(null as integer), 'new_energy_bus_share_of_added_pct', 'all', 'plain_statistics', null, 100 * added_new_energy / nullif(added, 0), '%',
           null, null, null, null, null, 'battery electric + hybrid + hydrogen buses over buses added in the year', status
    from buses
    -- agriculture (chosen GWP set)
    union all
    select region_code, year, cast(null as integer), 'agriculture_ch4_co2e', item, 'plain_statistics', null, co2e_10k_t, '万t CO2e',
           null, null, null, null, gwp_set, 'year-end head x enteric CH4 factor (IPCC Tier 1) x GWP', status
    from {{ ref('int_agriculture_emissions_computed') }}
    where is_chosen and gas = 'CH4'
    union all
    select region_code, year, cast(null as integer), 'agriculture_ch4_co2e', 'all', 'plain_statistics', null, sum(co2e_10k_t), '万t CO2e',
           null, null, null, null, any_value(gwp_set), 'enteric fermentation CH4 of all animals x GWP',
           {{ accounting__worst_status('status') }}
    from {{ ref('int_agriculture_emissions_computed') }}
    where is_chosen and gas = 'CH4'
    group by region_code, year
    union all
    select region_code, year, cast(null as integer), 'fertiliser_n2o_co2e', 'all', 'plain_statistics', null, co2e_10k_t, '万t CO2e',
           null, null, null, null, gwp_set, 'nitrogen fertiliser (pure N) x EF1 x 44/28 x GWP; compound fertiliser N not counted', status
    from {{ ref('int_agriculture_emissions_computed') }}
    where is_chosen and gas = 'N2O'
)

select year, region_code, * exclude (year, region_code)
from unioned
where value is not null
