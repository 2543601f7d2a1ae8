{#- Wall-insulation-integrated area (retrofits delivery) beside new urban building area (new
    buildings delivery): the share's numerator and denominator come from two deliveries. -#}
select
    r.region_code,
    r.year,
    r.wall_insulation_integrated_area_10k_m2,
    n.new_building_area_10k_m2,
    {{ accounting__combine_status('r.status', 'n.status') }} as status
from {{ ref('stg_housing__retrofits') }} as r
join {{ ref('stg_housing__new_buildings') }} as n using (region_code, year)
