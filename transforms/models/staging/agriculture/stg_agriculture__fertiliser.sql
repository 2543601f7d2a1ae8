with source as (
    select * from {{ source('agriculture', 'fertiliser') }}
)

select
    region_code,
    year,
    fertiliser_total_10k_t,
    nitrogen_10k_t,
    phosphate_10k_t,
    potash_10k_t,
    compound_10k_t,
    sown_area_10k_mu,
    region_name_as_delivered,
    status,
    {{ lineage_columns() }}
from source
