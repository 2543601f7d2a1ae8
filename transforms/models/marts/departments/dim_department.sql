{#- Canonical departments (reviewed seed departments): a bureau under a commission keeps its own
    row and names its parent, so its targets count once and roll up to the commission. -#}
select
    d.department_id,
    d.name_zh,
    d.name_en,
    d.parent_department_id,
    p.name_zh as parent_name_zh,
    coalesce(d.parent_department_id, d.department_id) as rollup_department_id,
    d.kind,
    d.source
from {{ ref('departments') }} as d
left join {{ ref('departments') }} as p on p.department_id = d.parent_department_id
