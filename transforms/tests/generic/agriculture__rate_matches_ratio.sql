{#- For a long table of indicators (one row per year and indicator): the delivered rate equals
    100 x numerator / denominator within an absolute tolerance in percentage points (rates are
    published to one decimal). Years lacking any of the three are not compared. -#}
{% test agriculture__rate_matches_ratio(model, column_name, indicator_column, rate, numerator, denominator, tolerance=0.06) %}
with wide as (
    select
        year,
        region_code,
        max(case when {{ indicator_column }} = '{{ rate }}' then {{ column_name }} end) as rate,
        max(case when {{ indicator_column }} = '{{ numerator }}' then {{ column_name }} end) as numerator,
        max(case when {{ indicator_column }} = '{{ denominator }}' then {{ column_name }} end) as denominator
    from {{ model }}
    group by year, region_code
)
select *, round(100 * numerator / denominator, 3) as computed
from wide
where rate is not null and numerator is not null and denominator is not null and denominator <> 0
  and abs(rate - 100 * numerator / denominator) > {{ tolerance }}
{% endtest %}
