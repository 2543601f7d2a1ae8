with source as (
    select * from {{ source('housing', 'clean_heating') }}
)

select
    region_code,
    year,
    area_type,
    clean_heating_rate_pct,
    central_heating_kgce_per_m2,
    status,
    {{ lineage_columns() }}
from source
