{#- The lineage every loaded row carries (file, checksum, sheet, row, load time, and the vintage:
    the receipt date of its delivery, the latest one per row in raw.<table>), renamed the same way
    in every staging model. -#}
{% macro lineage_columns() -%}
    _source_file as source_file,
    _source_sha256 as source_sha256,
    _source_sheet as source_sheet,
    _source_row as source_row,
    _loaded_at as loaded_at,
    _vintage as vintage
{%- endmacro %}
