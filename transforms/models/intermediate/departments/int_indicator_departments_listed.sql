{#- Every department the catalog names for a target, one row per name as written: the lead list
    (department_zh) and the supporting list (supporting_departments_zh), split on the catalog's list
    separator 、 and kept in their written order. Names are resolved to canonical departments only
    through the reviewed seed department_aliases (never by editing the text here). -#}
with catalog as (
    select plan_id, indicator_id, department_zh, supporting_departments_zh from {{ ref('dim_indicator') }}
),

listed as (
    select plan_id, indicator_id, 'lead' as role, unnest(string_split(department_zh, '、')) as name_as_written_zh,
           generate_subscripts(string_split(department_zh, '、'), 1) as position
    from catalog where department_zh is not null
    union all
    select plan_id, indicator_id, 'supporting', unnest(string_split(supporting_departments_zh, '、')),
           generate_subscripts(string_split(supporting_departments_zh, '、'), 1)
    from catalog where supporting_departments_zh is not null
)

select
    l.plan_id,
    l.indicator_id,
    l.role,
    cast(l.position as integer) as position,
    l.name_as_written_zh,
    a.department_id
from listed as l
left join {{ ref('department_aliases') }} as a using (name_as_written_zh)
where l.name_as_written_zh <> ''
