{#- The final evaluation (期末评估) of a plan: one row per plan, target and region, read off the
    tracking rows: the final verdict of the last year (超额完成 / 完成 / 提前完成 / 未完成), whether a
    binding target was missed, the path of the official status over the years, the year first met
    and the mid-term (中期评估) status. Until the last year is delivered the row says so
    (final_year_has_data false, evaluation_state 'final_year_no_data') and carries the latest
    year's status instead of a verdict. -#}
with tracking as (
    select * from {{ ref('fct_target_tracking') }}
),

per_target as (
    select
        plan_id,
        indicator_id,
        region_code,
        any_value(name_zh) as name_zh,
        any_value(name_en) as name_en,
        any_value(category) as category,
        bool_or(in_table1) as in_table1,
        any_value(target_form) as target_form,
        any_value(target_value) as target_value,
        any_value(target_unit) as target_unit,
        max(year) as final_year,
        max(year) filter (where evaluation_stage = 'mid_term') as mid_term_year,
        max(year) filter (where actual_value is not null) as latest_year_with_data,
        min(year) filter (where is_met) as first_met_year,
        count(*) filter (where is_met) as years_met,
        count(*) filter (where actual_value is not null) as years_with_data,
        string_agg(year || ':' || official_status, ',' order by year) as status_path
    from tracking
    group by plan_id, indicator_id, region_code
)

select
    p.plan_id,
    p.indicator_id,
    p.region_code,
    p.name_zh,
    p.name_en,
    p.category,
    p.in_table1,
    p.target_form,
    p.target_value,
    p.target_unit,
    cast(p.final_year as integer) as final_year,
    f.actual_value is not null as final_year_has_data,
    case when f.actual_value is not null then 'complete' else 'final_year_no_data' end as evaluation_state,
    f.actual_value as final_actual_value,
    f.progress_value as final_progress_value,
    f.data_status as final_data_status,
    f.final_verdict,
    f.final_verdict_zh,
    coalesce(p.category = 'binding' and f.final_verdict = 'not_completed', false) as binding_missed,
    cast(p.mid_term_year as integer) as mid_term_year,
    m.official_status as mid_term_status,
    m.is_met as mid_term_is_met,
    cast(p.latest_year_with_data as integer) as latest_year_with_data,
    l.official_status as latest_status,
    l.is_met as latest_is_met,
    cast(p.first_met_year as integer) as first_met_year,
    cast(p.years_met as integer) as years_met,
    cast(p.years_with_data as integer) as years_with_data,
    p.status_path
from per_target as p
join tracking as f on f.plan_id = p.plan_id and f.indicator_id = p.indicator_id
    and f.region_code = p.region_code and f.year = p.final_year
left join tracking as m on m.plan_id = p.plan_id and m.indicator_id = p.indicator_id
    and m.region_code = p.region_code and m.year = p.mid_term_year
left join tracking as l on l.plan_id = p.plan_id and l.indicator_id = p.indicator_id
    and l.region_code = p.region_code and l.year = p.latest_year_with_data
