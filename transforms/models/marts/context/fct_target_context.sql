{#- Each target beside the autonomous region's and the national target for the same indicator
    (reviewed seed context_targets, with sources), and whether the city's is stricter. Only where
    the forms match and the seed marks the pair comparable; else 'not_comparable'. -#}
with city as (
    select indicator_id, name_zh, name_en, target_form, target_value, unit, target_source
    from {{ ref('dim_indicator') }}
)

select
    c.indicator_id,
    city.name_zh,
    city.name_en,
    c.context_level,
    c.context_region_code,
    c.context_name_zh,
    c.context_name_en,
    city.target_form as city_target_form,
    city.target_value as city_target_value,
    city.unit as city_target_unit,
    city.target_source = 'autonomous_region' as city_target_is_region_requirement,
    c.target_form as context_target_form,
    c.target_value as context_target_value,
    c.target_unit as context_target_unit,
    c.strict as context_bound_is_strict,
    case when not c.comparable or c.target_value is null or city.target_value is null
              or c.target_form <> city.target_form or c.target_unit <> city.unit then 'not_comparable'
         when city.target_value = c.target_value then 'same'
         when (case when city.target_form = 'level_at_most' then -1 else 1 end)
              * (city.target_value - c.target_value) > 0 then 'stricter'
         else 'looser' end as city_compared,
    c.note,
    c.grade,
    c.source
from {{ ref('context_targets') }} as c
join city using (indicator_id)
