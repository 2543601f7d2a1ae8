with source as (
    select * from {{ source('forestry', 'afforestation') }}
)

select
    region_code,
    year,
    method,
    area_10k_mu,
    unit,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
