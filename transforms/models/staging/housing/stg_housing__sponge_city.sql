with source as (
    select * from {{ source('housing', 'sponge_city') }}
)

select
    region_code,
    year,
    built_up_area_km2,
    sponge_city_area_km2,
    sponge_city_share_pct,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
