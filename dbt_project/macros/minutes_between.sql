{#- Minutes (with fractions) from timestamp `start` to timestamp `finish`. -#}
{% macro minutes_between(start, finish) -%}
    {{ return(adapter.dispatch('minutes_between', 'cs_analytics')(start, finish)) }}
{%- endmacro %}

{% macro default__minutes_between(start, finish) -%}
    cast((unix_timestamp({{ finish }}) - unix_timestamp({{ start }})) / 60.0 as decimal(38, 8))
{%- endmacro %}

{% macro duckdb__minutes_between(start, finish) -%}
    cast(date_diff('second', {{ start }}, {{ finish }}) / 60.0 as decimal(38, 8))
{%- endmacro %}
