with source as (
    select * from {{ source('projects', 'project_ledger') }}
)

select
    project_id,
    year,
    plan_box,
    project_name,
    region_code,
    planned_quantity,
    quantity_unit,
    completed_quantity,
    completion_status,
    planned_completion_year,
    note,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
