{#- Target x department: each canonical department once per target, as lead (牵头) or supporting
    (配合). A department named in both lists of a target counts as lead; co-leads are separate rows. -#}
with listed as (
    select * from {{ ref('int_indicator_departments_listed') }}
)

select
    plan_id,
    indicator_id,
    department_id,
    case when bool_or(role = 'lead') then 'lead' else 'supporting' end as role,
    cast(min(position) filter (where role = 'lead') as integer) as lead_position,
    sum(case when bool_or(role = 'lead') then 1 else 0 end) over (partition by plan_id, indicator_id) > 1 as is_co_led,
    string_agg(distinct name_as_written_zh, '；' order by name_as_written_zh) as names_as_written_zh
from listed
group by plan_id, indicator_id, department_id
