{#- Additive quantities: the seven counties should add up to the city total within a relative
    tolerance (in per cent). Years in which not every county reported are not compared. -#}
{% test counties_sum_to_city(model, column_name, tolerance_pct=1.0, city_code='150800') %}
with by_year as (
    select
        year,
        max(case when region_code = '{{ city_code }}' then {{ column_name }} end) as city,
        sum(case when region_code <> '{{ city_code }}' then {{ column_name }} end) as counties,
        count(case when region_code <> '{{ city_code }}' then {{ column_name }} end) as n_counties
    from {{ model }}
    group by year
)
select *, round(100 * (counties - city) / city, 3) as gap_pct
from by_year
where n_counties = 7 and abs(counties - city) > abs(city) * {{ tolerance_pct }} / 100
{% endtest %}
