with source as (
    select * from {{ source('energy', 'key_energy_users') }}
)

select
    unit_name,
    year,
    region_code,
    industry,
    energy_consumption_tce,
    note,
    region_name_as_delivered,
    status,
    {{ lineage_columns() }}
from source
