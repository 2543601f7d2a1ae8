{#- Lineage index: for every delivery (staging model) the file, checksum, sheet and row range that
    hold each region's rows of each year. Values built from several rows point here to say which
    delivered rows they come from. -#}
{#- Every staging model, listed by hand: dbt must see each ref() when it parses the project
    (tests/test_definitions.py checks that none is missing). -#}
{% set staging = [
    'stg_agriculture__farmland', 'stg_agriculture__fertiliser', 'stg_agriculture__irrigation',
    'stg_agriculture__livestock', 'stg_agriculture__utilisation_rates',
    'stg_energy__energy_balance', 'stg_energy__gas_coverage', 'stg_energy__industrial_energy',
    'stg_energy__key_energy_users', 'stg_energy__power', 'stg_forestry__afforestation',
    'stg_forestry__forest_resources', 'stg_forestry__forest_stock', 'stg_forestry__grassland',
    'stg_housing__clean_heating', 'stg_housing__low_carbon_pilots', 'stg_housing__new_buildings',
    'stg_housing__retrofits', 'stg_housing__sponge_city', 'stg_meteorology__weather_service',
    'stg_projects__closures', 'stg_projects__project_ledger',
    'stg_statistics__industrial_value_added', 'stg_statistics__population',
    'stg_statistics__regional_gdp', 'stg_transport__bus_fleet', 'stg_transport__charging',
    'stg_transport__fleet_vehicles', 'stg_transport__mode_share',
    'stg_transport__operating_vehicles'
] %}

{% for name in staging %}
select
    '{{ name[4:] }}' as dataset,
    region_code,
    cast(year as integer) as year,
    source_file,
    source_sha256,
    source_sheet,
    min(source_row) as first_row,
    max(source_row) as last_row,
    count(*) as n_rows
from {{ ref(name) }}
group by all
{% if not loop.last %}union all{% endif %}
{% endfor %}
