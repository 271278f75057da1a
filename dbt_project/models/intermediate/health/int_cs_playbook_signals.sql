-- One row per account and playbook that applies on the as-of date (metrics.md,
-- cs_action_queue): the playbook, its priority and a reason quoting the numbers that
-- triggered it (two triggers of one playbook joined by the macro join_reasons). Thresholds
-- are the queue_* dbt vars. cs_action_queue adds the owner, the MRR and the rank.

{%- set pct_text = "cast(round(100 * {}, 1) as decimal(10, 1))" %}

with health as (

    select * from {{ ref('account_health') }}
    where is_as_of_snapshot

),

onboarding as (

    select * from {{ ref('onboarding_accounts') }}

),

responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

renewals as (

    select * from {{ ref('int_annual_renewals') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

ranked_detractors as (

    select
        responses.account_id,
        responses.score,
        cast(responses.responded_at as date) as responded_on,
        row_number() over (
            partition by responses.account_id
            order by responses.responded_at desc, responses.response_id desc
        ) as recency
    from responses
    cross join as_of
    where responses.score between 0 and 6
        and cast(responses.responded_at as date) <= as_of.as_of_date
        and cast(responses.responded_at as date) > {{ dbt.dateadd(
            'day', -var('queue_detractor_window_days'), 'as_of.as_of_date') }}

),

latest_detractors as (

    select
        account_id,
        score,
        responded_on
    from ranked_detractors
    where recency = 1

),

renewals_due as (

    select
        account_id,
        count(*) as renewing_items,
        min(renews_on) as first_renews_on,
        min(days_to_renewal) as days_to_renewal
    from renewals
    where days_to_renewal <= {{ var('queue_renewal_window_days') }}
    group by account_id

),

onboarding_playbook as (

    select
        onboarding.account_id,
        'onboarding' as playbook,
        1 as priority,
        'Onboarding overdue: started '
        || {{ dbt.cast('onboarding.onboarding_started_on', 'varchar') }}
        || ', ' || {{ dbt.cast(dbt.datediff('onboarding.onboarding_started_on',
            'as_of.as_of_date', 'day'), 'varchar') }}
        || ' days ago without go-live (target {{ var("onboarding_target_days") }} days)'
            as reason
    from onboarding
    cross join as_of
    where onboarding.status = 'overdue'

),

save_signals as (

    select
        health.account_id,
        case
            when health.health_band = 'red'
                then 'Health score '
                    || {{ dbt.cast('cast(round(health.health_score, 2) as decimal(10, 2))',
                        'varchar') }}
                    || ' (red, < {{ var("health_yellow_from") }})'
        end as red_reason,
        case
            when latest_detractors.account_id is not null
                then 'NPS detractor score '
                    || {{ dbt.cast('latest_detractors.score', 'varchar') }}
                    || ' on ' || {{ dbt.cast('latest_detractors.responded_on', 'varchar') }}
                    || ' (within the last {{ var("queue_detractor_window_days") }} days)'
        end as detractor_reason
    from health
    left join latest_detractors on health.account_id = latest_detractors.account_id

),

save_playbook as (

    select
        account_id,
        'save' as playbook,
        1 as priority,
        {{ join_reasons('red_reason', 'detractor_reason') }} as reason
    from save_signals
    where red_reason is not null or detractor_reason is not null

),

adoption_signals as (

    select
        account_id,
        case
            when seat_utilization * 100 < {{ var('queue_adoption_below_utilization_pct') }}
                then 'Seat utilization '
                    || {{ dbt.cast(pct_text.format('seat_utilization'), 'varchar') }}
                    || '% (< {{ var("queue_adoption_below_utilization_pct") }}%) over the last '
                    || '{{ var("health_window_days") }} days'
        end as utilization_reason,
        case
            when login_trend <= {{ var('queue_adoption_max_login_trend') }}
                then 'Logins ' || {{ dbt.cast('logins_last_30d', 'varchar') }}
                    || ' in the last {{ var("health_window_days") }} days vs '
                    || {{ dbt.cast('logins_previous_30d', 'varchar') }}
                    || ' in the {{ var("health_window_days") }} days before (trend '
                    || {{ dbt.cast('cast(round(login_trend, 2) as decimal(10, 2))', 'varchar') }}
                    || ' <= {{ var("queue_adoption_max_login_trend") }})'
        end as trend_reason
    from health

),

adoption_playbook as (

    select
        account_id,
        'adoption' as playbook,
        2 as priority,
        {{ join_reasons('utilization_reason', 'trend_reason') }} as reason
    from adoption_signals
    where utilization_reason is not null or trend_reason is not null

),

renewal_playbook as (

    select
        account_id,
        'renewal' as playbook,
        2 as priority,
        case
            when renewing_items = 1 then 'Annual item renews on '
            else {{ dbt.cast('renewing_items', 'varchar') }} || ' annual items renew, first on '
        end
        || {{ dbt.cast('first_renews_on', 'varchar') }}
        || ', in ' || {{ dbt.cast('days_to_renewal', 'varchar') }}
        || ' days (within {{ var("queue_renewal_window_days") }} days)' as reason
    from renewals_due

),

expansion_playbook as (

    select
        account_id,
        'expansion' as playbook,
        3 as priority,
        'Seat utilization '
        || {{ dbt.cast(pct_text.format('seat_utilization'), 'varchar') }}
        || '% (>= {{ var("queue_expansion_from_utilization_pct") }}%) over the last '
        || '{{ var("health_window_days") }} days with health score '
        || {{ dbt.cast('cast(round(health_score, 2) as decimal(10, 2))', 'varchar') }}
        || ' (green)' as reason
    from health
    where seat_utilization * 100 >= {{ var('queue_expansion_from_utilization_pct') }}
        and health_band = 'green'

),

playbooks as (

    select
        account_id,
        playbook,
        priority,
        reason
    from onboarding_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason
    from save_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason
    from adoption_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason
    from renewal_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason
    from expansion_playbook

),

final as (

    select * from playbooks

)

select * from final
