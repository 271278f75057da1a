{#- The join condition "the onboarding of `onboarding` (a row of onboarding_accounts) was open
    during `month`" (metrics.md, onboarding_monthly): started on or before the month's end,
    not completed before its start, and not abandoned before it. -#}
{% macro onboarding_open_in(onboarding, month) -%}
    {{ onboarding }}.onboarding_started_on <= {{ dbt.last_day(month, 'month') }}
    and (
        {{ onboarding }}.onboarding_completed_on is null
        or {{ onboarding }}.onboarding_completed_on >= {{ month }}
    )
    and ({{ onboarding }}.abandoned_month is null or {{ onboarding }}.abandoned_month >= {{ month }})
{%- endmacro %}
