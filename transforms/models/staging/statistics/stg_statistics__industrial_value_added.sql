with source as (
    select * from {{ source('statistics', 'industrial_value_added') }}
)

select
    region_code,
    year,
    enterprises_count,
    industrial_va_current_100m_yuan,
    industrial_va_index_prev_year_100,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
