with source as (
    select * from {{ source('forestry', 'forest_resources') }}
)

select
    region_code,
    year,
    land_area_10k_mu,
    forest_area_10k_mu,
    tree_forest_area_10k_mu,
    special_shrub_area_10k_mu,
    other_forest_area_10k_mu,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
