{#- The explanation of one fct_target_tracking row as the bureau writes it (issue 13), in Chinese
    ('zh') or English ('en'), computed in the model's last step over its output columns:
      name_zh, name_en, region_name_zh, region_name_en, year, k, period_years, target_form,
      desired_direction, bound_strict, target_value, target_unit, value_unit, price_base_year,
      actual_value, base_value, progress_value, required_value, share_done,
      required_per_remaining_year, worsened_year_on_year, is_met, official_status, official_rule,
      judged_basis, data_status, tracking_status, not_available_reason, target_source,
      region_requirement_value, final_verdict, final_verdict_zh, consecutive_years_met
    The base year is year - k; the plan's last year base + period_years (no year written here).
    concat() skips the parts that are null. -#}

{#- The bureau's rounding, stated once: intensities 4 decimals; rates, shares and their
    differences (个百分点) 2 (1 for progress shares such as 时间进度); other amounts up to 2. -#}
{% macro tracking__digits(kind) -%}
    {{- return({'intensity': 4, 'rate': 2, 'progress': 1, 'amount': 2}[kind]) -}}
{%- endmacro %}

{% macro tracking__fmt(x, kind) -%}
    {%- if kind == 'amount' -%}
    rtrim(rtrim(printf('%.{{ tracking__digits('amount') }}f', {{ x }}), '0'), '.')
    {%- else -%}
    printf('%.{{ tracking__digits(kind) }}f', {{ x }})
    {%- endif -%}
{%- endmacro %}

{#- A level in its own unit's rounding: intensities (per 万元 or per 万吨公里) 4, % 2, else amount. -#}
{% macro tracking__fmt_level(x) -%}
    case when value_unit like '%/万元%' or value_unit like '%/万吨公里%' then {{ tracking__fmt(x, 'intensity') }}
         when value_unit = '%' then {{ tracking__fmt(x, 'rate') }}
         else {{ tracking__fmt(x, 'amount') }} end
{%- endmacro %}

{#- Units as the bureau writes them; the price base comes from the row (the plan's), not from here. -#}
{% macro tracking__unit(unit, lang) -%}
    {%- if lang == 'zh' -%}
    case split_part({{ unit }}, ' (', 1)
        when 'tce/万元' then '吨标准煤/万元（' || price_base_year || '年可比价）'
        when 'tCO2/万元' then '吨二氧化碳/万元（' || price_base_year || '年可比价）'
        when 'tCO2/万吨公里' then '吨二氧化碳/万吨公里'
        else {{ unit }} end
    {%- else -%}
    case split_part({{ unit }}, ' (', 1)
        when 'tce/万元' then ' tce per 10,000 yuan (' || price_base_year || ' prices)'
        when 'tCO2/万元' then ' t CO2 per 10,000 yuan (' || price_base_year || ' prices)'
        when 'tCO2/万吨公里' then ' t CO2 per 10,000 t-km'
        when '%' then ' %'
        when '万亩' then ' (10,000 mu)' when '万千瓦' then ' (10 MW)' when '万平方米' then ' (10,000 m²)'
        when '克标准煤/千瓦时' then ' gce/kWh' when '千克标准煤/平方米' then ' kgce/m²' when '万吨/年' then ' (10,000 t a year)'
        when '千克/亩' then ' kg/mu' when '万立方米' then ' (10,000 m³)' when '万立方米/年' then ' (10,000 m³ a year)'
        when '人/10万亩' then ' per 100,000 mu' when '倍' then ' times' when '个' then '' when '台' then ' units'
        when '辆' then ' vehicles' when '系数' then ''
        else ' ' || {{ unit }} end
    {%- endif -%}
{%- endmacro %}

{#- A difference of two values: 个百分点 / percentage points for rates, else the unit. -#}
{% macro tracking__diff(x, unit, lang) -%}
    {%- if lang == 'zh' -%}
    case when {{ unit }} = '%' then {{ tracking__fmt(x, 'rate') }} || '个百分点'
         else {{ tracking__fmt_level(x) }} || {{ tracking__unit(unit, 'zh') }} end
    {%- else -%}
    case when {{ unit }} = '%' then {{ tracking__fmt(x, 'rate') }} || ' percentage points'
         else {{ tracking__fmt_level(x) }} || {{ tracking__unit(unit, 'en') }} end
    {%- endif -%}
{%- endmacro %}

{% macro tracking__official_label(lang) -%}
    {%- if lang == 'zh' -%}
    (case official_status when 'green' then '绿灯' when 'yellow' then '黄灯' when 'red' then '红灯' else '无法评估' end
     || '（' || case official_rule
        when 'dual-control barometer 2021 rule' then '能耗双控晴雨表2021年规则'
        when 'plan wording: bound' then '按规划表述：上下限每年均须保持'
        when 'plan wording: hold' then '按规划表述：稳定在目标值'
        when 'plan wording: direction' then '按规划表述：逐年方向'
        when 'even path' then '按时间进度均衡路径'
        else official_rule end || '）')
    {%- else -%}
    (case official_status when 'green' then 'green' when 'yellow' then 'yellow' when 'red' then 'red'
          else 'not available' end || ' (' || official_rule || ')')
    {%- endif -%}
{%- endmacro %}

{% macro tracking__bureau_explanation(lang) -%}
{%- set f = tracking__fmt -%}
{%- set base_year = '(year - k)' -%}
{%- set last_year = '(year - k + period_years)' -%}
{%- if lang == 'zh' %}
    case when tracking_status = 'not_available' then concat(name_zh, '（', region_name_zh, '，', year, '年）：暂无法评估——',
        case when starts_with(not_available_reason, 'no delivery') then '尚无部门交付此指标的数据'
             when starts_with(not_available_reason, 'the period total') then '期内累计需要逐年数据，有年份尚未交付'
             when starts_with(not_available_reason, 'no value delivered') then year || '年数据尚未交付'
             else '缺少' || {{ base_year }} || '年基期值' end, '。')
    else concat(
        name_zh, '（', region_name_zh, '，', year, '年）：',
        case target_form
            when 'cumulative_decline' then concat(
                year, '年为', {{ tracking__fmt_level('actual_value') }}, {{ tracking__unit('value_unit', 'zh') }},
                '，比', {{ base_year }}, '年（', {{ tracking__fmt_level('base_value') }}, '）累计',
                case when progress_value >= 0 then '下降' || {{ f('progress_value', 'rate') }} || '%'
                     else '上升' || {{ f('-progress_value', 'rate') }} || '%' end,
                '。目标为到', {{ last_year }}, '年累计下降', {{ f('target_value', 'amount') }}, '%')
            when 'completed_over_period' then concat(
                {{ base_year }} + 1, '年以来累计完成', {{ tracking__fmt_level('actual_value') }}, {{ tracking__unit('value_unit', 'zh') }},
                '。目标为到', {{ last_year }}, '年累计完成', {{ f('target_value', 'amount') }}, {{ tracking__unit('target_unit', 'zh') }})
            else concat(
                year, '年为', {{ tracking__fmt_level('actual_value') }}, {{ tracking__unit('value_unit', 'zh') }},
                case when base_value is not null then concat('，比', {{ base_year }}, '年（', {{ tracking__fmt_level('base_value') }}, case when value_unit = '%' then '%' end, '）',
                    case when actual_value > base_value then '提高' || {{ tracking__diff('actual_value - base_value', 'value_unit', 'zh') }}
                         when actual_value < base_value then '下降' || {{ tracking__diff('base_value - actual_value', 'value_unit', 'zh') }}
                         else '持平' end) end,
                case target_form
                    when 'direction_only' then '。规划要求' || case desired_direction when 'decrease' then '持续下降' else '持续提高' end
                        || '（无量化目标）'
                    when 'hold_at' then '。目标为稳定在' || {{ f('target_value', 'amount') }} || {{ tracking__unit('target_unit', 'zh') }}
                    when 'level_at_most' then '。目标为到' || {{ last_year }} || case when bound_strict then '年低于' else '年不高于' end || {{ f('target_value', 'amount') }} || {{ tracking__unit('target_unit', 'zh') }}
                    else '。目标为到' || {{ last_year }} || case when bound_strict then '年高于' else '年不低于' end || {{ f('target_value', 'amount') }} || {{ tracking__unit('target_unit', 'zh') }} end)
        end,
        case when target_source = 'autonomous_region' then
            '（达到自治区要求' || coalesce('，自治区目标为' || case when target_form = 'cumulative_decline' then '累计下降' else '' end
                || {{ f('region_requirement_value', 'amount') }} || {{ tracking__unit('target_unit', 'zh') }}, '') || '）' end,
        case when official_rule = 'plan wording: bound' then '，为每年均须保持的' || case target_form when 'level_at_most' then '上限' else '下限' end
             when required_value is not null and target_form not in ('hold_at', 'direction_only') then concat(
                 '，按时间进度', {{ f('100.0 * k / period_years', 'progress') }}, '%应',
                 case target_form when 'cumulative_decline' then '累计下降' || {{ f('required_value', 'rate') }} || '%'
                                  when 'completed_over_period' then '完成' || {{ f('required_value', 'amount') }} || {{ tracking__unit('target_unit', 'zh') }}
                                  else '达到' || {{ tracking__fmt_level('required_value') }} || {{ tracking__unit('target_unit', 'zh') }} end,
                 case when share_done is not null then '，目标完成进度' || {{ f('100 * share_done', 'progress') }} || '%' end) end,
        '。',
        case when target_form = 'direction_only' then
                 case when is_met then '当年符合要求' || coalesce('，已连续' || consecutive_years_met || '年' ||
                                         case desired_direction when 'decrease' then '下降' else '提高' end, '') || '。'
                      when is_met is not null then '当年未符合要求（较上年反向变化）。' end
             when is_met and official_status in ('yellow', 'red') then '当年值已达到目标要求，但较上年反向变化。'
             when is_met then '当年值已达到目标要求。'
             when target_form = 'hold_at' then '当年低于目标' || {{ tracking__diff('target_value - actual_value', 'value_unit', 'zh') }} || '。'
        end,
        '评价：', {{ tracking__official_label('zh') }}, '。',
        case when final_verdict is not null then '期末结论：' || final_verdict_zh || '。' end,
        case when not coalesce(is_met, true) and required_per_remaining_year is not null and k < period_years then concat(
            case when period_years - k = 1 then {{ last_year }} || '年' else '余下' || (period_years - k) || '年年均' end,
            case target_form when 'cumulative_decline' then '需下降' || {{ f('required_per_remaining_year', 'rate') }} || '%'
                             when 'completed_over_period' then '需完成' || {{ f('required_per_remaining_year', 'amount') }} || {{ tracking__unit('target_unit', 'zh') }}
                             when 'level_at_most' then '需降低' || {{ tracking__diff('-required_per_remaining_year', 'value_unit', 'zh') }}
                             else '需提高' || {{ tracking__diff('required_per_remaining_year', 'value_unit', 'zh') }} end, '。') end,
        case judged_basis when 'plain_statistics' then '考核口径：常规统计（未扣除原料用能和新增可再生能源）。'
                          when 'feedstock_deducted' then '考核口径：扣除原料用能。'
                          when 'feedstock_and_added_renewable_deducted' then '考核口径：扣除原料用能和新增可再生能源消费量。' end,
        case when value_unit like 'tce/%' then '核算方法：电力按火电供电煤耗折标准煤。'
             when value_unit like 'tCO2/万元%' then '核算方法：调入调出电力按' ||
                 {% if var('accounting_grid_level') == 'north_china' %}'华北区域电网'{% elif var('accounting_grid_level') == 'inner_mongolia' %}'内蒙古电网'{% else %}'全国电网平均'{% endif %}
                 || '排放因子（{{ var('accounting_grid_factor_year') }}{{ '' if var('accounting_grid_factor_year') == 'by_year' else '年' }}）计算，外送电量抵扣排放。' end,
        '数据：', case data_status when 'final' then '最终数' when 'preliminary' then '初步数'
                                   when 'illustrative' then '示例数据（非公布数）' else coalesce(data_status, '无') end, '。')
    end
{%- else %}
    case when tracking_status = 'not_available' then concat(name_en, ' (', region_name_en, ', ', year, '): not available - ',
        case when starts_with(not_available_reason, 'no delivery') then 'no department has delivered this indicator yet'
             when starts_with(not_available_reason, 'the period total') then 'the period total needs every year and one is not delivered yet'
             when starts_with(not_available_reason, 'no value delivered') then 'the ' || year || ' value has not been delivered'
             else 'there is no ' || {{ base_year }} || ' base value' end, '.')
    else concat(
        name_en, ' (', region_name_en, ', ', year, '): ',
        case target_form
            when 'cumulative_decline' then concat(
                {{ tracking__fmt_level('actual_value') }}, {{ tracking__unit('value_unit', 'en') }}, ' in ', year, ', ',
                case when progress_value >= 0 then {{ f('progress_value', 'rate') }} || ' % below '
                     else {{ f('-progress_value', 'rate') }} || ' % above ' end,
                {{ base_year }}, ' (', {{ tracking__fmt_level('base_value') }}, '). Target: a cumulative decline of ',
                {{ f('target_value', 'amount') }}, ' % by ', {{ last_year }})
            when 'completed_over_period' then concat(
                {{ tracking__fmt_level('actual_value') }}, {{ tracking__unit('value_unit', 'en') }}, ' completed since ', {{ base_year }} + 1,
                '. Target: ', {{ f('target_value', 'amount') }}, {{ tracking__unit('target_unit', 'en') }}, ' by ', {{ last_year }})
            else concat(
                {{ tracking__fmt_level('actual_value') }}, {{ tracking__unit('value_unit', 'en') }}, ' in ', year,
                case when base_value is not null then concat(', ',
                    case when actual_value > base_value then 'up ' || {{ tracking__diff('actual_value - base_value', 'value_unit', 'en') }}
                         when actual_value < base_value then 'down ' || {{ tracking__diff('base_value - actual_value', 'value_unit', 'en') }}
                         else 'unchanged' end, ' on ', {{ base_year }}, ' (', {{ tracking__fmt_level('base_value') }}, case when value_unit = '%' then ' %' end, ')') end,
                case target_form
                    when 'direction_only' then '. The plan asks for a steady ' || case desired_direction when 'decrease' then 'fall' else 'rise' end
                        || ' (no number)'
                    when 'hold_at' then '. Target: hold at ' || {{ f('target_value', 'amount') }} || {{ tracking__unit('target_unit', 'en') }}
                    when 'level_at_most' then '. Target: ' || case when bound_strict then 'below ' else 'at most ' end || {{ f('target_value', 'amount') }} || {{ tracking__unit('target_unit', 'en') }} || ' by ' || {{ last_year }}
                    else '. Target: ' || case when bound_strict then 'above ' else 'at least ' end || {{ f('target_value', 'amount') }} || {{ tracking__unit('target_unit', 'en') }} || ' by ' || {{ last_year }} end)
        end,
        case when target_source = 'autonomous_region' then
            ' (the autonomous region''s requirement' || coalesce(': ' || {{ f('region_requirement_value', 'amount') }} || {{ tracking__unit('target_unit', 'en') }}, '') || ')' end,
        case when official_rule = 'plan wording: bound' then ', a ' || case target_form when 'level_at_most' then 'cap' else 'floor' end || ' to keep every year'
             when required_value is not null and target_form not in ('hold_at', 'direction_only') then concat(
                 '; at ', {{ f('100.0 * k / period_years', 'progress') }}, ' % of the period the even path requires ',
                 case target_form when 'cumulative_decline' then 'a decline of ' || {{ f('required_value', 'rate') }} || ' %'
                                  else {{ tracking__fmt_level('required_value') }} || {{ tracking__unit('target_unit', 'en') }} end,
                 case when share_done is not null then '; ' || {{ f('100 * share_done', 'progress') }} || ' % of the target done' end) end,
        '. ',
        case when target_form = 'direction_only' then
                 case when is_met then 'Met this year' || coalesce(' (' || consecutive_years_met || ' years in a row)', '') || '. '
                      when is_met is not null then 'Not met this year (moved the wrong way on the previous year). ' end
             when is_met and official_status in ('yellow', 'red') then 'This year''s value meets the target, but it moved the wrong way on the previous year. '
             when is_met then 'This year''s value meets the target. '
             when target_form = 'hold_at' then 'Below the target by ' || {{ tracking__diff('target_value - actual_value', 'value_unit', 'en') }} || '. '
        end,
        'Verdict: ', {{ tracking__official_label('en') }}, '. ',
        case when final_verdict is not null then 'Final verdict: ' || replace(final_verdict, '_', ' ') || '. ' end,
        case when not coalesce(is_met, true) and required_per_remaining_year is not null and k < period_years then concat(
            case when period_years - k = 1 then 'Required in ' || {{ last_year }} || ': '
                 else 'Required in each of the remaining ' || (period_years - k) || ' years: ' end,
            case target_form when 'cumulative_decline' then 'a decline of ' || {{ f('required_per_remaining_year', 'rate') }} || ' %'
                             when 'completed_over_period' then {{ f('required_per_remaining_year', 'amount') }} || {{ tracking__unit('target_unit', 'en') }}
                             when 'level_at_most' then 'a fall of ' || {{ tracking__diff('-required_per_remaining_year', 'value_unit', 'en') }}
                             else 'a rise of ' || {{ tracking__diff('required_per_remaining_year', 'value_unit', 'en') }} end, '. ') end,
        case judged_basis when 'plain_statistics' then 'Basis judged: plain statistics (feedstock and added renewable energy not deducted). '
                          when 'feedstock_deducted' then 'Basis judged: feedstock deducted. '
                          when 'feedstock_and_added_renewable_deducted' then 'Basis judged: feedstock and added renewable energy deducted. ' end,
        case when value_unit like 'tce/%' then 'Accounting: electricity at the supply coal rate of coal power. '
             when value_unit like 'tCO2/万元%' then 'Accounting: electricity flows at the {{ var('accounting_grid_level') }} grid factor ({{ var('accounting_grid_factor_year') }}), net exports credited. ' end,
        'Data: ', coalesce(data_status, 'none'), '.')
    end
{%- endif %}
{%- endmacro %}
