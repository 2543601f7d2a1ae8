with source as (
    select * from {{ source('agriculture', 'livestock') }}
)

select
    region_code,
    year,
    animal,
    unit,
    year_end_stock_10k,
    region_name_as_delivered,
    status,
    {{ lineage_columns() }}
from source
