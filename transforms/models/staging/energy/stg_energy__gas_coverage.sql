with source as (
    select * from {{ source('energy', 'gas_coverage') }}
)

select
    region_code,
    year,
    urban_population_10k,
    piped_gas_population_10k,
    coverage_pct,
    region_name_as_delivered,
    status,
    {{ lineage_columns() }}
from source
