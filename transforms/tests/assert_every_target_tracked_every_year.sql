{#- Every target of the catalog has a tracking row for every year 2021-2025 where it applies:
    a target without data is reported not_available, never left out. -#}
select c.indicator_id, y.year
from {{ ref('dim_indicator') }} as c
cross join (select unnest(range(2021, 2026)) as year) as y
where not exists (
    select 1 from {{ ref('fct_target_tracking') }} as t
    where t.indicator_id = c.indicator_id and t.year = y.year
)
