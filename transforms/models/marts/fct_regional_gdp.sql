select
    region_code,
    year,
    gdp_current_100m_yuan,
    round(gdp_index_prev_year_100 - 100, 4) as real_growth_pct,
    gdp_constant_base_100m_yuan as gdp_constant_2020_100m_yuan,
    gdp_primary_100m_yuan,
    gdp_secondary_100m_yuan,
    gdp_tertiary_100m_yuan,
    status,
    source_file,
    source_sheet,
    source_row
from {{ ref('int_regional_gdp_chain_linked') }}
