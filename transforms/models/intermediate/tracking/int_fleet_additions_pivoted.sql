{#- Vehicles added or replaced in the year per fleet: new-energy and all power types. -#}
select
    region_code,
    year,
    fleet,
    sum(added_or_replaced_vehicles) filter (where power_type = 'new_energy') as new_energy,
    sum(added_or_replaced_vehicles) as total,
    {{ accounting__worst_status('status') }} as status
from {{ ref('stg_transport__fleet_vehicles') }}
group by region_code, year, fleet
