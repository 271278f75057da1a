{#- Division that stays DECIMAL and gives NULL, never an error, for a zero denominator
    (metrics.md: rates with a zero denominator are NULL). The quotient is rounded half away
    from zero to 8 decimals, far below a cent. -#}
{% macro decimal_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('decimal_divide', 'cs_analytics')(numerator, denominator)) }}
{%- endmacro %}

{#- Spark divides DECIMAL by DECIMAL in DECIMAL. -#}
{% macro default__decimal_divide(numerator, denominator) -%}
    cast(({{ numerator }}) / nullif({{ denominator }}, 0) as decimal(38, 8))
{%- endmacro %}

{#- DuckDB divides DECIMALs in DOUBLE: exact to 15-16 significant digits only, so a quotient of
    100,000,000 or more was wrong at the 8th decimal. Here both sides become integers counted
    in 1e-8 (exact for up to 8 decimals, which every input here has), the integer quotient
    is taken to a 9th decimal (HUGEINT division truncates toward zero) and rounded half away
    from zero on it. An amount beyond about 1e21 overflows HUGEINT: an error, never a wrong
    number. -#}
{% macro duckdb__decimal_divide(numerator, denominator) -%}
    {%- set scaled_numerator = 'cast(cast((' ~ numerator ~ ') as decimal(38, 8)) * 100000000 as hugeint)' -%}
    {%- set scaled_denominator = 'cast(cast((' ~ denominator ~ ') as decimal(38, 8)) * 100000000 as hugeint)' -%}
    {%- set ninths = '((' ~ scaled_numerator ~ ') * 1000000000 // nullif(' ~ scaled_denominator ~ ', 0))' -%}
    (({{ ninths }} + sign({{ ninths }}) * 5) // 10 * cast(0.00000001 as decimal(9, 8)))
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
