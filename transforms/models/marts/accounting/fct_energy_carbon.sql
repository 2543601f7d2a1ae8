{#- Energy and carbon indicators, long: one row per city, year, indicator, breakdown, basis,
    electricity conversion and price-base year (intensities: one series per plan's price base).
    Intensities and totals also get their change on the previous year and cumulatively since the
    base year of the five-year period the year falls in (base_year: the latest base year of a plan
    in plans.csv, or of the period before one, that lies before the year: for the bundled plan its
    years on its base year, the previous period's on that period's base): change = value /
    value_then - 1, in per cent (negative = decline), i.e. 1 - I_t / I_0 as a decline (methods.md §1). Unrounded intensities go into the ratios. A change from zero has no
    value (null, not NaN). Published values are rounded to 9 decimals: DuckDB's parallel sums can
    differ in the last bits between two runs on the same deliveries (seen: 1e-14 in a change),
    and a rerun must give the same mart. -#}
{% set with_changes = ['energy_consumption', 'co2_emissions', 'energy_per_gdp', 'co2_per_gdp',
                       'industrial_energy_per_value_added', 'operating_vehicle_co2_per_converted_turnover'] %}

with indicators as (
    select * from {{ ref('int_energy_carbon_indicators_unioned') }}
),

-- The periods' base years, from the plans: each plan's base year and that of the period before it.
reference_years as (
    select cast(base_year as integer) as reference_year from {{ ref('plans') }}
    union
    select 2 * cast(base_year as integer) - cast(last_year as integer) from {{ ref('plans') }}
),

with_base as (
    select
        i.*,
        lag(i.value) over w as previous_value,
        lag(i.year) over w as previous_year,
        r.reference_year as base_year
    from indicators as i
    asof left join reference_years as r on i.year > r.reference_year
    window w as (partition by region_code, indicator, breakdown, basis, electricity_conversion, price_base_year order by i.year)
),

with_base_value as (
    select c.*, b.value as base_value
    from with_base as c
    left join indicators as b
        -- the series' key; electricity conversion and price base are null where they do not apply
        on b.region_code = c.region_code and b.indicator = c.indicator and b.breakdown = c.breakdown
        and b.basis = c.basis and b.electricity_conversion is not distinct from c.electricity_conversion
        and b.price_base_year is not distinct from c.price_base_year and b.year = c.base_year
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
    cast(base_year as integer) as base_year,
    case when indicator in ('{{ with_changes | join("', '") }}')
         then round(100 * (value / nullif(base_value, 0) - 1), 9) end as change_since_base_pct,
    grid_level,
    grid_factor_tco2_per_mwh,
    cast(grid_factor_year as integer) as grid_factor_year,
    grid_factor_carried,
    gwp_set,
    method,
    status
from with_base_value
