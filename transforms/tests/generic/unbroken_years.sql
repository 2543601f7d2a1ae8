{#- Each group's years run without a gap: a chain-linked series breaks where a year is missing. -#}
{% test unbroken_years(model, column_name, group_by) %}
select {{ group_by }}, count(*) as n, min({{ column_name }}) as first_year, max({{ column_name }}) as last_year
from {{ model }}
group by {{ group_by }}
having max({{ column_name }}) - min({{ column_name }}) + 1 <> count(distinct {{ column_name }})
{% endtest %}
