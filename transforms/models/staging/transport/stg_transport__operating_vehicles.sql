with source as (
    select * from {{ source('transport', 'operating_vehicles') }}
)

select
    region_code,
    year,
    vehicle_class,
    diesel_10k_t,
    gasoline_10k_t,
    natural_gas_10k_m3,
    electricity_10k_kwh,
    passenger_turnover_10k_pkm,
    freight_turnover_10k_tkm,
    status,
    {{ lineage_columns() }}
from source
