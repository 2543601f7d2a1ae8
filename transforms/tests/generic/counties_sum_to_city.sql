{#- Additive quantities: the seven counties should add up to the city total within a relative
    tolerance (in per cent), per year and, for a long table, per value of `group_by` (e.g. animal).
    Years (groups) in which not every county reported are not compared. -#}
{% test counties_sum_to_city(model, column_name, tolerance_pct=1.0, city_code='150800', group_by=none) %}
{%- set keys = 'year' ~ (', ' ~ group_by if group_by else '') %}
with by_group as (
    select
        {{ keys }},
        max(case when region_code = '{{ city_code }}' then {{ column_name }} end) as city,
        sum(case when region_code <> '{{ city_code }}' then {{ column_name }} end) as counties,
        count(case when region_code <> '{{ city_code }}' then {{ column_name }} end) as n_counties
    from {{ model }}
    group by {{ keys }}
)
select *, round(100 * (counties - city) / city, 3) as gap_pct
from by_group
where n_counties = 7 and abs(counties - city) > abs(city) * {{ tolerance_pct }} / 100
{% endtest %}
