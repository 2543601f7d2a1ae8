with source as (
    select * from {{ source('agriculture', 'farmland') }}
)

select
    region_code,
    year,
    hsf_planned_new_10k_mu,
    hsf_new_10k_mu,
    hsf_cumulative_10k_mu,
    wheat_base_10k_mu,
    maize_base_10k_mu,
    sunflower_base_10k_mu,
    region_name_as_delivered,
    status,
    {{ lineage_columns() }}
from source
