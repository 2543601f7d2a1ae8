{#- Rows of a catalog seed (plans, indicator_catalog, county_targets): the reviewed seed, plus the
    rows of <dir>/<seed>.csv when the environment variable BAYANNUR_EXTRA_CATALOG_DIR names a
    directory. That is how a draft or test plan is tracked beside the bundled one without editing
    the seeds: data only, read with the seed's own column types. -#}
{% macro catalog__rows(seed_name) -%}
    {%- set extra_dir = env_var('BAYANNUR_EXTRA_CATALOG_DIR', '') -%}
    select * from {{ ref(seed_name) }}
    {%- if extra_dir and execute %}
    {%- set columns = adapter.get_columns_in_relation(ref(seed_name)) %}
    union all by name
    select {% for c in columns %}cast("{{ c.name }}" as {{ c.data_type }}) as "{{ c.name }}"{{ ',' if not loop.last }} {% endfor %}
    from read_csv('{{ extra_dir }}/{{ seed_name }}.csv', header = true, all_varchar = true)
    {%- endif %}
{%- endmacro %}
