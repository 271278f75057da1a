{#- Monthly net and gross revenue retention of a group of accounts (metrics.md, KPIs) from
    the sums over its starting customers: start_cc (their M-1 MRR at M's rates) and their
    movements in M. NULL when start_cc is 0 or NULL. -#}
{% macro nrr_pct(start_cc, expansion, contraction, churned) -%}
    {{ pct(start_cc ~ ' + ' ~ expansion ~ ' - ' ~ contraction ~ ' - ' ~ churned, start_cc) }}
{%- endmacro %}

{% macro grr_pct(start_cc, contraction, churned) -%}
    {{ pct(start_cc ~ ' - ' ~ contraction ~ ' - ' ~ churned, start_cc) }}
{%- endmacro %}
