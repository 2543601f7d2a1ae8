{#- Target tracking: one row per plan, target, region and year of the target's period (from the
    year after its base year to its target year, both from the catalog and the plans seed), judged
    in the plan's own words (methods.md §7) and, as supplementary columns, by the NDRC barometer
    (2020 and 2021 rules), the Open SDG progress measure and the UNSD progress chart. The methods
    are the tracking__ macros (macros/tracking.sql); this model lines up their inputs per form.
    k = year - base year, n = target year - base year:

      form                    progress (target terms)          start   required after k years
      cumulative_decline      decline of the level since the base  0    1 - (1 - D)^(k/n)   (compound)
      level_at_least/at_most  the level                             B    B + (T - B) k/n     (linear),
                                                                         T itself where B already meets T
      hold_at                 the level                             0    T
      completed_over_period   the total completed since the base    0    T k/n               (linear)
      direction_only          the level                             B    (none: a move the right way
                                                                         on the previous observation)

    A county annual target (county_targets, 年度目标) is required in its own year as it stands.
    is_met says whether this year's value meets the target in the plan's words (strict for 低于,
    超过, 突破; bound_strict in the catalog). official_status is one status per row by the rule
    named in official_rule. The last year of a target's period gets a final verdict, no
    projection. A target with no data for a year still gets its row, with the reason. -#}
{% set basis = var('tracking_basis') %}
{% set method_version = 'Judged in the plan words (methods.md §7: bounds met at the base, 稳定在 holds, direction-only, strict words, final verdicts); NDRC barometer 901号 (2020) / 629号 (2021); Open SDG ProgressMeasure (sdg-build, methods 1 and 2); UNSD progress chart (Eustat); even path compound for cumulative declines, linear otherwise; macros tracking__* v2' %}
{%- set value_columns = adapter.get_columns_in_relation(ref('fct_indicator_value')) | map(attribute='name') | list if execute else [] %}

with plans as (
    select * from {{ ref('dim_plan') }}
),

targets as (
    select
        t.*,
        p.region_code as plan_region_code,
        p.mid_term_year,
        p.price_base_year,
        t.target_year - t.baseline_year as period_years,
        case when t.target_form = 'level_at_most' then -1 else 1 end as bound_orientation
    from {{ ref('dim_indicator') }} as t
    join plans as p using (plan_id)
),

regions as (
    select * from {{ ref('dim_region') }}
),

county_targets as (
    select * from ({{ catalog__rows('county_targets') }}) as c
),

-- Where each target applies: the region the plan governs; the county the plan names; every
-- county under the plan's region (each_county). One row per year of the target's period.
plan_rows as (
    select t.plan_id, t.indicator_id, r.region_code, r.target_origin,
           unnest(range(t.baseline_year + 1, t.target_year + 1)) as year
    from targets as t
    join (
        select plan_id, indicator_id, plan_region_code as region_code, 'plan' as target_origin
        from targets where scope = 'city'
        union all
        select plan_id, indicator_id, region_code, 'plan' from targets where scope = 'county'
        union all
        select t.plan_id, t.indicator_id, g.region_code, 'plan (each county)'
        from targets as t join regions as g on g.parent_code = t.plan_region_code and g.level = 'county'
        where t.scope = 'each_county'
    ) as r using (plan_id, indicator_id)
),

-- A county target of the decomposition replaces the plan's number in its year, or adds a row for
-- a county and year the plan does not name.
region_targets as (
    select
        coalesce(s.plan_id, c.plan_id) as plan_id,
        coalesce(s.indicator_id, c.indicator_id) as indicator_id,
        coalesce(s.region_code, c.region_code) as region_code,
        coalesce(s.year, c.year) as year,
        c.target_value as county_target,
        case when c.plan_id is not null then 'county_targets (' || c.status || '): ' || c.source
             else s.target_origin end as target_origin
    from plan_rows as s
    full join county_targets as c using (plan_id, indicator_id, region_code, year)
),

indicator_values as (
    select v.*, count(distinct v.basis) over (partition by v.indicator_id) as bases_of_indicator
    from {{ ref('fct_indicator_value') }} as v
    -- one basis per indicator: the chosen one where the indicator has it, else plain statistics
    qualify v.basis = case when bool_or(v.basis = '{{ basis }}') over (partition by v.indicator_id)
                           then '{{ basis }}' else 'plain_statistics' end
),

