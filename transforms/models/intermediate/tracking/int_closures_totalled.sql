{#- Closures and retrofits listed by the plan, per county and for each parent in the region tree
    (the city). The delivery lists counties only; a parent's total is the sum over its children in
    the tree (every county with listed equipment reports every year, so the sum is complete).
    Counts are to date (cumulative since the start of the plan period). -#}
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
    tree.parent_code as region_code,
    year,
    equipment_type,
    action,
    sum(planned_count),
    sum(completed_count),
    {{ accounting__worst_status('status') }}
from by_county
join {{ ref('stg_reference__regions') }} as tree using (region_code)
where tree.parent_code in (select region_code from {{ ref('stg_reference__regions') }})
group by tree.parent_code, year, equipment_type, action
