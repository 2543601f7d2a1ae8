with source as (
    select * from {{ source('meteorology', 'weather_service') }}
)

select
    region_code,
    year,
    public_coverage_pct,
    remark,
    status,
    {{ lineage_columns() }}
from source
