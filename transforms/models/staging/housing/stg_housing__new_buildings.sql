with source as (
    select * from {{ source('housing', 'new_buildings') }}
)

select
    region_code,
    year,
    new_building_area_10k_m2,
    green_building_area_10k_m2,
    star_rated_green_area_10k_m2,
    prefabricated_area_10k_m2,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
