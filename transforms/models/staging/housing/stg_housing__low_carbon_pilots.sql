with source as (
    select * from {{ source('housing', 'low_carbon_pilots') }}
)

select
    region_code,
    year,
    planned_urban_pilots,
    planned_rural_pilots,
    established_urban_pilots,
    established_rural_pilots,
    note,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