-- The tracked quantity per target and year: the level, or for amounts in the year their running
-- total since the target's base year (only while no year is missing). Intensities at the plan's
-- own price base where the values carry several.
series as (
    select
        t.plan_id,
        t.indicator_id,
        v.region_code,
        v.year,
        v.basis,
        v.bases_of_indicator,
        v.unit as value_unit,
        v.value_kind,
        v.status,
        case when v.value_kind = 'amount_in_year' and v.year > t.baseline_year
             then case when count(*) filter (where v.year > t.baseline_year) over running = v.year - t.baseline_year
                       then sum(v.value) filter (where v.year > t.baseline_year) over running end
             else v.value end as measured
    from targets as t
    join indicator_values as v
        on v.indicator_id = t.indicator_id
        {%- if 'price_base_year' in value_columns %}
        and (v.price_base_year is null or v.price_base_year = t.price_base_year)
        {%- endif %}
    window running as (partition by t.plan_id, t.indicator_id, v.region_code order by v.year
                       rows between unbounded preceding and current row)
),

-- The previous observation (not the previous calendar year: surveys are not annual).
observed as (
    select
        *,
        lag(measured) over w as previous_observed,
        lag(year) over w as previous_observed_year
    from series
    where measured is not null
    window w as (partition by plan_id, indicator_id, region_code order by year)
),

joined as (
    select
        s.plan_id,
        s.indicator_id,
        s.region_code,
        s.year,
        coalesce(s.county_target, t.target_value) as region_target,
        s.county_target is not null as is_county_target,
        s.target_origin,
        t.name_zh,
        t.name_en,
        t.unit as target_unit,
        t.in_table1,
        t.category,
        t.official_method,
        t.department_zh,
        t.target_form,
        t.desired_direction,
        t.bound_strict,
        t.bound_orientation,
        t.baseline_year,
        t.target_year,
        t.price_base_year,
        t.period_years,
        t.mid_term_year,
        t.baseline_value as plan_baseline_value,
        t.source_slugs,
        g.name_zh as region_name_zh,
        g.name_en as region_name_en,
        g.level as region_level,
        s.year - t.baseline_year as k,
        case when t.desired_direction = 'decrease' then -1 else 1 end as direction,
        case when t.target_form = 'level_at_most' then -1
             when t.target_form = 'direction_only' and t.desired_direction = 'decrease' then -1
             else 1 end as orientation,
        -- the basis (and unit) judged, also on rows whose year has no value yet
        coalesce(cur.basis, (select any_value(a.basis) from series as a
                             where a.plan_id = s.plan_id and a.indicator_id = s.indicator_id)) as basis,
        coalesce(cur.value_unit, (select any_value(a.value_unit) from series as a
                                  where a.plan_id = s.plan_id and a.indicator_id = s.indicator_id)) as value_unit,
        (select max(a.bases_of_indicator) from series as a
         where a.plan_id = s.plan_id and a.indicator_id = s.indicator_id) > 1 as has_several_bases,
        cur.value_kind,
        cur.status as value_status,
        cur.measured as actual_value,
        cur.previous_observed,
        cur.previous_observed_year,
        base.measured as delivered_base_value,
        (select max(a.year) from observed as a where a.plan_id = s.plan_id and a.indicator_id = s.indicator_id
         and a.region_code = s.region_code) as latest_year,
        exists (select 1 from series as a where a.indicator_id = s.indicator_id) as has_any_value,
        exists (select 1 from series as a join regions as r on r.region_code = a.region_code
                where a.indicator_id = s.indicator_id and r.level = g.level) as has_value_at_level
    from region_targets as s
    join targets as t using (plan_id, indicator_id)
    join regions as g on g.region_code = s.region_code
    left join observed as cur
        on cur.plan_id = s.plan_id and cur.indicator_id = s.indicator_id and cur.region_code = s.region_code and cur.year = s.year
    left join series as base
        on base.plan_id = s.plan_id and base.indicator_id = s.indicator_id and base.region_code = s.region_code
        and base.year = t.baseline_year
),

based as (
    select
        *,
        -- the base of the level: delivered base-year value, else the plan's stated base level
        case when target_form = 'completed_over_period' then 0
             when delivered_base_value is not null then delivered_base_value
             when target_form <> 'cumulative_decline' and value_kind = 'level' then plan_baseline_value
             when value_kind = 'cumulative_to_date' then 0 end as base_value,
        case when target_form = 'completed_over_period' or value_kind = 'cumulative_to_date' and delivered_base_value is null
                  then 'zero: counted from the start of the period'
             when delivered_base_value is not null then 'delivered ' || baseline_year || ' value'
             when target_form <> 'cumulative_decline' and plan_baseline_value is not null
                  then 'plan baseline (no ' || baseline_year || ' delivery)' end as base_source,
        -- the previous observation, in the period or its base year
        case when previous_observed_year > baseline_year or target_form <> 'completed_over_period'
             then previous_observed end as previous_value
    from joined
),

