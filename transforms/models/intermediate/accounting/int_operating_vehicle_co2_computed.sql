{#- Operating vehicles' direct CO2 and converted turnover (换算周转量), per city of the region tree, one row per city and year.
    CO2 = fuel x NCV x CC x OF x 44/12 with the balance's parameters (diesel, gasoline, natural
    gas); electricity is left out (direct emissions, as the transport sample was built). Taxis have
    no turnover, so they are left out of both terms. Converted turnover = freight t·km + passenger
    p·km x 0.1 (road, methods.md §4). -#}
with vehicles as (
    select * from {{ ref('stg_transport__operating_vehicles') }}
    where region_code in {{ region_codes('city') }} and vehicle_class in ('passenger', 'freight')
),

factors as (
    select
        max(ncv * carbon_content_tc_per_tj / 1000 * oxidation_fraction * 44 / 12) filter (where fuel = 'diesel') as diesel_f,
        max(ncv * carbon_content_tc_per_tj / 1000 * oxidation_fraction * 44 / 12) filter (where fuel = 'gasoline') as gasoline_f,
        max(ncv * carbon_content_tc_per_tj / 1000 * oxidation_fraction * 44 / 12) filter (where fuel = 'natural_gas') as gas_f
    from {{ ref('accounting_co2_parameters') }}
),

conversion as (
    select value as passenger_coefficient
    from {{ ref('accounting_other_factors') }}
    where parameter = 'road_passenger_turnover_conversion'
),

totals as (
    select
        region_code,
        year,
        sum(coalesce(diesel_10k_t, 0)) as diesel_10k_t,
        sum(coalesce(gasoline_10k_t, 0)) as gasoline_10k_t,
        sum(coalesce(natural_gas_10k_m3, 0)) as natural_gas_10k_m3,
        sum(coalesce(passenger_turnover_10k_pkm, 0)) as passenger_turnover_10k_pkm,
        sum(coalesce(freight_turnover_10k_tkm, 0)) as freight_turnover_10k_tkm,
        {{ accounting__worst_status('status') }} as status
    from vehicles
    group by region_code, year
)

select
    totals.year,
    totals.region_code,
    totals.diesel_10k_t,
    totals.gasoline_10k_t,
    totals.natural_gas_10k_m3,
    totals.passenger_turnover_10k_pkm,
    totals.freight_turnover_10k_tkm,
    conversion.passenger_coefficient,
    totals.freight_turnover_10k_tkm + totals.passenger_turnover_10k_pkm * conversion.passenger_coefficient
        as converted_turnover_10k_tkm,
    -- 万t x t/t = 万t; 万m3 x t/万m3 = t, so / 1e4
    totals.diesel_10k_t * factors.diesel_f + totals.gasoline_10k_t * factors.gasoline_f
        + totals.natural_gas_10k_m3 * factors.gas_f / 1e4 as co2_10k_t,
    -- t CO2 per 万t·km: 万t x 1e4 / 万t·km
    (totals.diesel_10k_t * factors.diesel_f + totals.gasoline_10k_t * factors.gasoline_f
        + totals.natural_gas_10k_m3 * factors.gas_f / 1e4) * 1e4
        / (totals.freight_turnover_10k_tkm + totals.passenger_turnover_10k_pkm * conversion.passenger_coefficient)
        as co2_t_per_10k_tkm,
    totals.status
from totals
cross join factors
cross join conversion
