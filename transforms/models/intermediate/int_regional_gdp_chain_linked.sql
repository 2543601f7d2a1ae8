{#- GDP at constant prices of the base year by chain-linking the volume indices:
    GDP_t = GDP_{t-1} x index_t / 100, anchored on current-price GDP in the base year
    (NBS method). With the chain C_t = product of index/100 up to t, GDP_t = GDP_base x C_t / C_base,
    which also runs backwards for years before the base. Nominal growth never enters. -#}
{% set base_year = var('price_base_year') %}

with gdp as (
    select * from {{ ref('stg_statistics__regional_gdp') }}
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
    select region_code, gdp_current_100m_yuan as base_gdp, volume_chain as base_chain
    from chained
    where year = {{ base_year }}
)

select
    chained.*,
    base.base_gdp * chained.volume_chain / base.base_chain as gdp_constant_base_100m_yuan
from chained
left join base using (region_code)
