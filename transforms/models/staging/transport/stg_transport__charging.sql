with source as (
    select * from {{ source('transport', 'charging') }}
)

select
    region_code,
    year,
    public_charging_points,
    private_charging_points,
    parking_spaces,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
