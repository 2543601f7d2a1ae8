{#- Use a model's custom schema as written (marts, staging...) rather than dbt's default
    "<target schema>_<custom schema>", so analysts and BI tools query marts.fct_... -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
