with source as (
    select * from {{ source('forestry', 'grassland') }}
)

select
    region_code,
    year,
    indicator,
    value,
    unit,
    status,
    {{ lineage_columns() }}
from source
