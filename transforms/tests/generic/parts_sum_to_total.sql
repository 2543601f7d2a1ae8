{#- Rows where the parts (e.g. the three sectors) do not add up to the total within an absolute
    tolerance (published figures are rounded to one decimal each). -#}
{% test parts_sum_to_total(model, column_name, parts, tolerance=0.15) %}
select *
from {{ model }}
where abs({{ column_name }} - ({{ parts | join(' + ') }})) > {{ tolerance }}
{% endtest %}
