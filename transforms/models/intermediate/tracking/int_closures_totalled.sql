{#- Closures and retrofits listed by the plan, per county and for the city. The delivery lists
    counties only; the city total is their sum (every county with listed equipment reports every
    year, so the sum is complete). Counts are to date (cumulative since 2021). -#}
with by_county as (
    select
        region_code,
        year,
        equipment_type,
        action,
        sum(planned_count) as planned_count,
        sum(completed_count) as completed_count,
        {{ accounting__worst_status('status') }} as status
    from {{ ref('stg_projects__closures') }}
    group by region_code, year, equipment_type, action
)

select * from by_county
union all
select
    '150800' as region_code,
    year,
    equipment_type,
    action,
    sum(planned_count),
    sum(completed_count),
    {{ accounting__worst_status('status') }}
from by_county
group by year, equipment_type, action
