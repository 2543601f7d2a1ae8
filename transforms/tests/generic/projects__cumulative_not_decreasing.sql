{#- A cumulative "done to date" figure never falls from one year to the next within a group (a
    project, or a county's closures of one kind): a fall means a year was reported on another basis. -#}
{% test projects__cumulative_not_decreasing(model, column_name, group_by, year_column='year') %}
with ordered as (
    select
        {{ group_by | join(', ') }},
        {{ year_column }} as year,
        {{ column_name }} as value,
        lag({{ column_name }}) over (partition by {{ group_by | join(', ') }} order by {{ year_column }}) as previous
    from {{ model }}
)
select *
from ordered
where value < previous
{% endtest %}
