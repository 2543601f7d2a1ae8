{#- The region dimension: the tree as reviewed data (stg_reference__regions), with the number of
    children each region has in the tree (what reconciliation sums up to). -#}
with regions as (
    select * from {{ ref('stg_reference__regions') }}
)

select
    r.region_code,
    r.name_zh,
    r.name_en,
    r.level,
    r.parent_code,
    cast((select count(*) from regions as c where c.parent_code = r.region_code) as integer) as children_count
from regions as r
