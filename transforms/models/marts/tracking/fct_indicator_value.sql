{#- Observed values of the catalog's indicators: one row per indicator, region, year, basis and
    price-base year, with the data status, the method and the lineage back to the delivered rows.
    Rows of a region that has children in the region tree (stg_reference__regions) carry, for
    additive quantities, the sum of the children that reported, how many did and how many the tree
    has, and the gap to the region's own value, whatever its size (a test fails beyond the dbt var
    county_sum_tolerance_pct where every child reported).
    Lineage lists every delivered row a value rests on: its own year's rows of each delivery; for a
    constant-price intensity, every row of the chained series from the price-base year to the
    value's year; for the added-renewable energy basis, the base year's balance and power rows. -#}
{% set additive_units = ['万亩', '万立方米', '万千瓦', '万平方米', '万吨/年', '辆', '个'] %}
{% set chained_datasets = ['statistics__regional_gdp', 'statistics__industrial_value_added'] %}
{% set reference_year_datasets = ['energy__energy_balance', 'energy__power'] %}

with indicator_values as (
    select * from {{ ref('int_indicator_values_unioned') }}
),

tree as (
    select region_code, parent_code from {{ ref('stg_reference__regions') }}
),

children_expected as (
    select parent_code as region_code, count(*) as counties_expected from tree group by parent_code
),

-- the plan base year whose renewable level the added-renewable basis keeps, per price base
price_bases as (
    select cast(price_base_year as integer) as price_base_year, min(cast(base_year as integer)) as reference_year
    from {{ ref('plans') }}
    group by all
),

delivered_rows as (
    select d.*, t.parent_code
    from {{ ref('int_delivery_rows_by_year') }} as d
    left join tree as t using (region_code)
),

own_rows as (
    select distinct dataset, year, region_code from delivered_rows
),

-- The delivered rows behind each value: the same region's rows; for a value of a parent region
-- built from a delivery that lists its children only (closures), every child's rows. Two joins on
-- (dataset, region) rather than one join with OR conditions: that one compared every value with
-- every delivered row of its dataset, which does not finish for a national region tree.
value_datasets as (
    select v.indicator_id, v.region_code, v.year, v.basis, v.price_base_year, u.dataset, p.reference_year
    from indicator_values as v
    cross join unnest(v.source_datasets) as u(dataset)
    left join price_bases as p on p.price_base_year = v.price_base_year
),

candidate_rows as (
    select s.*, d.year as row_year, d.source_file, d.source_sheet, d.first_row, d.last_row, d.source_sha256
    from value_datasets as s
    join delivered_rows as d on d.dataset = s.dataset and d.region_code = s.region_code
    union all
    select s.*, d.year as row_year, d.source_file, d.source_sheet, d.first_row, d.last_row, d.source_sha256
    from value_datasets as s
    join delivered_rows as d on d.dataset = s.dataset and d.parent_code = s.region_code
    where not exists (
        select 1 from own_rows as o
        where o.dataset = d.dataset and o.year = d.year and o.region_code = s.region_code)
),

lineage as (
    select
        c.indicator_id,
        c.region_code,
        c.year,
        c.basis,
        c.price_base_year,
        string_agg(
            c.dataset || ': ' || c.source_file || ' [' || c.source_sheet || '] rows '
            || c.first_row || case when c.last_row > c.first_row then '-' || c.last_row else '' end
            || ' (sha256 ' || left(c.source_sha256, 12) || ')',
            '; ' order by c.dataset, c.row_year, c.source_file, c.source_sheet, c.first_row
        ) as lineage,
        list(distinct c.source_file order by c.source_file) as source_files
    from candidate_rows as c
    where c.row_year = c.year
        or (c.price_base_year is not null and c.dataset in ('{{ chained_datasets | join("', '") }}')
            and c.row_year between least(c.year, c.price_base_year) and greatest(c.year, c.price_base_year))
        or (c.basis = 'feedstock_and_added_renewable_deducted'
            and c.dataset in ('{{ reference_year_datasets | join("', '") }}') and c.row_year = c.reference_year)
    group by all
),

reconciled as (
    select
        v.*,
        v.unit in ('{{ additive_units | join("', '") }}') as is_additive,
        c.county_sum,
        coalesce(c.counties_reporting, 0) as counties_reporting,
        e.counties_expected
    from indicator_values as v
    left join children_expected as e on e.region_code = v.region_code
    left join (
        select
            t.parent_code, x.indicator_id, x.year, x.basis, x.price_base_year,
            sum(x.value) as county_sum,
            count(x.value) as counties_reporting
        from indicator_values as x
        join tree as t using (region_code)
        group by all
    ) as c
        on c.parent_code = v.region_code and c.indicator_id = v.indicator_id and c.year = v.year
        and c.basis = v.basis and c.price_base_year is not distinct from v.price_base_year
)

select
    r.indicator_id,
    i.name_zh,
    r.region_code,
    r.year,
    r.basis,
    r.price_base_year,
    round(r.value, 9) as value,
    r.unit,
    r.value_kind,
    r.status,
    r.method,
    r.is_additive,
    case when r.is_additive then round(r.county_sum, 9) end as county_sum,
    case when r.is_additive then round(100 * (r.county_sum - r.value) / nullif(r.value, 0), 6) end as county_gap_pct,
    case when r.is_additive then cast(r.counties_reporting as integer) end as counties_reporting,
    case when r.is_additive then cast(r.counties_expected as integer) end as counties_expected,
    r.source_datasets,
    l.source_files,
    l.lineage
from reconciled as r
-- one name per indicator, whichever plans target it
join (select indicator_id, min(name_zh) as name_zh from {{ ref('dim_indicator') }} group by indicator_id) as i
    on i.indicator_id = r.indicator_id
left join lineage as l
    on l.indicator_id = r.indicator_id and l.region_code = r.region_code and l.year = r.year and l.basis = r.basis
    and l.price_base_year is not distinct from r.price_base_year
