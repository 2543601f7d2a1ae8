{#- TEMPORARY STAND-IN, to be replaced at merge by marts.fct_target_tracking itself (issue 11, owner
    plan-verdicts, adds these columns there): every column of fct_target_tracking plus the columns of
    the agreed contract that the report's marts read (plan_id, k, period_years, elapsed_share,
    judged_basis, is_met, official_status, official_rule, evaluation_stage, final_verdict,
    final_verdict_zh, first_met_year, consecutive_years_met), derived here only roughly so that the
    department, final-evaluation and report work can run before issue 11 lands. At merge: make
    every ref('int_tracking_contract_standin') a ref('fct_target_tracking') and delete this model. -#}
with tracking as (
    select
        t.*,
        g.name_zh as region_name_zh,
        g.name_en as region_name_en,
        i.target_source,
        c.target_value as region_requirement_value,
        {{ var('price_base_year') }} as price_base_year,
        max(t.years_elapsed) over () as period_years,
        -- met this year in the plan's words (stand-in: target_achieved; a fall for direction targets)
        case when t.target_form = 'direction_only' then not t.worsened_year_on_year
             else t.target_achieved end as is_met
    from {{ ref('fct_target_tracking') }} as t
    join {{ ref('dim_region') }} as g using (region_code)
    join {{ ref('dim_indicator') }} as i using (indicator_id)
    left join {{ ref('context_targets') }} as c
        on c.indicator_id = t.indicator_id and c.context_level = 'autonomous_region'
),

runs as (
    select
        *,
        min(case when is_met then year end) over w as first_met_year,
        -- years met in a row up to this one
        year - coalesce(max(case when not coalesce(is_met, false) then year end) over w,
                        year - years_elapsed) as consecutive_years_met
    from tracking
    window w as (partition by indicator_id, region_code order by year rows between unbounded preceding and current row)
),

contract as (
select
    *,
    'bayannur_climate_14th' as plan_id,
    years_elapsed as k,
    years_elapsed * 1.0 / period_years as elapsed_share,
    case when basis <> 'plain_statistics' or indicator_id = 'energy_per_gdp' then basis end as judged_basis,
    case when tracking_status = 'not_available' then 'not_available'
         when target_form = 'direction_only' or target_form = 'hold_at'
              or (target_form in ('level_at_least', 'level_at_most')
                  and (case when target_form = 'level_at_most' then -1 else 1 end) * (base_value - target_value) >= 0)
              then case when is_met then 'green' when not is_met then 'red' else 'not_available' end
         when target_form = 'cumulative_decline' then barometer_2021
         else barometer_2020 end as official_status,
    case when tracking_status = 'not_available' then 'no data'
         when target_form = 'direction_only' then 'plan wording: direction'
         when target_form = 'hold_at' then 'plan wording: hold'
         when target_form in ('level_at_least', 'level_at_most')
              and (case when target_form = 'level_at_most' then -1 else 1 end) * (base_value - target_value) >= 0
              then 'plan wording: bound'
         when target_form = 'cumulative_decline' then 'dual-control barometer 2021 rule'
         else 'even path' end as official_rule,
    case when years_elapsed = period_years then 'final'
         when years_elapsed = ceil(period_years / 2.0) then 'mid_term'
         else 'annual' end as evaluation_stage,
    case when years_elapsed < period_years or is_met is null then null
         when not is_met then 'not_completed'
         when first_met_year < year and consecutive_years_met = year - first_met_year + 1 then 'completed_early'
         when target_form <> 'direction_only' and progress_value <> target_value then 'exceeded'
         else 'completed' end as final_verdict
from runs
),

verdicts as (
    select
        *,
        case final_verdict when 'exceeded' then '超额完成' when 'completed' then '完成'
             when 'completed_early' then '提前完成' when 'not_completed' then '未完成' end as final_verdict_zh
    from contract
)

-- the bureau's explanation (macros/tracking_explanation.sql) over the contract's columns
select * replace ({{ tracking__bureau_explanation('zh') }} as explanation_zh,
                  {{ tracking__bureau_explanation('en') }} as explanation_en)
from verdicts
