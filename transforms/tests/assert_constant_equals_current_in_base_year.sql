-- In its price-base year, GDP at constant prices is GDP at current prices by definition.
select *
from {{ ref('fct_regional_gdp') }}
where year = price_base_year
  and abs(gdp_constant_100m_yuan - gdp_current_100m_yuan) > 1e-9
