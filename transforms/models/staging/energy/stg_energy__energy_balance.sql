with source as (
    select * from {{ source('energy', 'energy_balance') }}
)

select
    region_code,
    year,
    category,
    fuel,
    unit,
    quantity,
    status,
    {{ lineage_columns() }}
from source
