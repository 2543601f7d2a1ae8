{#- Every row satisfies a SQL boolean expression (dbt_utils' expression_is_true, written here
    because dbt deps cannot reach the hub). -#}
{% test expression_true(model, expression) %}
select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
