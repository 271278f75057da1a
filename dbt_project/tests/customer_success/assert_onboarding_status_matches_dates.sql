-- Rule (metrics.md, Onboarding): completed exactly when go_live exists; abandoned exactly
-- when there is no go_live and an abandoned_month; overdue and in_progress split the rest at
-- var('onboarding_target_days') days from the start to the as-of date.
-- Reads several models: its Dagster asset check is attached to onboarding_accounts.
{{ config(meta={'dagster': {'ref': {'name': 'onboarding_accounts'}}}) }}
with onboarding as (

    select * from {{ ref('onboarding_accounts') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

expected as (

    select
        onboarding.account_id,
        onboarding.status,
        case
            when onboarding.go_live_on is not null then 'completed'
            when onboarding.abandoned_month is not null then 'abandoned'
            when {{ dbt.datediff('onboarding.onboarding_started_on', 'as_of.as_of_date', 'day') }}
                > {{ var('onboarding_target_days') }} then 'overdue'
            else 'in_progress'
        end as expected_status,
        onboarding.abandoned_month,
        onboarding.first_paid_on
    from onboarding
    cross join as_of

),

final as (

    select *
    from expected
    where status <> expected_status
        or abandoned_month < {{ month_of('first_paid_on') }}
        or (status = 'completed' and abandoned_month is not null)

)

select * from final
