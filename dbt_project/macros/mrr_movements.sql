{#- The MRR movement from M-1 to M of one account, or of one of its product lines
    (metrics.md, MRR movements), from `previous_cc` (M-1 at M's rates), `current` (M) and
    `had_mrr_before` (a month-end MRR > 0 before M-1). Order matters (style guide #13): new,
    churn, reactivation, expansion, contraction. -#}
{% macro mrr_movement_type(previous_cc, current, had_mrr_before) -%}
    case
        when {{ previous_cc }} = 0 and {{ current }} > 0 and not {{ had_mrr_before }} then 'new'
        when {{ previous_cc }} > 0 and {{ current }} = 0 then 'churn'
        when {{ previous_cc }} = 0 and {{ current }} > 0 then 'reactivation'
        when {{ previous_cc }} > 0 and {{ current }} > {{ previous_cc }} then 'expansion'
        when {{ previous_cc }} > 0 and {{ current }} < {{ previous_cc }} then 'contraction'
        else 'unchanged'
    end
{%- endmacro %}

{#- The five movement amount columns (positive, 0 when they do not apply) of `movement_type`. -#}
{% macro mrr_movement_amounts(movement_type, previous_cc, current) -%}
    {%- set amounts = {
        'new': current,
        'reactivation': current,
        'expansion': current ~ ' - ' ~ previous_cc,
        'contraction': previous_cc ~ ' - ' ~ current,
        'churned': previous_cc,
    } -%}
    {%- for name, amount in amounts.items() %}
    cast(
        case when {{ movement_type }} = '{{ 'churn' if name == 'churned' else name }}'
            then {{ amount }} else 0 end
        as decimal(38, 8)
    ) as {{ name }}_mrr{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- "Had a month-end MRR > 0 in an earlier row of the partition": the difference between new
    and reactivation. -#}
{% macro had_mrr_before(mrr, partition_by) -%}
    coalesce(
        max(case when {{ mrr }} > 0 then 1 else 0 end) over (
            partition by {{ partition_by }}
            order by month
            rows between unbounded preceding and 1 preceding
        ),
        0
    ) = 1
{%- endmacro %}
