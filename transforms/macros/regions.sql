{#- Region codes from the tree (stg_reference__regions), never literals: a subquery for
    `region_code in {{ region_codes('city') }}`. -#}
{% macro region_codes(level) -%}
    (select region_code from {{ ref('stg_reference__regions') }} where level = '{{ level }}')
{%- endmacro %}
