with source as (
    select * from {{ source('statistics', 'regional_gdp') }}
)

select
    region_code,
    year,
    gdp_current_100m_yuan,
    gdp_primary_100m_yuan,
    gdp_secondary_100m_yuan,
    gdp_tertiary_100m_yuan,
    gdp_index_prev_year_100,
    primary_index_prev_year_100,
    secondary_index_prev_year_100,
    tertiary_index_prev_year_100,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
