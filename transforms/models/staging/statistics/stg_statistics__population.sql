with source as (
    select * from {{ source('statistics', 'population') }}
)

select
    region_code,
    year,
    resident_population_10k,
    urban_population_10k,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
