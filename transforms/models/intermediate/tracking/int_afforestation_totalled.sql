{#- Afforestation in the plan's sense (专栏 6): 人工造林 + 飞播造林 + 封山（沙）育林 in the year;
    退化林修复 (degraded forest restoration) is reported beside it but is not afforestation. -#}
select
    region_code,
    year,
    sum(area_10k_mu) as area_10k_mu,
    {{ accounting__worst_status('status') }} as status
from {{ ref('stg_forestry__afforestation') }}
where method in ('planting', 'aerial_seeding', 'enclosure')
group by region_code, year
