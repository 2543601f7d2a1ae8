{#- Every target of the catalog has a tracking row for every year of its period (the year after its
    base year to its target year, from the catalog) where it applies: a target without data is
    reported not_available, never left out. -#}
select c.plan_id, c.indicator_id, y.year
from {{ ref('dim_indicator') }} as c
cross join lateral (select unnest(range(c.baseline_year + 1, c.target_year + 1)) as year) as y
where not exists (
    select 1 from {{ ref('fct_target_tracking') }} as t
    where t.plan_id = c.plan_id and t.indicator_id = c.indicator_id and t.year = y.year
)
