with source as (
    select * from {{ source('transport', 'bus_fleet') }}
)

select
    region_code,
    year,
    stock_total_buses,
    stock_diesel_buses,
    stock_natural_gas_buses,
    stock_battery_electric_buses,
    stock_hybrid_buses,
    stock_hydrogen_buses,
    added_total_buses,
    added_diesel_buses,
    added_natural_gas_buses,
    added_battery_electric_buses,
    added_hybrid_buses,
    added_hydrogen_buses,
    replaced_total_buses,
    replaced_diesel_buses,
    replaced_natural_gas_buses,
    replaced_battery_electric_buses,
    replaced_hybrid_buses,
    replaced_hydrogen_buses,
    status,
    region_name_as_delivered,
    {{ lineage_columns() }}
from source
