{#- Target-tracking methods (../shared/reference/methods.md §1–2), written once and applied to every
    target by marts.fct_target_tracking. Each macro returns a SQL expression over its arguments
    (columns or literals). Percentages are in per cent (16.5 means 16.5 %); k is the number of
    years elapsed since the target's base year, out of n, the years from its base to its target
    year (both from the plan's data). tests/test_tracking_methods.py evaluates every macro on the
    test vectors of methods.md. -#}

{#- Cumulative decline since the base, in per cent: R = 1 - I_t / I_0. -#}
{% macro tracking__cumulative_decline_pct(level, base) -%}
    (100 * (1 - ({{ level }}) / nullif({{ base }}, 0)))
{%- endmacro %}

{#- Even compound path of an n-year cumulative decline D: after k years 1 - (1 - D)^(k/n). -#}
{% macro tracking__even_path_decline_pct(target_pct, k, n) -%}
    (100 * (1 - power(1 - ({{ target_pct }}) / 100.0, ({{ k }}) / (({{ n }}) * 1.0))))
{%- endmacro %}

{#- Even annual rate of an n-year cumulative decline: a = 1 - (1 - D)^(1/n). -#}
{% macro tracking__even_annual_decline_pct(target_pct, n) -%}
    {{ tracking__even_path_decline_pct(target_pct, 1, n) }}
{%- endmacro %}

{#- Linear path from the base value to the target value over n years: B + (T - B) k / n. -#}
{% macro tracking__linear_path(base, target, k, n) -%}
    (({{ base }}) + (({{ target }}) - ({{ base }})) * ({{ k }}) / (({{ n }}) * 1.0))
{%- endmacro %}

{#- Share of a cumulative-decline target done, in compound terms: ln(1 - R) / ln(1 - D). -#}
{% macro tracking__share_done_compound(decline_pct, target_pct) -%}
    (case when ({{ decline_pct }}) < 100 and ({{ target_pct }}) > 0 and ({{ target_pct }}) < 100
          then ln(1 - ({{ decline_pct }}) / 100.0) / ln(1 - ({{ target_pct }}) / 100.0) end)
{%- endmacro %}

{#- Yearly decline still required over the remaining n - k years:
    a_rem = 1 - ((1 - D) / (1 - R_k))^(1 / (n - k)). Null when no year remains. -#}
{% macro tracking__remaining_decline_pct(decline_pct, target_pct, k, n) -%}
    (case when ({{ k }}) < ({{ n }}) and ({{ decline_pct }}) < 100
          then 100 * (1 - power((1 - ({{ target_pct }}) / 100.0) / (1 - ({{ decline_pct }}) / 100.0),
                                1.0 / (({{ n }}) - ({{ k }})))) end)
{%- endmacro %}

{#- NDRC barometer, 2020 rule (发改办环资〔2020〕901号): green if the progress requirement is met;
    yellow if missed by no more than 10 % of the requirement; red otherwise. `progress` and
    `required` are oriented so that more is better (e.g. cumulative decline in per cent). -#}
{% macro tracking__barometer_2020(progress, required) -%}
    (case when ({{ progress }}) is null or ({{ required }}) is null then 'not_available'
          when ({{ progress }}) >= ({{ required }}) then 'green'
          when ({{ required }}) - ({{ progress }}) <= 0.10 * abs({{ required }}) then 'yellow'
          else 'red' end)
{%- endmacro %}

{#- Shortfall against the requirement in per cent of the requirement (the 2020 rule's measure);
    0 when the requirement is met. -#}
{% macro tracking__shortfall_pct(progress, required) -%}
    (case when ({{ progress }}) >= ({{ required }}) then 0.0
          else 100 * (({{ required }}) - ({{ progress }})) / nullif(abs({{ required }}), 0) end)
{%- endmacro %}

{#- NDRC barometer, 2021 rule (发改办环资〔2021〕629号): red if the indicator moved the wrong way year
    on year (for an intensity: it rose); yellow if it improved or held but missed the progress
    requirement; green otherwise. -#}
{% macro tracking__barometer_2021(progress, required, worsened_year_on_year) -%}
    (case when ({{ worsened_year_on_year }}) is null then 'not_available'
          when {{ worsened_year_on_year }} then 'red'
          when ({{ progress }}) is null or ({{ required }}) is null then 'not_available'
          when ({{ progress }}) >= ({{ required }}) then 'green'
          else 'yellow' end)
{%- endmacro %}

{#- Compound annual growth rate (a fraction): (v1 / v0)^(1 / dt) - 1. -#}
{% macro tracking__cagr(v1, v0, dt) -%}
    (case when ({{ v0 }}) <> 0 and ({{ v1 }}) / ({{ v0 }}) > 0 and ({{ dt }}) > 0
          then power(({{ v1 }}) / ({{ v0 }}), 1.0 / ({{ dt }})) - 1 end)
{%- endmacro %}

{#- Open SDG progress ratio (sdg-build ProgressMeasure, method 2):
    R = sign * d * cagr_o / |cagr_r|, sign = -1 if the base value is negative, d = -1 where a
    decrease is progress. Null where the required growth is zero. -#}
{% macro tracking__open_sdg_ratio(current, base, years_elapsed, target, years_to_target, direction) -%}
    (sign({{ base }}) * ({{ direction }}) * {{ tracking__cagr(current, base, years_elapsed) }}
     / nullif(abs({{ tracking__cagr(target, base, years_to_target) }}), 0))
{%- endmacro %}

{#- Open SDG without a target (method 1): progress = sign * d * CAGR. -#}
{% macro tracking__open_sdg_growth(current, base, years_elapsed, direction) -%}
    (sign({{ base }}) * ({{ direction }}) * {{ tracking__cagr(current, base, years_elapsed) }})
{%- endmacro %}

{#- Open SDG status from the ratio (with a target: thresholds 0.95, 0.6, 0) or from the growth
    (without: 1.5 %, 0.5 %, 0); target_achieved first. -#}
{% macro tracking__open_sdg_status(value, achieved, has_target=true) -%}
    {%- set t = (0.95, 0.6, 0) if has_target else (0.015, 0.005, 0) -%}
    (case when {{ achieved }} then 'target_achieved'
          when ({{ value }}) is null then 'not_available'
          when ({{ value }}) >= {{ t[0] }} then 'substantial_progress'
          when ({{ value }}) >= {{ t[1] }} then 'moderate_progress'
          when ({{ value }}) >= {{ t[2] }} then 'limited_progress'
          else 'deterioration' end)
{%- endmacro %}

{#- UNSD progress chart (Eustat adaptation): expected target-year value at the observed pace
    v_e = v_t (1 + CAGR)^(T - t). -#}
{% macro tracking__expected_value(current, base, years_elapsed, years_left) -%}
    (({{ current }}) * power(1 + {{ tracking__cagr(current, base, years_elapsed) }}, {{ years_left }}))
{%- endmacro %}

{#- UNSD ratio r = (v_e - v_b) / (v_target - v_b). -#}
{% macro tracking__unsd_ratio(expected, base, target) -%}
    ((({{ expected }}) - ({{ base }})) / nullif(({{ target }}) - ({{ base }}), 0))
{%- endmacro %}

{#- UNSD status from r (on track >= 0.95, acceleration needed >= 0.10). Where the base already meets
    the target (a hold, or a level already beyond it) r says nothing: then the status is on track
    if the expected value still meets the target, else stagnation or regression. `direction` is
    +1 where a higher level is better, -1 where a lower one is. -#}
{% macro tracking__unsd_status(ratio, expected=none, base=none, target=none, direction=1) -%}
    (case {% if expected is not none -%}
          when ({{ direction }}) * (({{ target }}) - ({{ base }})) <= 0 and ({{ expected }}) is not null
               then case when ({{ direction }}) * (({{ expected }}) - ({{ target }})) >= 0 then 'on_track'
                         else 'stagnation_or_regression' end
          {% endif -%}
          when ({{ ratio }}) is null then 'not_available'
          when ({{ ratio }}) >= 0.95 then 'on_track'
          when ({{ ratio }}) >= 0.10 then 'acceleration_needed'
          else 'stagnation_or_regression' end)
{%- endmacro %}


{#- Whether a value meets a bound in the plan's words (methods.md §7): `orientation` +1 for a floor
    (达到, 以上, 不低于, a decline to reach), -1 for a cap (以下, <); `strict` true for 低于 / < /
    超过 / 突破, which the number itself does not meet. Rounded to 9 decimals so that a value
    computed as a ratio is not judged on floating-point noise. -#}
{% macro tracking__meets(value, bound, orientation, strict) -%}
    (case when ({{ value }}) is null or ({{ bound }}) is null then null
          when {{ strict }} then round(({{ orientation }}) * (({{ value }}) - ({{ bound }})), 9) > 0
          else round(({{ orientation }}) * (({{ value }}) - ({{ bound }})), 9) >= 0 end)
{%- endmacro %}

{#- Status of a target judged on a bound (a hold, a bound met at the base, an annual or final
    target): green when met, red when not; no tolerance band. -#}
{% macro tracking__bound_status(is_met) -%}
    (case when ({{ is_met }}) is null then 'not_available' when {{ is_met }} then 'green' else 'red' end)
{%- endmacro %}
