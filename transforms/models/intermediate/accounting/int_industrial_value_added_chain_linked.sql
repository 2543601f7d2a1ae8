{#- Above-scale industrial value added at constant prices, chain-linked from the volume indices
    exactly as int_regional_gdp_chain_linked does for GDP, one series per price-base year of the
    plans (seed plans). The deliveries skip 2016-2019, so a chain only runs over consecutive years:
    a year cut off from the price-base year by a gap (2015) gets no constant-price value rather
    than a wrong one. -#}
with va as (
    select
        *,
        year - lag(year) over (partition by region_code order by year) as step
    from {{ ref('stg_statistics__industrial_value_added') }}
),

price_bases as (
    select distinct cast(price_base_year as integer) as price_base_year from {{ ref('plans') }}
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
    select region_code, segment, price_base_year, industrial_va_current_100m_yuan as base_va, volume_chain as base_chain
    from chained
    join price_bases on chained.year = price_bases.price_base_year
)

select
    chained.region_code,
    chained.year,
    price_bases.price_base_year,
    chained.industrial_va_current_100m_yuan,
    chained.industrial_va_index_prev_year_100,
    base.base_va * chained.volume_chain / base.base_chain as industrial_va_constant_base_100m_yuan,
    least(chained.year, price_bases.price_base_year) as chain_first_year,
    greatest(chained.year, price_bases.price_base_year) as chain_last_year,
    chained.status
from chained
cross join price_bases
left join base
    on base.region_code = chained.region_code and base.segment = chained.segment
    and base.price_base_year = price_bases.price_base_year
