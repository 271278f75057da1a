{#- An instant (timestamp with time zone) as local wall-clock time in the reporting time zone,
    so "day" and "month" mean the reporting time zone's days and months (raw-exports.md). -#}
{% macro to_reporting_time(column) -%}
    {{ return(adapter.dispatch('to_reporting_time', 'cs_analytics')(column)) }}
{%- endmacro %}

{% macro default__to_reporting_time(column) -%}
    from_utc_timestamp({{ column }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}

{% macro duckdb__to_reporting_time(column) -%}
    timezone('{{ var("reporting_timezone") }}', {{ column }})
{%- endmacro %}
