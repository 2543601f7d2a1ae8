{#- Every region code of the column is a region of the given level in the region tree
    (stg_reference__regions), e.g. a city-only delivery carries city codes only. -#}
{% test region_at_level(model, column_name, level) %}
select {{ column_name }} as region_code, count(*) as n_rows
from {{ model }}
where {{ column_name }} not in (
    select region_code from {{ ref('stg_reference__regions') }} where level = '{{ level }}'
)
group by all
{% endtest %}
