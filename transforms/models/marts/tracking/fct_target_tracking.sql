{#- Target tracking: one row per target, region and year 2021–2025 of the plan period, judged by
    the NDRC barometer (2020 and 2021 rules), the Open SDG progress measure and the UNSD progress
    chart. The methods are the tracking__ macros (macros/tracking.sql); this model only lines up
    their inputs per target form:

      form                    progress (target terms)       start   required after k years
      cumulative_decline      decline of the level since 2020   0    1 - (1 - D)^(k/5)   (compound)
      level_at_least/at_most  the level                          B    B + (T - B) k/5     (linear)
      hold_at                 the level                          0    T
      completed_over_period   the total completed since 2021     0    T k/5               (linear)
      direction_only          the level                          B    (none)

    B is the delivered 2020 value (else, for levels, the plan's stated baseline). `orientation`
    is +1 where more progress is better and -1 for level_at_most, so that the oriented progress
    o (progress - start) is compared with o (required - start). A target with no data for a year
    still gets its row, with tracking_status 'not_available' and the reason. -#}
{% set basis = var('tracking_basis') %}
{% set method_version = 'NDRC barometer 901号 (2020) / 629号 (2021); Open SDG ProgressMeasure (sdg-build, methods 1 and 2); UNSD progress chart (Eustat); even path compound for cumulative declines, linear otherwise; macros tracking__* v1' %}

with targets as (
    select * from {{ ref('dim_indicator') }}
),

counties as (
    select region_code from {{ ref('dim_region') }} where level = 'county'
),

-- Where each target applies: the city; the county the plan names; every county (each_county);
-- and any county target of the city's decomposition delivered in the county_targets seed.
target_regions as (
    select indicator_id, '150800' as region_code, target_value as region_target, 'plan' as target_origin
    from targets where scope = 'city'
    union all
    select indicator_id, region_code, target_value, 'plan' from targets where scope = 'county'
    union all
    select t.indicator_id, c.region_code, t.target_value, 'plan (each county)'
    from targets as t cross join counties as c where t.scope = 'each_county'
),

region_targets as (
    select
        coalesce(c.indicator_id, t.indicator_id) as indicator_id,
        coalesce(c.region_code, t.region_code) as region_code,
        coalesce(c.target_value, t.region_target) as region_target,
        case when c.indicator_id is not null
             then 'county_targets (' || c.status || '): ' || c.source else t.target_origin end as target_origin
    from target_regions as t
    full join {{ ref('county_targets') }} as c using (indicator_id, region_code)
),

indicator_values as (
    select v.*
    from {{ ref('fct_indicator_value') }} as v
    -- one basis per indicator: the chosen one where the indicator has it, else plain statistics
    qualify v.basis = case when bool_or(v.basis = '{{ basis }}') over (partition by v.indicator_id)
                           then '{{ basis }}' else 'plain_statistics' end
),

-- The tracked quantity per year: the level, or for amounts in the year their running total since
-- 2021 (only while no year is missing).
series as (
    select
        indicator_id,
        region_code,
        year,
        basis,
        unit as value_unit,
        value_kind,
        status,
        value,
        case when value_kind = 'amount_in_year' and year > 2020
             then case when count(*) filter (where year > 2020) over running = year - 2020
                       then sum(value) filter (where year > 2020) over running end
             else value end as measured
    from indicator_values
    window running as (partition by indicator_id, region_code, basis order by year
                       rows between unbounded preceding and current row)
),

spine as (
    select r.*, y.year
    from region_targets as r
    cross join (select unnest(range(2021, 2026)) as year) as y
),

joined as (
    select
        s.indicator_id,
        s.region_code,
        s.year,
        s.region_target,
        s.target_origin,
        t.name_zh,
        t.name_en,
        t.unit as target_unit,
        t.in_table1,
        t.category,
        t.department_zh,
        t.target_form,
        t.desired_direction,
        t.baseline_value as plan_baseline_value,
        t.source_slugs,
        g.name_zh as region_name_zh,
        g.name_en as region_name_en,
        s.year - 2020 as k,
        case when t.desired_direction = 'decrease' then -1 else 1 end as direction,
        case when t.target_form = 'level_at_most' then -1
             when t.target_form = 'direction_only' and t.desired_direction = 'decrease' then -1
             else 1 end as orientation,
        -- the basis (and unit) judged, also on rows whose year has no value yet
        coalesce(cur.basis, (select any_value(a.basis) from series as a where a.indicator_id = s.indicator_id)) as basis,
        coalesce(cur.value_unit, (select any_value(a.value_unit) from series as a where a.indicator_id = s.indicator_id))
            as value_unit,
        cur.value_kind,
        cur.status as value_status,
        cur.measured as actual_value,
        prev.measured as previous_value,
        base.measured as delivered_base_value,
        base.status as base_status,
        (select max(year) from series as a where a.indicator_id = s.indicator_id and a.region_code = s.region_code) as latest_year,
        exists (select 1 from series as a where a.indicator_id = s.indicator_id) as has_any_value
    from spine as s
    join targets as t using (indicator_id)
    join {{ ref('dim_region') }} as g on g.region_code = s.region_code
    left join series as cur on cur.indicator_id = s.indicator_id and cur.region_code = s.region_code and cur.year = s.year
    left join series as prev on prev.indicator_id = s.indicator_id and prev.region_code = s.region_code and prev.year = s.year - 1
    left join series as base on base.indicator_id = s.indicator_id and base.region_code = s.region_code and base.year = 2020
),

based as (
    select
        *,
        -- the base of the level: delivered 2020 value, else the plan's stated 2020 level (never for
        -- cumulative declines, whose catalog baseline is the previous period's decline)
        case when target_form = 'completed_over_period' then 0
             when delivered_base_value is not null then delivered_base_value
             when target_form <> 'cumulative_decline' and value_kind = 'level' then plan_baseline_value
             when value_kind = 'cumulative_to_date' then 0 end as base_value,
        case when target_form = 'completed_over_period' or value_kind = 'cumulative_to_date' and delivered_base_value is null
                  then 'zero: counted from the start of the period'
             when delivered_base_value is not null then 'delivered 2020 value'
             when target_form <> 'cumulative_decline' and plan_baseline_value is not null then 'plan baseline (no 2020 delivery)' end
            as base_source
    from joined
),

measured as (
    select
        *,
        -- progress in the target's terms, and its start
        case when target_form = 'cumulative_decline' then {{ tracking__cumulative_decline_pct('actual_value', 'base_value') }}
             else actual_value end as progress_value,
        case when target_form = 'cumulative_decline' then
                  case when k = 1 then 0.0 else {{ tracking__cumulative_decline_pct('previous_value', 'base_value') }} end
             when k = 1 and target_form = 'completed_over_period' then 0.0
             when k = 1 then coalesce(previous_value, base_value)
             else previous_value end as previous_progress,
        case when target_form in ('cumulative_decline', 'completed_over_period', 'hold_at') then 0.0
             else base_value end as start_value,
        case target_form
             when 'cumulative_decline' then {{ tracking__even_path_decline_pct('region_target', 'k') }}
             when 'completed_over_period' then {{ tracking__linear_path(0, 'region_target', 'k') }}
             when 'hold_at' then region_target
             when 'direction_only' then null
             else {{ tracking__linear_path('base_value', 'region_target', 'k') }} end as required_value,
        -- the level the target implies in the target year, for Open SDG and UNSD
        case when target_form = 'cumulative_decline' then base_value * (1 - region_target / 100.0)
             when target_form = 'completed_over_period' then null
             else region_target end as target_level
    from based
),

oriented as (
    select
        *,
        orientation * (progress_value - start_value) as progress_oriented,
        orientation * (required_value - start_value) as required_oriented,
        orientation * (region_target - start_value) as full_oriented,
        orientation * (progress_value - previous_progress) < 0 as worsened_year_on_year,
        orientation * (progress_value - region_target) >= 0 as target_achieved,
        -- Open SDG and UNSD work on the level series from its 2020 base (not for period totals)
        target_form <> 'completed_over_period' and value_kind = 'level' and base_value is not null and base_value <> 0
            and actual_value is not null as level_methods_apply
    from measured
),

judged as (
    select
        *,
        case when target_form = 'cumulative_decline' then {{ tracking__share_done_compound('progress_value', 'region_target') }}
             when full_oriented > 0 then progress_oriented / full_oriented end as share_done,
        case when k = 5 or actual_value is null then null
             when target_form = 'cumulative_decline' then {{ tracking__remaining_decline_pct('progress_value', 'region_target', 'k') }}
             when target_form in ('hold_at', 'direction_only') then null
             when target_achieved then 0.0
             else (region_target - progress_value) / (5 - k) end as required_per_remaining_year,
        {{ tracking__barometer_2020('progress_oriented', 'required_oriented') }} as barometer_2020,
        case when progress_oriented is not null and required_oriented is not null
             then {{ tracking__shortfall_pct('progress_oriented', 'required_oriented') }} end as shortfall_pct,
        {{ tracking__barometer_2021('progress_oriented', 'required_oriented', 'worsened_year_on_year') }} as barometer_2021,
        case when not level_methods_apply then null
             when target_form = 'direction_only' then {{ tracking__open_sdg_growth('actual_value', 'base_value', 'k', 'direction') }}
             else {{ tracking__open_sdg_ratio('actual_value', 'base_value', 'k', 'target_level', 5, 'direction') }} end as open_sdg_value,
        case when level_methods_apply and target_form <> 'direction_only'
             then {{ tracking__expected_value('actual_value', 'base_value', 'k', '5 - k') }} end as unsd_expected_value
    from oriented
),

statuses as (
    select
        *,
        case when not level_methods_apply then 'not_available'
             when target_form = 'direction_only' then {{ tracking__open_sdg_status('open_sdg_value', 'false', has_target=false) }}
             else {{ tracking__open_sdg_status('open_sdg_value', 'coalesce(target_achieved, false)') }} end as open_sdg_status,
        case when direction * (target_level - base_value) > 0
             then {{ tracking__unsd_ratio('unsd_expected_value', 'base_value', 'target_level') }} end as unsd_ratio,
        case when target_form = 'cumulative_decline' then {{ tracking__cumulative_decline_pct('unsd_expected_value', 'base_value') }}
             -- a share cannot pass 100 %
             when value_unit = '%' then least(coalesce(unsd_expected_value, actual_value * 5.0 / k), 100)
             when target_form = 'completed_over_period' then actual_value * 5.0 / k
             else unsd_expected_value end as projected_value,
        case when actual_value is null then 'not_available'
             when target_form = 'direction_only' then 'tracked (direction only)'
             when base_value is null then 'not_available'
             else 'tracked' end as tracking_status,
        case when not has_any_value then 'no_delivery'
             when actual_value is null and value_kind = 'amount_in_year' and latest_year >= year then 'period_incomplete'
             when actual_value is null then 'no_value_for_year'
             when base_value is null and target_form <> 'direction_only' then 'no_base' end as reason_code
    from judged
)

select
    indicator_id,
    name_zh,
    name_en,
    region_code,
    cast(year as integer) as year,
    in_table1,
    category,
    department_zh,
    target_form,
    desired_direction,
    region_target as target_value,
    target_unit,
    target_origin,
    basis,
    value_unit,
    value_status as data_status,
    round(actual_value, 9) as actual_value,
    round(base_value, 9) as base_value,
    base_source,
    round(actual_value - base_value, 9) as change_since_2020,
    round(100 * (actual_value / nullif(base_value, 0) - 1), 9) as change_since_2020_pct,
    round(progress_value, 9) as progress_value,
    round(required_value, 9) as required_value,
    cast(k as integer) as years_elapsed,
    k / 5.0 as time_elapsed_share,
    round(share_done, 9) as share_done,
    round(required_per_remaining_year, 9) as required_per_remaining_year,
    target_achieved,
    round(shortfall_pct, 9) as shortfall_pct,
    worsened_year_on_year,
    barometer_2020,
    barometer_2021,
    round(open_sdg_value, 9) as open_sdg_value,
    open_sdg_status,
    round(unsd_expected_value, 9) as unsd_expected_value,
    round(unsd_ratio, 9) as unsd_ratio,
    {{ tracking__unsd_status('unsd_ratio', 'unsd_expected_value', 'base_value', 'target_level', 'direction') }} as unsd_status,
    round(projected_value, 9) as projected_value,
    case when target_form = 'completed_over_period' then 'linear: total to date x 5 / k'
             || case when value_unit = '%' then ', at most 100 %' else '' end
         when value_unit = '%' then 'compound: observed CAGR since 2020 carried to 2025 (UNSD expected value), at most 100 %'
         else 'compound: observed CAGR since 2020 carried to 2025 (UNSD expected value)' end as projection_method,
    tracking_status,
    case reason_code
        when 'no_delivery' then 'no delivery carries this indicator yet'
            || case when len(source_slugs) > 0 then ' (expected from: ' || array_to_string(source_slugs, ', ') || ')'
                    else ' (the catalog names no source)' end
        when 'period_incomplete' then 'the period total needs an amount for every year 2021-' || year || ' and one is missing'
        when 'no_value_for_year' then 'no value delivered for ' || year
            || coalesce(' (latest delivered: ' || latest_year || ')', ' (nothing delivered for this region)')
        when 'no_base' then 'no 2020 base value (not delivered, none in the plan)' end as not_available_reason,
    {{ tracking__explanation('zh') }} as explanation_zh,
    {{ tracking__explanation('en') }} as explanation_en,
    '{{ method_version }}' as method_version
from statuses
