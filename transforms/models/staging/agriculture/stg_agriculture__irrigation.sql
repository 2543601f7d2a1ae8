with source as (
    select * from {{ source('agriculture', 'irrigation') }}
)

select
    region_code,
    year,
    irrigation_water_coefficient,
    note,
    status,
    {{ lineage_columns() }}
from source
