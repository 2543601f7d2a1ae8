{#- The listed columns together identify a row (dbt_utils' unique_combination_of_columns,
    written here because `dbt deps` cannot reach the package hub). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
