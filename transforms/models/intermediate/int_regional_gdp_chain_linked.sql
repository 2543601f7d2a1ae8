{#- GDP at constant prices by chain-linking the volume indices, one series per price-base year that
    some plan needs (seed plans: price_base_year; a 2026-2030 plan judges at 2025 prices):
    GDP_t = GDP_{t-1} x index_t / 100, anchored on current-price GDP in the price-base year (NBS
    method). With the chain C_t = product of index/100 up to t, GDP_t = GDP_base x C_t / C_base,
    which also runs backwards for years before the base. Nominal growth never enters.
    chain_first_year..chain_last_year are the years whose rows the value rests on (lineage). -#}
with gdp as (
    select * from {{ ref('stg_statistics__regional_gdp') }}
),

price_bases as (
    select distinct cast(price_base_year as integer) as price_base_year from {{ ref('plans') }}
),

chained as (
    select
        *,
        product(gdp_index_prev_year_100 / 100.0) over (
            partition by region_code order by year
            rows between unbounded preceding and current row
        ) as volume_chain
    from gdp
),

base as (
    select region_code, price_base_year, gdp_current_100m_yuan as base_gdp, volume_chain as base_chain
    from chained
    join price_bases on chained.year = price_bases.price_base_year
)

select
    chained.*,
    price_bases.price_base_year,
    base.base_gdp * chained.volume_chain / base.base_chain as gdp_constant_base_100m_yuan,
    -- the rows from the base year to this year (inclusive) carry the value: base level and indices
    least(chained.year, price_bases.price_base_year) as chain_first_year,
    greatest(chained.year, price_bases.price_base_year) as chain_last_year
from chained
cross join price_bases
left join base on base.region_code = chained.region_code and base.price_base_year = price_bases.price_base_year
