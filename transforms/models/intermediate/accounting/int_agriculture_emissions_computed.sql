{#- Agriculture non-CO2 emissions in CO2e per city of the region tree, one row per city, year and source (enteric CH4 by
    animal, direct N2O from nitrogen fertiliser). Enteric CH4 = head x kg CH4/head/yr (IPCC Tier 1);
    N2O = N applied x EF1 x 44/28. Only 氮肥 (pure N) is counted: compound fertiliser's N content
    is not delivered. Every GWP set is computed; `is_chosen` marks var accounting_gwp_set. -#}
{% set gwp_set = accounting__choice('gwp_set') %}

with livestock as (
    select region_code, year, animal, sum(year_end_stock_10k) as activity, {{ accounting__worst_status('status') }} as status
    from {{ ref('stg_agriculture__livestock') }}
    where region_code in {{ region_codes('city') }}
    group by region_code, year, animal
),

fertiliser as (
    select region_code, year, sum(nitrogen_10k_t) as activity, {{ accounting__worst_status('status') }} as status
    from {{ ref('stg_agriculture__fertiliser') }}
    where region_code in {{ region_codes('city') }}
    group by region_code, year
),

factors as (
    select * from {{ ref('accounting_agriculture_factors') }}
),

gases as (
    -- 万头 x kg/head = 10^4 kg = 10 t; / 1000 gives 万t CH4
    select
        l.region_code, l.year, 'enteric_fermentation' as emission_source, l.animal as item, 'CH4' as gas,
        l.activity, '万头(只)' as activity_unit, f.value as factor, f.unit as factor_unit, f.flagged,
        l.activity * f.value / 1000 as gas_10k_t, l.status
    from livestock as l
    join factors as f on f.parameter = 'enteric_ch4' and f.item = l.animal
    union all
    -- 万t N x EF1 (kg N2O-N per kg N) x 44/28 = 万t N2O
    select
        n.region_code, n.year, 'synthetic_fertiliser', 'nitrogen_fertiliser', 'N2O',
        n.activity, '万吨(折纯N)', f.value, f.unit, f.flagged,
        n.activity * f.value * 44 / 28, n.status
    from fertiliser as n
    join factors as f on f.parameter = 'n2o_direct_ef1' and f.item = 'nitrogen_fertiliser'
)

select
    gases.year,
    gases.region_code,
    gases.emission_source,
    gases.item,
    gases.gas,
    gases.activity,
    gases.activity_unit,
    gases.factor,
    gases.factor_unit,
    gases.flagged as factor_flagged,
    gases.gas_10k_t,
    gwp.gwp_set,
    gwp.gwp_set = '{{ gwp_set }}' as is_chosen,
    gwp.gwp,
    gases.gas_10k_t * gwp.gwp as co2e_10k_t,
    gases.status
from gases
join {{ ref('accounting_gwp') }} as gwp on gwp.gas = gases.gas