measured as (
    select
        *,
        -- progress in the target's terms, and its start
        case when target_form = 'cumulative_decline' then {{ tracking__cumulative_decline_pct('actual_value', 'base_value') }}
             else actual_value end as progress_value,
        case when target_form = 'cumulative_decline' then
                  coalesce({{ tracking__cumulative_decline_pct('previous_value', 'base_value') }}, case when k = 1 then 0.0 end)
             when target_form = 'completed_over_period' then coalesce(previous_value, case when k = 1 then 0.0 end)
             else coalesce(previous_value, case when k = 1 then base_value end) end as previous_progress,
        case when target_form in ('cumulative_decline', 'completed_over_period', 'hold_at') then 0.0
             else base_value end as start_value,
        -- a cap or floor the base already meets is a bound to keep (methods.md §7)
        case when target_form in ('level_at_least', 'level_at_most')
             then {{ tracking__meets('base_value', 'region_target', 'bound_orientation', 'bound_strict') }} end as met_at_base
    from based
),

required as (
    select
        *,
        case when is_county_target then region_target
             when target_form = 'cumulative_decline' then {{ tracking__even_path_decline_pct('region_target', 'k', 'period_years') }}
             when target_form = 'completed_over_period' then {{ tracking__linear_path(0, 'region_target', 'k', 'period_years') }}
             when target_form = 'hold_at' or met_at_base then region_target
             when target_form = 'direction_only' then null
             else {{ tracking__linear_path('base_value', 'region_target', 'k', 'period_years') }} end as required_value,
        -- the level the target implies in the target year, for Open SDG and UNSD
        case when target_form = 'cumulative_decline' then base_value * (1 - region_target / 100.0)
             when target_form = 'completed_over_period' then null
             else region_target end as target_level,
        case when target_form = 'direction_only'
             then round(orientation * (actual_value - previous_value), 9) > 0
             else {{ tracking__meets('progress_value', 'region_target', 'bound_orientation', 'bound_strict') }} end as is_met,
        -- judged on the bound itself: a hold, a bound met at the base, a county annual target
        target_form = 'hold_at' or coalesce(met_at_base, false) or is_county_target as judged_on_bound
    from measured
),

oriented as (
    select
        *,
        orientation * (progress_value - start_value) as progress_oriented,
        orientation * (required_value - start_value) as required_oriented,
        orientation * (region_target - start_value) as full_oriented,
        orientation * (progress_value - previous_progress) < 0 as worsened_year_on_year,
        -- Open SDG and UNSD work on the level series from its base (not for period totals)
        target_form <> 'completed_over_period' and value_kind = 'level' and base_value is not null and base_value <> 0
            and actual_value is not null as level_methods_apply
    from required
),

judged as (
    select
        *,
        case when target_form = 'cumulative_decline' then {{ tracking__share_done_compound('progress_value', 'region_target') }}
             when full_oriented > 0 then progress_oriented / full_oriented end as share_done,
        case when k >= period_years or actual_value is null then null
             when target_form = 'cumulative_decline' then {{ tracking__remaining_decline_pct('progress_value', 'region_target', 'k', 'period_years') }}
             when target_form in ('hold_at', 'direction_only') then null
             when is_met then 0.0
             else (region_target - progress_value) / (period_years - k) end as required_per_remaining_year,
        case when judged_on_bound then {{ tracking__bound_status('is_met') }}
             else {{ tracking__barometer_2020('progress_oriented', 'required_oriented') }} end as barometer_2020,
        case when progress_oriented is not null and required_oriented is not null
             then {{ tracking__shortfall_pct('progress_oriented', 'required_oriented') }} end as shortfall_pct,
        -- a dip that keeps the bound is not red (methods.md §7): only a broken bound is
        case when judged_on_bound and is_met then 'green'
             when judged_on_bound and is_met is not null and worsened_year_on_year is null then 'red'
             else {{ tracking__barometer_2021('progress_oriented', 'required_oriented', 'worsened_year_on_year') }} end
            as barometer_2021,
        case when not level_methods_apply then null
             when target_form = 'direction_only' then {{ tracking__open_sdg_growth('actual_value', 'base_value', 'k', 'direction') }}
             else {{ tracking__open_sdg_ratio('actual_value', 'base_value', 'k', 'target_level', 'period_years', 'direction') }} end as open_sdg_value,
        case when level_methods_apply and target_form <> 'direction_only'
             then {{ tracking__expected_value('actual_value', 'base_value', 'k', 'period_years - k') }} end as unsd_expected_value
    from oriented
),

