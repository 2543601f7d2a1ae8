with source as (
    select * from {{ source('projects', 'closures') }}
)

select
    region_code,
    year,
    equipment_type,
    action,
    planned_count,
    planned_capacity,
    completed_count,
    completed_capacity,
    capacity_unit,
    note,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
