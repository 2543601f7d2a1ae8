with source as (
    select * from {{ source('agriculture', 'utilisation_rates') }}
)

select
    region_code,
    year,
    indicator,
    unit,
    indicator_value,
    status,
    {{ lineage_columns() }}
from source
