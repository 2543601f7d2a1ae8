{#- The explanation of one fct_target_tracking row for a reader, in Chinese ('zh') or English
    ('en'): the inputs, the rule applied and the result. Works on the columns of that model's
    `statuses` step; concat() skips the parts that are null. -#}

{% macro tracking__num(x, digits=4) -%}
    rtrim(rtrim(printf('%.{{ digits }}f', {{ x }}), '0'), '.')
{%- endmacro %}

{% macro tracking__label(column, lang) -%}
    {%- set labels = {
        'zh': {'green': '绿灯（三级预警）', 'yellow': '黄灯（二级预警）', 'red': '红灯（一级预警）',
               'not_available': '无法评估', 'target_achieved': '已达到目标', 'substantial_progress': '显著进展',
               'moderate_progress': '中等进展', 'limited_progress': '有限进展', 'deterioration': '倒退',
               'on_track': '按当前速度可如期实现', 'acceleration_needed': '需要加快',
               'stagnation_or_regression': '停滞或倒退', 'final': '最终数', 'preliminary': '初步数',
               'illustrative': '示例数据（非公布数）'},
        'en': {'green': 'green', 'yellow': 'yellow', 'red': 'red', 'not_available': 'not available', 'target_achieved': 'target achieved',
               'substantial_progress': 'substantial progress', 'moderate_progress': 'moderate progress',
               'limited_progress': 'limited progress', 'deterioration': 'deterioration', 'on_track': 'on track',
               'acceleration_needed': 'acceleration needed', 'stagnation_or_regression': 'stagnation or regression',
               'final': 'final', 'preliminary': 'preliminary', 'illustrative': 'illustrative (not a published figure)'}
    }[lang] -%}
    (case {{ column }} {% for k, v in labels.items() %}when '{{ k }}' then '{{ v }}' {% endfor %}else {{ column }} end)
{%- endmacro %}

{% macro tracking__explanation(lang) -%}
{%- set n = tracking__num -%}
{%- if lang == 'zh' %}
    case when reason_code is not null then concat(name_zh, '，', region_name_zh, '，', year, '年：无法评估——',
        case reason_code when 'no_delivery' then '尚无数据交付此指标'
                         when 'no_county_accounting' then '此指标只核算到全市，旗县区无核算，无法评估旗县区目标'
                         when 'period_incomplete' then '期内累计需要' || (baseline_year + 1) || '—' || year || '年每年的数据，有年份缺失'
                         when 'no_value_for_year' then year || '年数据尚未交付'
                         else '缺少' || baseline_year || '年基期值' end, '。')
    else concat(
        name_zh, '，', region_name_zh, '，', year, '年：',
        case target_form
            when 'cumulative_decline' then concat(
                '实际值', {{ n('actual_value', 6) }}, ' ', value_unit, '（', baseline_year, '年', {{ n('base_value', 6) }}, '），较', baseline_year, '年累计下降',
                {{ n('progress_value', 2) }}, '%。目标：期内累计下降', {{ n('target_value', 2) }}, '%；按均衡复合路径，第',
                years_elapsed, '年应累计下降', {{ n('required_value', 2) }}, '%（时间进度', years_elapsed, '/', period_years, '），按复合口径已完成目标的',
                {{ n('100 * share_done', 1) }}, '%。')
            when 'completed_over_period' then concat(
                baseline_year + 1, '年以来累计完成', {{ n('actual_value') }}, ' ', value_unit, '；目标：期内完成', {{ n('target_value') }}, ' ', target_unit,
                '；按线性均衡路径第', years_elapsed, '年应完成', {{ n('required_value') }}, '（时间进度', years_elapsed, '/', period_years, '），已完成目标的',
                {{ n('100 * share_done', 1) }}, '%。')
            when 'direction_only' then concat(
                '实际值', {{ n('actual_value') }}, ' ', value_unit, '（', baseline_year, '年', {{ n('base_value') }}, '）；目标只规定方向（',
                case desired_direction when 'decrease' then '下降' else '上升' end, '），无量化目标值。')
            else concat(
                '实际值', {{ n('actual_value') }}, ' ', value_unit, '（', baseline_year, '年', {{ n('base_value') }}, '）；目标：', target_year, '年',
                case when target_form = 'level_at_least' and bound_strict then '高于' when target_form = 'level_at_most' and bound_strict then '低于'
                     when target_form = 'level_at_least' then '不低于' when target_form = 'level_at_most' then '不高于' else '保持在' end,
                {{ n('target_value') }}, ' ', target_unit,
                case when target_form = 'hold_at' then '。'
                     else concat('；按线性均衡路径第', years_elapsed, '年应为', {{ n('required_value') }}, '（时间进度', years_elapsed,
                                 '/', period_years, '）', case when share_done is not null then '，已完成目标的' || {{ n('100 * share_done', 1) }} || '%' end, '。') end)
        end,
        case when target_form <> 'direction_only' then concat(
            '晴雨表预警（2020年规则）：', {{ tracking__label('barometer_2020', 'zh') }},
            case when shortfall_pct > 0 then '，差距为进度要求的' || {{ n('shortfall_pct', 1) }} || '%' end,
            '；（2021年规则）：', {{ tracking__label('barometer_2021', 'zh') }},
            case when worsened_year_on_year then '（较上年反向变化）' end, '。') end,
        'Open SDG进展评估：', {{ tracking__label('open_sdg_status', 'zh') }},
        case when target_form = 'direction_only' and open_sdg_value is not null
                  then '（按期望方向年均变化' || {{ n('100 * open_sdg_value', 2) }} || '%）'
             when open_sdg_value is not null then '（比值' || {{ n('open_sdg_value', 3) }} || '）' end,
        '；UNSD进展图：', {{ tracking__label('unsd_status', 'zh') }},
        case when unsd_ratio is not null then '（r=' || {{ n('unsd_ratio', 3) }} || '）' end, '。',
        case when projected_value is not null then concat('按当前速度，', target_year, '年预计为', {{ n('projected_value', 2) }},
            case when target_form = 'cumulative_decline' then '%（累计下降）' else ' ' || target_unit end, '。') end,
        case when target_achieved and target_form <> 'direction_only' then '已达到' || target_year || '年目标。'
             when required_per_remaining_year is not null then concat('余下', period_years - years_elapsed, '年每年需',
            case when target_form = 'cumulative_decline' then '下降' || {{ n('required_per_remaining_year', 2) }} || '%'
                 when target_form = 'completed_over_period' then '完成' || {{ n('required_per_remaining_year') }} || ' ' || target_unit
                 when target_form = 'level_at_most' then '降低' || {{ n('-required_per_remaining_year') }} || ' ' || target_unit
                 else '提高' || {{ n('required_per_remaining_year') }} || ' ' || target_unit end, '。') end,
        '数据状态：', {{ tracking__label('data_status', 'zh') }}, '。')
    end
{%- else %}
    case when reason_code is not null then concat(name_en, ', ', region_name_en, ', ', year, ': not available - ',
        case reason_code when 'no_delivery' then 'no delivery carries this indicator yet'
                         when 'no_county_accounting' then 'no county accounting: the indicator is accounted for the city only, so a county target cannot be judged'
                         when 'period_incomplete' then 'the period total needs an amount for every year ' || (baseline_year + 1) || '-' || year || ' and one is missing'
                         when 'no_value_for_year' then 'no value for ' || year || ' has been delivered'
                         else 'there is no ' || baseline_year || ' base value' end, '.')
    else concat(
        name_en, ', ', region_name_en, ', ', year, ': ',
        case target_form
            when 'cumulative_decline' then concat(
                'value ', {{ n('actual_value', 6) }}, ' ', value_unit, ' (', baseline_year, ': ', {{ n('base_value', 6) }}, '), a cumulative decline of ',
                {{ n('progress_value', 2) }}, ' % since ', baseline_year, '. Target: ', {{ n('target_value', 2) }}, ' % over ', baseline_year + 1, '-', target_year, '; the even compound path requires ',
                {{ n('required_value', 2) }}, ' % after ', years_elapsed, ' of ', period_years, ' years; share of the target done (compound terms) ',
                {{ n('100 * share_done', 1) }}, ' %. ')
            when 'completed_over_period' then concat(
                'completed since ', baseline_year + 1, ': ', {{ n('actual_value') }}, ' ', value_unit, '. Target: ', {{ n('target_value') }}, ' ', target_unit,
                ' over the period; the even (linear) path requires ', {{ n('required_value') }}, ' after ', years_elapsed, ' of ', period_years, ' years; share done ',
                {{ n('100 * share_done', 1) }}, ' %. ')
            when 'direction_only' then concat(
                'value ', {{ n('actual_value') }}, ' ', value_unit, ' (', baseline_year, ': ', {{ n('base_value') }}, '). The plan sets a direction only (',
                desired_direction, '), no number. ')
            else concat(
                'value ', {{ n('actual_value') }}, ' ', value_unit, ' (', baseline_year, ': ', {{ n('base_value') }}, '). Target: ',
                case when target_form = 'level_at_least' and bound_strict then 'above ' when target_form = 'level_at_most' and bound_strict then 'below '
                     when target_form = 'level_at_least' then 'at least ' when target_form = 'level_at_most' then 'at most ' else 'hold at ' end,
                {{ n('target_value') }}, ' ', target_unit, ' in ', target_year,
                case when target_form = 'hold_at' then '. '
                     else concat('; the even (linear) path requires ', {{ n('required_value') }}, ' after ', years_elapsed, ' of ', period_years, ' years',
                                 case when share_done is not null then '; share done ' || {{ n('100 * share_done', 1) }} || ' %' end, '. ') end)
        end,
        case when target_form <> 'direction_only' then concat(
            'NDRC barometer, 2020 rule: ', {{ tracking__label('barometer_2020', 'en') }},
            case when shortfall_pct > 0 then ', shortfall ' || {{ n('shortfall_pct', 1) }} || ' % of the requirement' end,
            '; 2021 rule: ', {{ tracking__label('barometer_2021', 'en') }},
            case when worsened_year_on_year then ' (moved the wrong way on the previous year)' end, '. ') end,
        'Open SDG: ', {{ tracking__label('open_sdg_status', 'en') }},
        case when target_form = 'direction_only' and open_sdg_value is not null
                  then ' (growth in the desired direction ' || {{ n('100 * open_sdg_value', 2) }} || ' % a year)'
             when open_sdg_value is not null then ' (ratio ' || {{ n('open_sdg_value', 3) }} || ')' end,
        '; UNSD: ', {{ tracking__label('unsd_status', 'en') }},
        case when unsd_ratio is not null then ' (r = ' || {{ n('unsd_ratio', 3) }} || ')' end, '. ',
        case when projected_value is not null then concat('At the current pace ', target_year, ' would reach ', {{ n('projected_value', 2) }},
            case when target_form = 'cumulative_decline' then ' % (cumulative decline). ' else ' ' || target_unit || '. ' end) end,
        case when target_achieved and target_form <> 'direction_only' then 'The ' || target_year || ' target is already met. '
             when required_per_remaining_year is not null then concat('Required in each of the remaining ', period_years - years_elapsed, ' years: ',
            case when target_form = 'cumulative_decline' then 'a decline of ' || {{ n('required_per_remaining_year', 2) }} || ' %'
                 when target_form = 'completed_over_period' then {{ n('required_per_remaining_year') }} || ' ' || target_unit || ' completed'
                 when target_form = 'level_at_most' then 'a fall of ' || {{ n('-required_per_remaining_year') }} || ' ' || target_unit
                 else 'a rise of ' || {{ n('required_per_remaining_year') }} || ' ' || target_unit end, '. ') end,
        'Data: ', {{ tracking__label('data_status', 'en') }}, '.')
    end
{%- endif %}
{%- endmacro %}
