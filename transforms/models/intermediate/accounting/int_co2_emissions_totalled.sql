{#- CO2 per city and year for every grid level side by side (one row per year and grid level), so the
    grid choice can be compared without re-running dbt: fuels and heat do not depend on it, only
    net electricity inflow x grid factor does. `is_chosen` marks var accounting_grid_level.
    accounting_grid_factor_year: a year (default 2021, the vintage the samples were built on)
    applies that year's factor to every year; 'by_year' takes each year's own (carried) factor. -#}
{% set grid_level = accounting__choice('grid_level') %}
{% set factor_year = accounting__choice('grid_factor_year') %}

with fuels as (
    select
        region_code,
        year,
        sum(co2_10k_t) filter (where fuel_group in ('coal', 'oil', 'gas')) as fuel_co2_10k_t,
        sum(co2_10k_t) filter (where fuel_group = 'heat') as heat_co2_10k_t,
        sum(net_inflow) filter (where fuel_group = 'electricity') as electricity_net_inflow_100m_kwh,
        {{ accounting__worst_status('status') }} as status
    from {{ ref('int_energy_balance_converted') }}
    group by region_code, year
),

grid as (
    select distinct
        fuels.year as balance_year,
        g.grid_level,
        g.factor_tco2_per_mwh,
        g.factor_year,
        {% if factor_year == 'by_year' %}
        g.carried,
        {% else %}
        case when g.factor_year = fuels.year then 'own_year'
             when g.factor_year > fuels.year then 'carried_back'
             else 'fixed_vintage' end as carried,
        {% endif %}
        g.source as factor_source
    from fuels
    join {{ ref('accounting_grid_factors') }} as g
        on g.year = {{ 'fuels.year' if factor_year == 'by_year' else factor_year }}
)

select
    fuels.year,
    fuels.region_code,
    grid.grid_level,
    grid.grid_level = '{{ grid_level }}' as is_chosen,
    fuels.fuel_co2_10k_t,
    fuels.heat_co2_10k_t,
    fuels.electricity_net_inflow_100m_kwh,
    grid.factor_tco2_per_mwh as grid_factor_tco2_per_mwh,
    grid.factor_year as grid_factor_year,
    grid.carried as grid_factor_carried,
    grid.factor_source as grid_factor_source,
    -- 亿kWh = 10^5 MWh; t -> 万t: x 10
    fuels.electricity_net_inflow_100m_kwh * 1e5 * grid.factor_tco2_per_mwh / 1e4 as electricity_co2_10k_t,
    fuels.fuel_co2_10k_t + coalesce(fuels.heat_co2_10k_t, 0)
        + fuels.electricity_net_inflow_100m_kwh * 1e5 * grid.factor_tco2_per_mwh / 1e4 as total_co2_10k_t,
    fuels.status
from fuels
join grid on grid.balance_year = fuels.year
