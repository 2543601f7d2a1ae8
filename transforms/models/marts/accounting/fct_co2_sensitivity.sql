{#- How the CO2-intensity decline moves with the accounting: one row per year, grid level, grid
    factor vintage (each published vintage applied to every year, or 'by_year': each year its own,
    carried, factor) and export credit (with: net electricity exports are credited at the grid factor,
    as the default accounting does; without: exports count zero). Fossil-combustion CO2 (coal, oil,
    gas burnt in the city, which depends on none of these choices) per unit of GDP stands beside it.
    Declines are against the same choice in the base year of the CO2-intensity target. -#}
{% set default_vintage = accounting__choice('grid_factor_year') | string %}

with energy as (
    -- fuels, heat and net electricity inflow do not depend on the grid: one row per year
    select year, region_code, fuel_co2_10k_t, coalesce(heat_co2_10k_t, 0) as heat_co2_10k_t,
           electricity_net_inflow_100m_kwh, status
    from {{ ref('int_co2_emissions_totalled') }}
    where is_chosen
),

gdp as (
    select year, region_code, gdp_constant_base_100m_yuan as gdp_constant, status as gdp_status
    from {{ ref('int_regional_gdp_chain_linked') }}
),

base as (
    select baseline_year as base_year from {{ ref('dim_indicator') }} where indicator_id = 'co2_per_gdp'
),

vintages as (
    select distinct cast(year as varchar) as factor_vintage, year as vintage_year
    from {{ ref('accounting_grid_factors') }} where carried = 'own_year'
    union all
    select 'by_year', null
),

factors as (
    select e.year, g.grid_level, v.factor_vintage, g.factor_tco2_per_mwh, g.factor_year, g.carried
    from energy as e
    cross join vintages as v
    join {{ ref('accounting_grid_factors') }} as g on g.year = coalesce(v.vintage_year, e.year)
),

choices as (
    select
        e.year,
        e.region_code,
        f.grid_level,
        f.factor_vintage,
        c.export_credit,
        f.factor_tco2_per_mwh as grid_factor_tco2_per_mwh,
        f.factor_year as grid_factor_year,
        f.carried as grid_factor_carried,
        e.fuel_co2_10k_t,
        e.heat_co2_10k_t,
        e.electricity_net_inflow_100m_kwh,
        -- 亿kWh = 10^5 MWh; t -> 万t: / 10^4. Without the credit a net export counts zero.
        (case when c.export_credit then e.electricity_net_inflow_100m_kwh
              else greatest(e.electricity_net_inflow_100m_kwh, 0) end) * 1e5 * f.factor_tco2_per_mwh / 1e4
            as electricity_co2_10k_t,
        g.gdp_constant,
        {{ accounting__combine_status('e.status', 'g.gdp_status') }} as status
    from energy as e
    join factors as f using (year)
    cross join (values (true), (false)) as c(export_credit)
    join gdp as g on g.year = e.year and g.region_code = e.region_code
),

intensities as (
    select
        *,
        fuel_co2_10k_t + heat_co2_10k_t + electricity_co2_10k_t as total_co2_10k_t,
        -- 万t / 亿元 = t / 万元
        (fuel_co2_10k_t + heat_co2_10k_t + electricity_co2_10k_t) / gdp_constant as co2_per_gdp,
        fuel_co2_10k_t / gdp_constant as fossil_co2_per_gdp
    from choices
)

select
    i.year,
    i.region_code,
    i.grid_level,
    i.factor_vintage,
    i.export_credit,
    i.grid_level = '{{ accounting__choice('grid_level') }}' and i.factor_vintage = '{{ default_vintage }}'
        and i.export_credit as is_default,
    i.grid_factor_tco2_per_mwh,
    i.grid_factor_year,
    i.grid_factor_carried,
    round(i.fuel_co2_10k_t, 6) as fossil_combustion_co2_10k_t,
    round(i.heat_co2_10k_t, 6) as heat_co2_10k_t,
    round(i.electricity_net_inflow_100m_kwh, 6) as electricity_net_inflow_100m_kwh,
    round(i.electricity_co2_10k_t, 6) as electricity_co2_10k_t,
    round(i.total_co2_10k_t, 6) as total_co2_10k_t,
    round(i.gdp_constant, 6) as gdp_constant_100m_yuan,
    b.base_year,
    round(i.co2_per_gdp, 9) as co2_per_gdp,
    round(100 * (1 - i.co2_per_gdp / p.co2_per_gdp), 9) as co2_per_gdp_decline_pct,
    round(i.fossil_co2_per_gdp, 9) as fossil_co2_per_gdp,
    round(100 * (1 - i.fossil_co2_per_gdp / p.fossil_co2_per_gdp), 9) as fossil_co2_per_gdp_decline_pct,
    round(100 * (i.fuel_co2_10k_t / p.fuel_co2_10k_t - 1), 9) as fossil_combustion_co2_change_pct,
    i.status
from intensities as i
cross join base as b
left join intensities as p
    on p.year = b.base_year and p.grid_level = i.grid_level and p.factor_vintage = i.factor_vintage
    and p.export_credit = i.export_credit
