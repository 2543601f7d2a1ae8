{#- The observed value of every catalog indicator that the deliveries can give, one row per
    indicator, region, year and basis. Each entry below says where the value comes from, how it is
    computed and what kind of quantity it is:
      level               a level, share or intensity at the year end (or for the year)
      cumulative_to_date  a count or area completed since the start of the plan period (2021)
      amount_in_year      the amount completed in that year alone (summed over the period later)
    `datasets` names the deliveries behind the value: their rows of that region and year are the
    lineage (int_delivery_rows_by_year). Intensities come once per price-base year of the plans
    (price_base_year; null for values that carry no price). A delivered value is kept where a
    recomputation lacks an input (gas coverage). Catalog indicators missing here have no delivery and are
    reported as not_available by fct_target_tracking. -#}
{% set conversion = accounting__choice('electricity_conversion') %}
{% set energy = ref('int_energy_carbon_indicators_unioned') %}
{% set entries = [
    {'id': 'co2_per_gdp', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit_sql': "'tCO2/万元 (' || price_base_year || '年价)'", 'price': True, 'kind': 'level',
     'where': "indicator = 'co2_per_gdp' and breakdown = 'all'",
     'datasets': ['energy__energy_balance', 'statistics__regional_gdp'], 'method': 'method'},
    {'id': 'energy_per_gdp', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit_sql': "'tce/万元 (' || price_base_year || '年价)'", 'price': True, 'kind': 'level',
     'where': "indicator = 'energy_per_gdp' and breakdown = 'all' and electricity_conversion = '" ~ conversion ~ "'",
     'datasets': ['energy__energy_balance', 'energy__power', 'statistics__regional_gdp'], 'method': 'method'},
    {'id': 'industrial_energy_per_value_added', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit_sql': "'tce/万元 (' || price_base_year || '年价)'", 'price': True, 'kind': 'level',
     'where': "indicator = 'industrial_energy_per_value_added'",
     'datasets': ['energy__industrial_energy', 'statistics__industrial_value_added'], 'method': 'method'},
    {'id': 'coal_share_of_energy', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '%', 'kind': 'level',
     'where': "indicator = 'coal_share_pct'", 'datasets': ['energy__energy_balance', 'energy__power'], 'method': 'method'},
    {'id': 'non_fossil_share_of_energy', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '%', 'kind': 'level',
     'where': "indicator = 'non_fossil_share_pct'", 'datasets': ['energy__energy_balance', 'energy__power'], 'method': 'method'},
    {'id': 'operating_vehicle_co2_per_turnover', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': 'tCO2/万吨公里', 'kind': 'level',
     'where': "indicator = 'operating_vehicle_co2_per_converted_turnover'", 'datasets': ['transport__operating_vehicles'], 'method': 'method'},
    {'id': 'new_energy_bus_share', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '%', 'kind': 'level',
     'where': "indicator = 'clean_energy_bus_share_pct'", 'datasets': ['transport__bus_fleet'], 'method': 'method'},
    {'id': 'coal_power_supply_coal_rate', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '克标准煤/千瓦时', 'kind': 'level',
     'where': "indicator = 'supply_coal_rate'", 'datasets': ['energy__power'], 'method': 'method'},
    {'id': 'coal_units_300mw_share', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '%', 'kind': 'level',
     'where': "indicator = 'coal_300mw_plus_share_of_thermal_pct'", 'datasets': ['energy__power'], 'method': 'method'},
    {'id': 'new_energy_capacity', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '万千瓦', 'kind': 'level',
     'where': "indicator = 'new_energy_capacity'", 'datasets': ['energy__power'], 'method': 'method'},
    {'id': 'new_energy_vs_thermal_capacity', 'rel': energy, 'value': 'value', 'basis': 'basis', 'unit': '倍', 'kind': 'level',
     'where': "indicator = 'new_energy_to_thermal_capacity_ratio'", 'datasets': ['energy__power'], 'method': 'method'},

    {'id': 'green_building_share_new_urban', 'rel': ref('stg_housing__new_buildings'), 'unit': '%', 'kind': 'level',
     'value': '100 * green_building_area_10k_m2 / nullif(new_building_area_10k_m2, 0)', 'datasets': ['housing__new_buildings'],
     'method': "'green-standard floor area / new urban building floor area x 100'"},
    {'id': 'star_rated_green_building_share', 'rel': ref('stg_housing__new_buildings'), 'unit': '%', 'kind': 'level',
     'value': '100 * star_rated_green_area_10k_m2 / nullif(new_building_area_10k_m2, 0)', 'datasets': ['housing__new_buildings'],
     'method': "'star-rated green floor area / new urban building floor area x 100'"},
    {'id': 'prefabricated_building_share', 'rel': ref('stg_housing__new_buildings'), 'unit': '%', 'kind': 'level',
     'value': '100 * prefabricated_area_10k_m2 / nullif(new_building_area_10k_m2, 0)', 'datasets': ['housing__new_buildings'],
     'method': "'prefabricated floor area / new urban building floor area x 100'"},
    {'id': 'wall_insulation_integration_share', 'rel': ref('int_housing_areas_joined'), 'unit': '%', 'kind': 'level',
     'value': '100 * wall_insulation_integrated_area_10k_m2 / nullif(new_building_area_10k_m2, 0)',
     'datasets': ['housing__retrofits', 'housing__new_buildings'],
     'method': "'wall-insulation-integrated floor area (retrofits delivery) / new urban building floor area x 100'"},
    {'id': 'existing_building_energy_retrofit', 'rel': ref('stg_housing__retrofits'), 'unit': '万平方米', 'kind': 'amount_in_year',
     'value': 'energy_retrofit_area_10k_m2', 'datasets': ['housing__retrofits'], 'method': "'energy-saving retrofit floor area completed in the year'"},
    {'id': 'clean_heating_rate_urban_district', 'rel': ref('stg_housing__clean_heating'), 'unit': '%', 'kind': 'level',
     'value': 'clean_heating_rate_pct', 'where': "area_type = 'urban_district'", 'datasets': ['housing__clean_heating'], 'method': "'clean heating rate, 市区, as delivered'"},
    {'id': 'clean_heating_rate_county_town', 'rel': ref('stg_housing__clean_heating'), 'unit': '%', 'kind': 'level',
     'value': 'clean_heating_rate_pct', 'where': "area_type = 'county_towns'", 'datasets': ['housing__clean_heating'], 'method': "'clean heating rate, 县城, as delivered'"},
    {'id': 'clean_heating_rate_rural', 'rel': ref('stg_housing__clean_heating'), 'unit': '%', 'kind': 'level',
     'value': 'clean_heating_rate_pct', 'where': "area_type = 'rural'", 'datasets': ['housing__clean_heating'], 'method': "'clean heating rate, 农村牧区, as delivered'"},
    {'id': 'central_heating_energy_per_area', 'rel': ref('stg_housing__clean_heating'), 'unit': '千克标准煤/平方米', 'kind': 'level',
     'value': 'central_heating_kgce_per_m2', 'where': "area_type = 'urban_district'", 'datasets': ['housing__clean_heating'],
     'method': "'central heating energy per heated floor area, 市区 (the delivery gives 市区 and 县城 separately; 市区 is tracked)'"},
    {'id': 'sponge_city_area_share', 'rel': ref('stg_housing__sponge_city'), 'unit': '%', 'kind': 'level',
     'value': 'coalesce(100 * sponge_city_area_km2 / nullif(built_up_area_km2, 0), sponge_city_share_pct)', 'datasets': ['housing__sponge_city'],
     'method': "case when sponge_city_area_km2 is null or nullif(built_up_area_km2, 0) is null then 'share as delivered (the areas behind it are not delivered)' else 'area meeting sponge-city requirements / built-up area x 100' end"},
    {'id': 'low_carbon_community_pilots_per_county', 'rel': ref('stg_housing__low_carbon_pilots'), 'unit': '个', 'kind': 'cumulative_to_date',
     'value': 'established_urban_pilots + established_rural_pilots', 'datasets': ['housing__low_carbon_pilots'],
     'method': "'established urban + rural low-carbon community pilots, cumulative since 2021'"},

    {'id': 'forest_cover', 'rel': ref('stg_forestry__forest_resources'), 'unit': '%', 'kind': 'level',
     'value': '100 * forest_area_10k_mu / nullif(land_area_10k_mu, 0)', 'datasets': ['forestry__forest_resources'], 'method': "'forest area / total land area x 100'"},
    {'id': 'forest_stock', 'rel': ref('stg_forestry__forest_stock'), 'unit': '万立方米', 'kind': 'level',
     'value': 'forest_stock_10k_m3', 'datasets': ['forestry__forest_stock'], 'method': "'forest stock volume at the year end'"},
    {'id': 'grassland_vegetation_cover', 'rel': ref('stg_forestry__grassland'), 'unit': '%', 'kind': 'level',
     'value': 'value', 'where': "indicator = 'vegetation_cover_pct'", 'datasets': ['forestry__grassland'], 'method': "'grassland vegetation cover from monitoring, as delivered'"},
    {'id': 'degraded_grassland_restored', 'rel': ref('stg_forestry__grassland'), 'unit': '万亩', 'kind': 'amount_in_year',
     'value': 'value', 'where': "indicator = 'degraded_restored_10k_mu'", 'datasets': ['forestry__grassland'], 'method': "'degraded grassland restored in the year'"},
    {'id': 'afforestation_area', 'rel': ref('int_afforestation_totalled'), 'unit': '万亩', 'kind': 'amount_in_year',
     'value': 'area_10k_mu', 'datasets': ['forestry__afforestation'], 'method': "'人工造林 + 飞播造林 + 封山（沙）育林 in the year (退化林修复 excluded)'"},

    {'id': 'weather_service_coverage', 'rel': ref('stg_meteorology__weather_service'), 'unit': '%', 'kind': 'level',
     'value': 'public_coverage_pct', 'datasets': ['meteorology__weather_service'], 'method': "'public weather-service coverage (survey), as delivered'"},

    {'id': 'new_energy_bus_stock', 'rel': ref('stg_transport__bus_fleet'), 'unit': '辆', 'kind': 'level',
     'value': 'stock_battery_electric_buses + stock_hybrid_buses + stock_hydrogen_buses', 'datasets': ['transport__bus_fleet'],
     'method': "'battery electric + hybrid + hydrogen buses at the year end'"},
    {'id': 'new_energy_bus_share_of_additions', 'rel': ref('stg_transport__bus_fleet'), 'unit': '%', 'kind': 'level',
     'value': '100 * (added_battery_electric_buses + added_hybrid_buses + added_hydrogen_buses + replaced_battery_electric_buses + replaced_hybrid_buses + replaced_hydrogen_buses) / nullif(added_total_buses + replaced_total_buses, 0)',
     'datasets': ['transport__bus_fleet'], 'method': "'new-energy buses added or replaced / all buses added or replaced in the year x 100'"},
    {'id': 'new_energy_logistics_share_of_additions', 'rel': ref('int_fleet_additions_pivoted'), 'unit': '%', 'kind': 'level',
     'value': '100 * new_energy / nullif(total, 0)', 'where': "fleet = 'urban_logistics'", 'datasets': ['transport__fleet_vehicles'],
     'method': "'new-energy urban delivery vehicles added or replaced / all added or replaced in the year x 100'"},
    {'id': 'new_energy_government_vehicle_share_of_additions', 'rel': ref('int_fleet_additions_pivoted'), 'unit': '%', 'kind': 'level',
     'value': '100 * new_energy / nullif(total, 0)', 'where': "fleet = 'government'", 'datasets': ['transport__fleet_vehicles'],
     'method': "'new-energy government vehicles added or replaced / all added or replaced in the year x 100'"},
    {'id': 'public_transport_mode_share', 'rel': ref('stg_transport__mode_share'), 'unit': '%', 'kind': 'level',
     'value': 'public_transport_share_pct', 'datasets': ['transport__mode_share'], 'method': "'public-transport share of motorised trips (travel survey), as delivered'"},
    {'id': 'green_travel_mode_share', 'rel': ref('stg_transport__mode_share'), 'unit': '%', 'kind': 'level',
     'value': 'green_travel_share_pct', 'datasets': ['transport__mode_share'], 'method': "'green-travel share of all trips (travel survey), as delivered'"},
    {'id': 'charging_parking_space_share', 'rel': ref('stg_transport__charging'), 'unit': '%', 'kind': 'level',
     'value': '100 * (public_charging_points + private_charging_points) / nullif(parking_spaces, 0)', 'datasets': ['transport__charging'],
     'method': "'(public + private charging points) / parking spaces x 100'"},

    {'id': 'piped_gas_coverage_county', 'rel': ref('stg_energy__gas_coverage'), 'unit': '%', 'kind': 'level',
     'value': 'coalesce(100 * piped_gas_population_10k / nullif(urban_population_10k, 0), coverage_pct)', 'datasets': ['energy__gas_coverage'],
     'method': "case when piped_gas_population_10k is null or nullif(urban_population_10k, 0) is null then 'coverage as delivered (the populations behind it are not delivered; the city''s 2020 figure is 城镇燃气普及率, all gas)' else 'urban population with gas / urban population x 100' end"},

    {'id': 'manure_utilisation_rate', 'rel': ref('stg_agriculture__utilisation_rates'), 'unit': '%', 'kind': 'level',
     'value': 'indicator_value', 'where': "indicator = 'manure_utilisation_pct'", 'datasets': ['agriculture__utilisation_rates'], 'method': "'manure utilisation rate, as delivered'"},
    {'id': 'fertiliser_utilisation_rate', 'rel': ref('stg_agriculture__utilisation_rates'), 'unit': '%', 'kind': 'level',
     'value': 'indicator_value', 'where': "indicator = 'fertiliser_utilisation_pct'", 'datasets': ['agriculture__utilisation_rates'], 'method': "'fertiliser utilisation rate (field trials), as delivered'"},
    {'id': 'fertiliser_per_mu', 'rel': ref('stg_agriculture__fertiliser'), 'unit': '千克/亩', 'kind': 'level',
     'value': '1000 * fertiliser_total_10k_t / nullif(sown_area_10k_mu, 0)', 'datasets': ['agriculture__fertiliser'],
     'method': "'fertiliser applied (万吨, nutrient basis) / crop sown area (万亩) x 1000 = kg per mu'"},
    {'id': 'irrigation_water_coefficient', 'rel': ref('stg_agriculture__irrigation'), 'unit': '系数', 'kind': 'level',
     'value': 'irrigation_water_coefficient', 'datasets': ['agriculture__irrigation'], 'method': "'effective utilisation coefficient of irrigation water, as delivered'"},
    {'id': 'high_standard_farmland_area', 'rel': ref('stg_agriculture__farmland'), 'unit': '万亩', 'kind': 'level',
     'value': 'hsf_cumulative_10k_mu', 'datasets': ['agriculture__farmland'], 'method': "'high-standard farmland built, cumulative (累计建成) at the year end'"},
    {'id': 'wheat_base_area', 'rel': ref('stg_agriculture__farmland'), 'unit': '万亩', 'kind': 'level',
     'value': 'wheat_base_10k_mu', 'datasets': ['agriculture__farmland'], 'method': "'wheat base area at the year end'"},
    {'id': 'maize_base_area', 'rel': ref('stg_agriculture__farmland'), 'unit': '万亩', 'kind': 'level',
     'value': 'maize_base_10k_mu', 'datasets': ['agriculture__farmland'], 'method': "'maize base area at the year end'"},
    {'id': 'sunflower_base_area', 'rel': ref('stg_agriculture__farmland'), 'unit': '万亩', 'kind': 'level',
     'value': 'sunflower_base_10k_mu', 'datasets': ['agriculture__farmland'], 'method': "'sunflower base area at the year end'"},

    {'id': 'chp_radius_coal_boilers_closed', 'rel': ref('int_closures_totalled'), 'unit': '%', 'kind': 'cumulative_to_date',
     'value': '100 * completed_count / nullif(planned_count, 0)', 'where': "equipment_type = 'coal_boiler' and action = 'close'",
     'datasets': ['projects__closures'], 'method': "'coal boilers closed or merged to date / boilers listed for closure x 100'"},
    {'id': 'coal_boilers_65t_ultra_low', 'rel': ref('int_closures_totalled'), 'unit': '%', 'kind': 'cumulative_to_date',
     'value': '100 * completed_count / nullif(planned_count, 0)', 'where': "equipment_type = 'coal_boiler' and action = 'retrofit'",
     'datasets': ['projects__closures'], 'method': "'coal boilers >= 65 t/h retrofitted to ultra-low emission to date / boilers listed x 100'"},
    {'id': 'ore_furnaces_closed', 'rel': ref('int_closures_totalled'), 'unit': '%', 'kind': 'cumulative_to_date',
     'value': '100 * completed_count / nullif(planned_count, 0)', 'where': "equipment_type = 'ore_furnace' and action = 'close'",
     'datasets': ['projects__closures'], 'method': "'ore furnaces <= 25000 kVA closed to date / furnaces listed x 100'"},
] %}
{% set ledger = {'pv_storage_dengkou': 'P3-01a', 'pv_storage_urad_front': 'P3-01b', 'biomass_fuel_capacity': 'P3-03',
                 'irrigation_district_modernisation_area': 'P7-02', 'hetao_farmland_pilot_area': 'P7-03a',
                 'water_fertiliser_integration_area': 'P7-03b'} %}

with unioned as (
    {% for e in entries %}
    select
        '{{ e.id }}' as indicator_id,
        region_code,
        cast(year as integer) as year,
        {{ e.get('basis', "'plain_statistics'") }} as basis,
        {{ 'cast(price_base_year as integer)' if e.get('price') else 'cast(null as integer)' }} as price_base_year,
        cast({{ e.value }} as double) as value,
        {{ e.get('unit_sql', "'" ~ e.get('unit') ~ "'") }} as unit,
        '{{ e.kind }}' as value_kind,
        status,
        {{ e.method }} as method,
        {{ e.datasets }}::varchar[] as source_datasets
    from {{ e.rel }}
    {% if e.get('where') %}where {{ e.where }}{% endif %}
    union all
    {% endfor %}
    -- projects of the plan's boxes: completed quantity to date from the project ledger
    select
        case project_id {% for id, project in ledger.items() %}when '{{ project }}' then '{{ id }}' {% endfor %}end,
        region_code, cast(year as integer), 'plain_statistics', cast(null as integer), completed_quantity, quantity_unit, 'cumulative_to_date',
        status, 'completed quantity to date in the project ledger (' || project_id || ')', ['projects__project_ledger']::varchar[]
    from {{ ref('stg_projects__project_ledger') }}
    where project_id in ('{{ ledger.values() | join("', '") }}')
)

select * from unioned where value is not null and isfinite(value)
