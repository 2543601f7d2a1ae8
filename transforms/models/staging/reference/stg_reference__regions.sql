{#- The region tree (GB/T 2260 code, names, level, parent) every model and test reads: the
    reviewed seed transforms/seeds/regions.csv, or, when the environment variable
    BAYANNUR_REGIONS_DIR names a directory, its regions.csv (the same file the Python side reads
    through orchestration.regions.load_region_tree), so another tree is a data change only. -#}
{%- set regions_dir = env_var('BAYANNUR_REGIONS_DIR', '') -%}
-- depends_on: {{ ref('regions') }}
{#- Always after the seed, whichever tree is read: the asset graph (from a parse without the
    variable) has that edge, and dbt must not build this model before the seed. -#}

{% if regions_dir %}
select
    cast(region_code as varchar) as region_code,
    cast(name_zh as varchar) as name_zh,
    cast(name_en as varchar) as name_en,
    cast(level as varchar) as level,
    nullif(cast(parent_code as varchar), '') as parent_code
from read_csv('{{ regions_dir }}/regions.csv', header = true, all_varchar = true)
{% else %}
select region_code, name_zh, name_en, level, nullif(parent_code, '') as parent_code
from {{ ref('regions') }}
{% endif %}
