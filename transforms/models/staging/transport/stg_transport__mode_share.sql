with source as (
    select * from {{ source('transport', 'mode_share') }}
)

select
    region_code,
    year,
    public_transport_share_pct,
    green_travel_share_pct,
    survey_note,
    status,
    {{ lineage_columns() }}
from source
