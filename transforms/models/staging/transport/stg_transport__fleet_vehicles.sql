with source as (
    select * from {{ source('transport', 'fleet_vehicles') }}
)

select
    region_code,
    year,
    fleet,
    power_type,
    stock_vehicles,
    added_or_replaced_vehicles,
    status,
    {{ lineage_columns() }}
from source