statuses as (
    select
        *,
        -- a met target is achieved by every method (sdg-build and UNSD test it first)
        case when target_form <> 'direction_only' and is_met then 'target_achieved'
             when not level_methods_apply then 'not_available'
             when target_form = 'direction_only' then {{ tracking__open_sdg_status('open_sdg_value', 'false', has_target=false) }}
             else {{ tracking__open_sdg_status('open_sdg_value', 'false') }} end as open_sdg_status,
        case when direction * (target_level - base_value) > 0
             then {{ tracking__unsd_ratio('unsd_expected_value', 'base_value', 'target_level') }} end as unsd_ratio,
        -- no projection in the target year: the verdict is final
        case when k >= period_years then null
             when target_form = 'cumulative_decline' then {{ tracking__cumulative_decline_pct('unsd_expected_value', 'base_value') }}
             -- a share cannot pass 100 %
             when value_unit = '%' then least(coalesce(unsd_expected_value, actual_value * period_years / k), 100)
             when target_form = 'completed_over_period' then actual_value * period_years / k
             else unsd_expected_value end as projected_value,
        case when actual_value is null then 'not_available'
             when target_form = 'direction_only' then 'tracked (direction only)'
             when base_value is null then 'not_available'
             else 'tracked' end as tracking_status,
        case when not has_any_value then 'no_delivery'
             when not has_value_at_level and region_level = 'county' then 'no_county_accounting'
             when actual_value is null and value_kind = 'amount_in_year' and latest_year >= year then 'period_incomplete'
             when actual_value is null then 'no_value_for_year'
             when base_value is null and target_form <> 'direction_only' then 'no_base' end as reason_code,
        case when is_county_target then 'county annual target'
             when official_method = 'dual_control_barometer' then 'dual-control barometer 2021 rule'
             when target_form = 'direction_only' then 'plan wording: direction'
             when target_form = 'hold_at' then 'plan wording: hold'
             when met_at_base then 'plan wording: bound'
             when k >= period_years then 'plan wording: target in the target year'
             when is_met then 'plan wording: target met'
             else 'even path' end as official_rule
    from judged
),

-- Runs of met years (over the years with a value): how many in a row, since when.
runs as (
    select
        plan_id, indicator_id, region_code, year,
        sum(case when is_met then 0 else 1 end) over w as run_id,
        min(year) filter (where is_met) over w as first_met_year,
        count(*) over w as years_observed
    from statuses
    where is_met is not null
    window w as (partition by plan_id, indicator_id, region_code order by year rows between unbounded preceding and current row)
),

run_lengths as (
    select
        *,
        count(*) filter (where is_met) over w as consecutive_years_met,
        min(year) filter (where is_met) over w as met_since_year
    from runs join statuses using (plan_id, indicator_id, region_code, year)
    window w as (partition by plan_id, indicator_id, region_code, run_id order by year
                 rows between unbounded preceding and current row)
),

verdicts as (
    select
        s.*,
        r.first_met_year,
        case when s.is_met then r.consecutive_years_met when s.is_met is not null then 0 end as consecutive_years_met,
        case when s.official_rule = 'dual-control barometer 2021 rule' then s.barometer_2021
             when s.official_rule = 'even path' then s.barometer_2020
             else {{ tracking__bound_status('s.is_met') }} end as official_status,
        case when s.year = s.target_year then 'final'
             when s.year = s.mid_term_year then 'mid_term'
             else 'annual' end as evaluation_stage,
        -- the final verdict (methods.md §7): not met; met every observed year (direction); met
        -- earlier and held since (not for a bound kept from the base, nor a hold); beyond the
        -- number (not for a strict word, whose meeting is being beyond it); met
        case when s.year <> s.target_year or s.is_met is null then null
             when not s.is_met then 'not_completed'
             when s.target_form = 'direction_only' then
                  case when r.consecutive_years_met = r.years_observed then 'completed' else 'not_completed' end
             when s.target_form <> 'hold_at' and not coalesce(s.met_at_base, false) and r.met_since_year < s.year
                  then 'completed_early'
             when s.target_form <> 'hold_at' and not coalesce(s.met_at_base, false) and not s.bound_strict
                  and round(s.bound_orientation * (s.progress_value - s.region_target), 9) > 0 then 'exceeded'
             else 'completed' end as final_verdict
    from statuses as s
    left join run_lengths as r using (plan_id, indicator_id, region_code, year)
),

