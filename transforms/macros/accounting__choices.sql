{#- An accounting choice (dbt var accounting_<name>; defaults and options in dbt_project.yml). -#}
{% macro accounting__choice(name) -%}
    {{- return(var('accounting_' ~ name)) -}}
{%- endmacro %}

{#- Worst data status over rows (aggregate): one illustrative input makes the result illustrative,
    else one preliminary makes it preliminary. -#}
{% macro accounting__worst_status(column) -%}
    case when bool_or({{ column }} = 'illustrative') then 'illustrative'
         when bool_or({{ column }} = 'preliminary') then 'preliminary'
         else 'final' end
{%- endmacro %}

{#- Worst data status of two columns of one row (same rule as above). -#}
{% macro accounting__combine_status(a, b) -%}
    case when 'illustrative' in ({{ a }}, {{ b }}) then 'illustrative'
         when 'preliminary' in ({{ a }}, {{ b }}) then 'preliminary'
         else 'final' end
{%- endmacro %}
