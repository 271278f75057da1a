{#- Division that stays DECIMAL (DuckDB divides decimals as DOUBLE) and gives NULL, never an
    error, for a zero denominator (metrics.md: rates with a zero denominator are NULL).
    8 decimals keep money exact to far below a cent. -#}
{% macro decimal_divide(numerator, denominator) -%}
    cast(({{ numerator }}) / nullif({{ denominator }}, 0) as decimal(38, 8))
{%- endmacro %}

{#- A percentage: 100 * numerator / denominator, NULL when the denominator is 0. -#}
{% macro pct(numerator, denominator) -%}
    {{ decimal_divide('100 * (' ~ numerator ~ ')', denominator) }}
{%- endmacro %}

{#- First day of the month of a date, as a DATE. -#}
{% macro month_of(column) -%}
    cast({{ dbt.date_trunc('month', column) }} as date)
{%- endmacro %}

{#- `column` shifted by `n` months, as a DATE. -#}
{% macro add_months(column, n) -%}
    cast({{ dbt.dateadd('month', n, column) }} as date)
{%- endmacro %}

{#- Month number (year * 12 + month): month differences that agree across engines. -#}
{% macro month_index(column) -%}
    (extract(year from {{ column }}) * 12 + extract(month from {{ column }}))
{%- endmacro %}
