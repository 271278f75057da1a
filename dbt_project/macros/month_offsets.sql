{#- A subquery body with rows 0..999 in column `month_offset` (83 years of months), without
    engine-specific series functions: join it to a first month to build a month spine
    between bounds known only at run time. -#}
{% macro month_offsets() -%}
    {%- set digits -%}
        ({% for digit in range(10) %}select {{ digit }} as digit
        {%- if not loop.last %} union all {% endif %}{% endfor %})
    {%- endset -%}
    select hundreds.digit * 100 + tens.digit * 10 + ones.digit as month_offset
    from {{ digits }} as hundreds
    cross join {{ digits }} as tens
    cross join {{ digits }} as ones
{%- endmacro %}
