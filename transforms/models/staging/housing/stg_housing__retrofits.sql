with source as (
    select * from {{ source('housing', 'retrofits') }}
)

select
    region_code,
    year,
    energy_retrofit_area_10k_m2,
    residential_retrofit_area_10k_m2,
    wall_insulation_integrated_area_10k_m2,
    note,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
