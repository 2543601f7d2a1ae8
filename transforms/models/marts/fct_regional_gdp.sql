{#- Regional GDP, one row per region, year and price-base year of the plans (seed plans). -#}
select
    region_code,
    year,
    gdp_current_100m_yuan,
    round(gdp_index_prev_year_100 - 100, 4) as real_growth_pct,
    price_base_year,
    gdp_constant_base_100m_yuan as gdp_constant_100m_yuan,
    gdp_primary_100m_yuan,
    gdp_secondary_100m_yuan,
    gdp_tertiary_100m_yuan,
    status,
    source_file,
    source_sheet,
    source_row
from {{ ref('int_regional_gdp_chain_linked') }}
