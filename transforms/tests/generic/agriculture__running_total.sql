{#- A cumulative column grows by the year's increment: cumulative(t) - cumulative(t-1) equals
    increment(t) within an absolute tolerance, per group, wherever both years and values are there
    (a region that did not report a year is not compared). -#}
{% test agriculture__running_total(model, column_name, increment, group_by='region_code', tolerance=0.15) %}
with ordered as (
    select
        {{ group_by }},
        year,
        {{ column_name }} as cumulative,
        {{ increment }} as increment,
        lag({{ column_name }}) over (partition by {{ group_by }} order by year) as previous,
        lag(year) over (partition by {{ group_by }} order by year) as previous_year
    from {{ model }}
)
select *
from ordered
where previous_year = year - 1
  and cumulative is not null and previous is not null
  and abs(cumulative - previous - coalesce(increment, 0)) > {{ tolerance }}
{% endtest %}
