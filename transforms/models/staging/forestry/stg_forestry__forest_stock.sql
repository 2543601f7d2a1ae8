with source as (
    select * from {{ source('forestry', 'forest_stock') }}
)

select
    region_code,
    year,
    forest_stock_10k_m3,
    live_stock_10k_m3,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