tracked as (
select
    plan_id,
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
    bound_strict,
    region_target as target_value,
    target_unit,
    cast(target_year as integer) as target_year,
    cast(price_base_year as integer) as price_base_year,
    target_origin,
    basis,
    case when has_several_bases then basis end as judged_basis,
    value_unit,
    value_status as data_status,
    round(actual_value, 9) as actual_value,
    round(base_value, 9) as base_value,
    base_source,
    cast(baseline_year as integer) as base_year,
    round(actual_value - base_value, 9) as change_since_base,
    round(100 * (actual_value / nullif(base_value, 0) - 1), 9) as change_since_base_pct,
    round(previous_value, 9) as previous_value,
    cast(previous_observed_year as integer) as previous_value_year,
    round(progress_value, 9) as progress_value,
    round(required_value, 9) as required_value,
    cast(k as integer) as k,
    cast(period_years as integer) as period_years,
    k / period_years as elapsed_share,
    cast(k as integer) as years_elapsed,
    k / period_years as time_elapsed_share,
    met_at_base,
    is_met,
    cast(first_met_year as integer) as first_met_year,
    cast(consecutive_years_met as integer) as consecutive_years_met,
    official_status,
    official_rule,
    evaluation_stage,
    final_verdict,
    case final_verdict when 'exceeded' then '超额完成' when 'completed' then '完成'
                       when 'completed_early' then '提前完成' when 'not_completed' then '未完成' end as final_verdict_zh,
    round(share_done, 9) as share_done,
    round(required_per_remaining_year, 9) as required_per_remaining_year,
    case when target_form <> 'direction_only' then is_met end as target_achieved,
    round(shortfall_pct, 9) as shortfall_pct,
    worsened_year_on_year,
    barometer_2020,
    barometer_2021,
    round(open_sdg_value, 9) as open_sdg_value,
    open_sdg_status,
    round(unsd_expected_value, 9) as unsd_expected_value,
    round(unsd_ratio, 9) as unsd_ratio,
    case when target_form <> 'direction_only' and is_met then 'target_achieved'
         else {{ tracking__unsd_status('unsd_ratio', 'unsd_expected_value', 'base_value', 'target_level', 'direction') }} end as unsd_status,
    round(projected_value, 9) as projected_value,
    case when projected_value is null then null
         when target_form = 'completed_over_period' then 'linear: total to date x n / k (n = ' || period_years || ' years)'
             || case when value_unit = '%' then ', at most 100 %' else '' end
         when value_unit = '%' then 'compound: observed CAGR since the base year carried to ' || target_year || ' (UNSD expected value), at most 100 %'
         else 'compound: observed CAGR since the base year carried to ' || target_year || ' (UNSD expected value)' end as projection_method,
    tracking_status,
    case reason_code
        when 'no_county_accounting' then 'no county accounting: this indicator is accounted for the city only, '
            || 'so a county target cannot be judged'
        when 'no_delivery' then 'no delivery carries this indicator yet'
            || case when len(source_slugs) > 0 then ' (expected from: ' || array_to_string(source_slugs, ', ') || ')'
                    else ' (the catalog names no source)' end
        when 'period_incomplete' then 'the period total needs an amount for every year ' || (baseline_year + 1) || '-' || year
            || ' and one is missing'
        when 'no_value_for_year' then 'no value delivered for ' || year
            || coalesce(' (latest delivered: ' || latest_year || ')', ' (nothing delivered for this region)')
        when 'no_base' then 'no ' || baseline_year || ' base value (not delivered, none in the plan)' end as not_available_reason,
    cast(null as varchar) as explanation_zh,
    cast(null as varchar) as explanation_en,
    '{{ method_version }}' as method_version
from verdicts
),

-- What the bureau's explanation (macros/tracking_explanation.sql) names beside the row's own
-- columns: the region's names, where the target comes from, the autonomous region's requirement.
explained as (
    select
        t.*,
        g.name_zh as region_name_zh,
        g.name_en as region_name_en,
        i.target_source,
        c.target_value as region_requirement_value
    from tracked as t
    join {{ ref('dim_region') }} as g using (region_code)
    join {{ ref('dim_indicator') }} as i using (plan_id, indicator_id)
    left join {{ ref('context_targets') }} as c
        on c.indicator_id = t.indicator_id and c.context_level = 'autonomous_region'
)

select * exclude (region_name_zh, region_name_en, target_source, region_requirement_value)
    replace ({{ tracking__bureau_explanation('zh') }} as explanation_zh,
             {{ tracking__bureau_explanation('en') }} as explanation_en)
from explained
