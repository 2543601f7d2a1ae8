with source as (
    select * from {{ source('energy', 'industrial_energy') }}
)

select
    region_code,
    year,
    industrial_energy_10k_tce,
    growth_pct,
    region_name_as_delivered,
    status,
    {{ lineage_columns() }}
from source
