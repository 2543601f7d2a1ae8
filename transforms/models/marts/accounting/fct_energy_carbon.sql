{#- Energy and carbon indicators, long: one row per city, year, indicator, breakdown, basis,
    electricity conversion and price-base year (intensities: one series per plan's price base). Intensities and totals also get their change on the previous year and
    cumulatively since 2020 (the plan's base) and 2015 (the previous plan's base):
    change = value / value_then - 1, in per cent (negative = decline), i.e. 1 - I_t / I_0 as a
    decline (methods.md §1). Unrounded intensities go into the ratios. A change from zero has no
    value (null, not NaN). Published values are rounded to 9 decimals: DuckDB's parallel sums can
    differ in the last bits between two runs on the same deliveries (seen: 1e-14 in a change),
    and a rerun must give the same mart. -#}
{% set with_changes = ['energy_consumption', 'co2_emissions', 'energy_per_gdp', 'co2_per_gdp',
                       'industrial_energy_per_value_added', 'operating_vehicle_co2_per_converted_turnover'] %}

with indicators as (
    select * from {{ ref('int_energy_carbon_indicators_unioned') }}
),

with_base as (
    select
        *,
        lag(value) over w as previous_value,
        lag(year) over w as previous_year,
        max(case when year = 2020 then value end) over (partition by region_code, indicator, breakdown, basis, electricity_conversion, price_base_year) as value_2020,
        max(case when year = 2015 then value end) over (partition by region_code, indicator, breakdown, basis, electricity_conversion, price_base_year) as value_2015
    from indicators
    window w as (partition by region_code, indicator, breakdown, basis, electricity_conversion, price_base_year order by year)
)

select
    cast(year as integer) as year,
    region_code,
    indicator,
    breakdown,
    basis,
    electricity_conversion,
    price_base_year,
    round(value, 9) as value,
    unit,
    case when indicator in ('{{ with_changes | join("', '") }}') and previous_year = year - 1
         then round(100 * (value / nullif(previous_value, 0) - 1), 9) end as change_prev_year_pct,
    case when indicator in ('{{ with_changes | join("', '") }}') and year > 2020
         then round(100 * (value / nullif(value_2020, 0) - 1), 9) end as change_since_2020_pct,
    case when indicator in ('{{ with_changes | join("', '") }}') and year > 2015
         then round(100 * (value / nullif(value_2015, 0) - 1), 9) end as change_since_2015_pct,
    grid_level,
    grid_factor_tco2_per_mwh,
    cast(grid_factor_year as integer) as grid_factor_year,
    grid_factor_carried,
    gwp_set,
    method,
    status
from with_base
