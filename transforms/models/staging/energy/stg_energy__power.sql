with source as (
    select * from {{ source('energy', 'power') }}
)

select
    region_code,
    year,
    plant_type,
    capacity_10k_kw,
    capacity_share_pct,
    generation_100m_kwh,
    generation_share_pct,
    supply_coal_rate_gce_per_kwh,
    status,
    {{ lineage_columns() }}
from source
