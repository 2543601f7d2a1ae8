{#- The lineage every loaded row carries (file, checksum, sheet, row, load time), renamed the same
    way in every staging model. -#}
{% macro lineage_columns() -%}
    _source_file as source_file,
    _source_sha256 as source_sha256,
    _source_sheet as source_sheet,
    _source_row as source_row,
    _loaded_at as loaded_at
{%- endmacro %}
