{#- Additive quantities: the children of each region in the tree (stg_reference__regions: a
    city's counties, a province's cities) should add up to the parent's value within a relative
    tolerance (in per cent), per year and, for a long table, per value of `group_by` (e.g. animal).
    A parent is compared only in years (groups) in which every one of its children in the tree
    reported; the number of children comes from the tree, never from this test. -#}
{% test counties_sum_to_city(model, column_name, tolerance_pct=1.0, group_by=none) %}
{%- set keys = 'year' ~ (', ' ~ group_by if group_by else '') %}
with tree as (
    select region_code, parent_code from {{ ref('stg_reference__regions') }}
),

expected as (
    select parent_code, count(*) as n_children from tree where parent_code is not null group by parent_code
),

rows as (
    select m.*, t.parent_code as _parent_code
    from (select * from {{ model }}) as m
    left join tree as t on t.region_code = m.region_code
),

children as (
    select {{ keys }}, _parent_code as region_code, sum({{ column_name }}) as children_sum,
           count({{ column_name }}) as n_reporting
    from rows
    where _parent_code in (select parent_code from expected)
    group by all
),

parents as (
    select {{ keys }}, region_code, max({{ column_name }}) as parent_value
    from rows
    where region_code in (select parent_code from expected)
    group by all
)

select p.*, c.children_sum, c.n_reporting, e.n_children,
       round(100 * (c.children_sum - p.parent_value) / p.parent_value, 3) as gap_pct
from parents as p
join children as c using ({{ keys }}, region_code)
join expected as e on e.parent_code = p.region_code
where c.n_reporting = e.n_children
  and abs(c.children_sum - p.parent_value) > abs(p.parent_value) * {{ tolerance_pct }} / 100
{% endtest %}
