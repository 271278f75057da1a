{#- Spark has no bare VARCHAR (it needs a length); the marts' contracts declare `varchar`,
    which is Spark's STRING. Other types pass through unchanged. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ 'string' if type | trim | lower == 'varchar' else type }})
{%- endmacro %}
