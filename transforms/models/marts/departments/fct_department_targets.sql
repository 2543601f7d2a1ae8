{#- Each department's targets and their status, per region and year: one row per department, target,
    region and year from the bridge and the tracking rows, with the official verdict. Commissions see
    their bureaus' targets through rollup_department_id (dim_department). -#}
select
    t.plan_id,
    b.department_id,
    d.rollup_department_id,
    b.indicator_id,
    t.region_code,
    cast(t.year as integer) as year,
    b.role,
    b.is_co_led,
    t.name_zh,
    t.name_en,
    t.category,
    t.in_table1,
    t.data_status,
    t.tracking_status,
    t.official_status,
    t.official_rule,
    t.is_met,
    t.evaluation_stage,
    t.final_verdict,
    t.final_verdict_zh
from {{ ref('bridge_indicator_department') }} as b
join {{ ref('dim_department') }} as d using (department_id)
join {{ ref('fct_target_tracking') }} as t using (plan_id, indicator_id)
