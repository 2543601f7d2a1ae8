{#- Each city's energy balance (cities from the region tree) converted to standard coal and (for
    fuels and heat) CO2, one row per city, year and fuel, as raw/energy/README.md "Accounting used" states:
    - fossil fuels: counted = final consumption + inputs to thermal power and heat supply (inputs
      are printed negative); there are no fossil losses in these tables, so this is local use.
      CO2 on the combusted part only (counted less 其中:用作原料、材料).
    - electricity: counted = local primary production + net inflow (inflow + outflow, outflow
      negative); thermal power's fuel is already counted above. CO2 is on the net inflow, with the
      grid factor, in int_co2_emissions_totalled.
    - heat: counted = net inflow. -#}
{% set conversion = accounting__choice('electricity_conversion') %}

with balance as (
    select
        region_code,
        year,
        fuel,
        max(unit) as balance_unit,
        -- '—' (null) counts as 0
        coalesce(sum(quantity) filter (where category = 'final_consumption_total'), 0) as final_consumption,
        coalesce(sum(quantity) filter (where category = 'thermal_power'), 0) as thermal_power,
        coalesce(sum(quantity) filter (where category = 'heat_supply'), 0) as heat_supply,
        coalesce(sum(quantity) filter (where category = 'final_industry_feedstock'), 0) as feedstock_quantity,
        coalesce(sum(quantity) filter (where category = 'primary_production'), 0) as primary_production,
        coalesce(sum(quantity) filter (where category = 'inflow_other_provinces'), 0)
            + coalesce(sum(quantity) filter (where category = 'outflow_other_provinces'), 0) as net_inflow,
        {{ accounting__worst_status('status') }} as status
    from {{ ref('stg_energy__energy_balance') }}
    where region_code in {{ region_codes('city') }}
    group by region_code, year, fuel
),

coal_rate as (
    select region_code, year, supply_coal_rate_gce_per_kwh, status as power_status
    from {{ ref('stg_energy__power') }}
    where plant_type = 'coal'
),

sce as (
    select
        fuel,
        any_value(fuel_zh) as fuel_zh,
        any_value(fuel_group) as fuel_group,
        max(factor_per_balance_unit) filter (where conversion in ('standard', 'calorific_equivalent')) as calorific_factor,
        max(factor_per_balance_unit) filter (where conversion = 'standard') as standard_factor
    from {{ ref('accounting_standard_coal_factors') }}
    group by fuel
),

co2_params as (
    select
        fuel,
        -- t CO2 per t (or per 10^4 m3): NCV (GJ) x CC (tC/TJ) / 1000 x OF x 44/12; the same number
        -- turns 万吨 (亿m3) into 万t CO2
        ncv * carbon_content_tc_per_tj / 1000 * oxidation_fraction * 44 / 12 as co2_factor,
        flagged as co2_factor_flagged
    from {{ ref('accounting_co2_parameters') }}
),

heat_factor as (
    -- tCO2/GJ; 万百万千焦 = 10^4 GJ, so it gives 万t CO2
    select value as heat_co2_factor from {{ ref('accounting_other_factors') }} where parameter = 'heat_co2'
),

counted as (
    select
        balance.*,
        sce.fuel_zh,
        sce.fuel_group,
        case
            when sce.fuel_group = 'electricity' then primary_production + net_inflow
            when sce.fuel_group = 'heat' then net_inflow
            else final_consumption - thermal_power - heat_supply
        end as counted_quantity,
        coal_rate.supply_coal_rate_gce_per_kwh,
        -- gce/kWh x 10^8 kWh = 10^8 g = 10^4 t x rate/100: 万tce per 亿kWh
        case when sce.fuel_group = 'electricity' then coal_rate.supply_coal_rate_gce_per_kwh / 100
             else sce.standard_factor end as factor_coal_rate,
        sce.calorific_factor as factor_calorific,
        co2_params.co2_factor,
        co2_params.co2_factor_flagged,
        heat_factor.heat_co2_factor,
        case when sce.fuel_group = 'electricity'
             then {{ accounting__combine_status('balance.status', 'coal_rate.power_status') }}
             else balance.status end as row_status
    from balance
    join sce using (fuel)
    left join co2_params using (fuel)
    left join coal_rate using (region_code, year)
    cross join heat_factor
)

select
    year,
    region_code,
    fuel,
    fuel_zh,
    fuel_group,
    balance_unit,
    final_consumption,
    thermal_power + heat_supply as conversion_inputs,
    primary_production,
    net_inflow,
    counted_quantity,
    case when fuel_group in ('coal', 'oil', 'gas') then feedstock_quantity else 0 end as feedstock_quantity,
    case when fuel_group in ('coal', 'oil', 'gas') then counted_quantity - feedstock_quantity
         when fuel_group = 'heat' then net_inflow end as combusted_quantity,
    supply_coal_rate_gce_per_kwh,
    factor_coal_rate,
    factor_calorific,
    counted_quantity * factor_coal_rate as energy_coal_rate_10k_tce,
    counted_quantity * factor_calorific as energy_calorific_10k_tce,
    counted_quantity * {{ 'factor_calorific' if conversion == 'calorific_equivalent' else 'factor_coal_rate' }} as energy_10k_tce,
    '{{ conversion }}' as electricity_conversion,
    case when fuel_group in ('coal', 'oil', 'gas') then feedstock_quantity * factor_coal_rate else 0 end
        as feedstock_energy_10k_tce,
    -- the electricity term is the primary (non-fossil) power the city keeps after net trade
    case when fuel_group = 'electricity'
         then counted_quantity * {{ 'factor_calorific' if conversion == 'calorific_equivalent' else 'factor_coal_rate' }}
         else 0 end as non_fossil_energy_10k_tce,
    co2_factor,
    coalesce(co2_factor_flagged, false) as co2_factor_flagged,
    case when fuel_group in ('coal', 'oil', 'gas') then (counted_quantity - feedstock_quantity) * co2_factor
         when fuel_group = 'heat' then net_inflow * heat_co2_factor end as co2_10k_t,
    row_status as status
from counted
