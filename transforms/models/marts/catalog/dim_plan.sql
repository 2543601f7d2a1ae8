{#- The plans tracked, with the years derived from their period: the mid-term evaluation year
    (中期评估: year 3 of a five-year plan, in general the middle of the period rounded up) and the
    number of years. -#}
select
    plan_id,
    name_zh,
    name_en,
    issuing_body_zh,
    document_number,
    region_code,
    base_year,
    first_year,
    last_year,
    cast(last_year - base_year as integer) as period_years,
    cast(base_year + ceil((last_year - base_year) / 2.0) as integer) as mid_term_year,
    price_base_year,
    status,
    source
from ({{ catalog__rows('plans') }}) as p
