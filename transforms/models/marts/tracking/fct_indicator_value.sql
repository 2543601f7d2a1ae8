{#- Observed values of the catalog's indicators: one row per indicator, region, year and basis,
    with the data status, the method and the lineage back to the delivered rows. City rows of
    additive quantities carry the sum of the seven counties beside them (reconciliation; the
    tolerance is the dbt var county_sum_tolerance_pct and a test fails beyond it). -#}
{% set additive_units = ['万亩', '万立方米', '万千瓦', '万平方米', '万吨/年', '辆', '个'] %}

with indicator_values as (
    select * from {{ ref('int_indicator_values_unioned') }}
),

delivered_rows as (
    select
        *,
        bool_or(region_code = '150800') over (partition by dataset, year) as has_city_rows
    from {{ ref('int_delivery_rows_by_year') }}
),

-- The delivered rows behind each value: the same region's rows; for a city value built from a
-- delivery that lists counties only (closures), every county's rows.
lineage as (
    select
        v.indicator_id,
        v.region_code,
        v.year,
        v.basis,
        string_agg(
            d.dataset || ': ' || d.source_file || ' [' || d.source_sheet || '] rows '
            || d.first_row || case when d.last_row > d.first_row then '-' || d.last_row else '' end
            || ' (sha256 ' || left(d.source_sha256, 12) || ')',
            '; ' order by d.dataset, d.source_file, d.source_sheet, d.first_row
        ) as lineage,
        list(distinct d.source_file order by d.source_file) as source_files
    from indicator_values as v, unnest(v.source_datasets) as u(dataset)
    join delivered_rows as d
        on d.dataset = u.dataset
        and d.year = v.year
        and (d.region_code = v.region_code or (v.region_code = '150800' and not d.has_city_rows))
    group by all
),

reconciled as (
    select
        *,
        unit in ('{{ additive_units | join("', '") }}') as is_additive,
        sum(value) filter (where region_code <> '150800') over counties as county_sum,
        count(value) filter (where region_code <> '150800') over counties as counties_reporting
    from indicator_values
    window counties as (partition by indicator_id, year, basis)
)

select
    r.indicator_id,
    i.name_zh,
    r.region_code,
    r.year,
    r.basis,
    round(r.value, 9) as value,
    r.unit,
    r.value_kind,
    r.status,
    r.method,
    r.is_additive,
    case when r.is_additive and r.region_code = '150800' and r.counties_reporting = 7
         then round(r.county_sum, 9) end as county_sum,
    case when r.is_additive and r.region_code = '150800' and r.counties_reporting = 7
         then round(100 * (r.county_sum - r.value) / nullif(r.value, 0), 6) end as county_gap_pct,
    r.source_datasets,
    l.source_files,
    l.lineage
from reconciled as r
-- one name per indicator, whichever plans target it
join (select indicator_id, min(name_zh) as name_zh from {{ ref('dim_indicator') }} group by indicator_id) as i
    on i.indicator_id = r.indicator_id
left join lineage as l
    on l.indicator_id = r.indicator_id and l.region_code = r.region_code and l.year = r.year and l.basis = r.basis
