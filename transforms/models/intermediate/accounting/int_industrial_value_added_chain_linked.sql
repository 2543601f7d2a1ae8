{#- Above-scale industrial value added at constant base-year prices, chain-linked from the volume
    indices exactly as int_regional_gdp_chain_linked does for GDP. The deliveries skip 2016-2019,
    so a chain only runs over consecutive years: a year cut off from the base year by a gap (2015)
    gets no constant-price value rather than a wrong one. -#}
{% set base_year = var('price_base_year') %}

with va as (
    select
        *,
        year - lag(year) over (partition by region_code order by year) as step
    from {{ ref('stg_statistics__industrial_value_added') }}
),

segments as (
    select
        *,
        sum(case when step = 1 then 0 else 1 end) over (
            partition by region_code order by year rows between unbounded preceding and current row
        ) as segment
    from va
),

chained as (
    select
        *,
        product(industrial_va_index_prev_year_100 / 100.0) over (
            partition by region_code, segment order by year
            rows between unbounded preceding and current row
        ) as volume_chain
    from segments
),

base as (
    select region_code, segment, industrial_va_current_100m_yuan as base_va, volume_chain as base_chain
    from chained
    where year = {{ base_year }}
)

select
    chained.region_code,
    chained.year,
    chained.industrial_va_current_100m_yuan,
    chained.industrial_va_index_prev_year_100,
    base.base_va * chained.volume_chain / base.base_chain as industrial_va_constant_base_100m_yuan,
    chained.status
from chained
left join base on base.region_code = chained.region_code and base.segment = chained.segment
