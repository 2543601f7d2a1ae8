{#- The indicator and target catalog as a dimension, one row per plan and target: the reviewed
    seed (plus any extra catalog, macros/catalog.sql), with its comma-separated lists turned into
    arrays so downstream models can test membership (list_contains). -#}
select
    plan_id,
    indicator_id,
    name_zh,
    name_en,
    unit,
    in_table1,
    table1_number,
    category,
    official_method,
    department_zh,
    supporting_departments_zh,
    plan_clause,
    target_form,
    baseline_year,
    baseline_value,
    previous_period_value,
    target_year,
    target_value,
    bound_strict,
    desired_direction,
    scope,
    region_code,
    formula,
    case when source_slugs is null then []::varchar[]
         else list_transform(string_split(source_slugs, ','), lambda s: trim(s)) end as source_slugs,
    case when project_ids is null then []::varchar[]
         else list_transform(string_split(project_ids, ','), lambda s: trim(s)) end as project_ids,
    target_source,
    note,
    quote_zh,
    source
from ({{ catalog__rows('indicator_catalog') }}) as c
