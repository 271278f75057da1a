-- One row per account and playbook that applies on the as-of date (metrics.md,
-- cs_action_queue): the playbook, its priority and a reason quoting the numbers that
-- triggered it (two triggers of one playbook joined by the macro join_reasons), in English
-- (reason) and Japanese (reason_ja, for the report in CSA_REPORT_LANGUAGE=ja). Thresholds
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
            as reason,
        'オンボーディング遅延：'
        || {{ dbt.cast('onboarding.onboarding_started_on', 'varchar') }} || ' に開始し '
        || {{ dbt.cast(dbt.datediff('onboarding.onboarding_started_on',
            'as_of.as_of_date', 'day'), 'varchar') }}
        || ' 日、稼働開始なし（目標 {{ var("onboarding_target_days") }} 日）' as reason_ja
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
            when health.health_band = 'red'
                then 'ヘルススコア '
                    || {{ dbt.cast('cast(round(health.health_score, 2) as decimal(10, 2))',
                        'varchar') }}
                    || '（危険：{{ var("health_yellow_from") }} 未満）'
        end as red_reason_ja,
        case
            when latest_detractors.account_id is not null
                then 'NPS detractor score '
                    || {{ dbt.cast('latest_detractors.score', 'varchar') }}
                    || ' on ' || {{ dbt.cast('latest_detractors.responded_on', 'varchar') }}
                    || ' (within the last {{ var("queue_detractor_window_days") }} days)'
        end as detractor_reason,
        case
            when latest_detractors.account_id is not null
                then 'NPS 批判者：スコア '
                    || {{ dbt.cast('latest_detractors.score', 'varchar') }}
                    || '（' || {{ dbt.cast('latest_detractors.responded_on', 'varchar') }}
                    || '、直近 {{ var("queue_detractor_window_days") }} 日以内）'
        end as detractor_reason_ja
    from health
    left join latest_detractors on health.account_id = latest_detractors.account_id

),

save_playbook as (

    select
        account_id,
        'save' as playbook,
        1 as priority,
        {{ join_reasons('red_reason', 'detractor_reason') }} as reason,
        {{ join_reasons('red_reason_ja', 'detractor_reason_ja', '；') }} as reason_ja
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
            when seat_utilization * 100 < {{ var('queue_adoption_below_utilization_pct') }}
                then '直近 {{ var("health_window_days") }} 日の席利用率 '
                    || {{ dbt.cast(pct_text.format('seat_utilization'), 'varchar') }}
                    || '%（{{ var("queue_adoption_below_utilization_pct") }}% 未満）'
        end as utilization_reason_ja,
        case
            when login_trend <= {{ var('queue_adoption_max_login_trend') }}
                then 'Logins ' || {{ dbt.cast('logins_last_30d', 'varchar') }}
                    || ' in the last {{ var("health_window_days") }} days vs '
                    || {{ dbt.cast('logins_previous_30d', 'varchar') }}
                    || ' in the {{ var("health_window_days") }} days before (trend '
                    || {{ dbt.cast('cast(round(login_trend, 2) as decimal(10, 2))', 'varchar') }}
                    || ' <= {{ var("queue_adoption_max_login_trend") }})'
        end as trend_reason,
        case
            when login_trend <= {{ var('queue_adoption_max_login_trend') }}
                then 'ログイン数：直近 {{ var("health_window_days") }} 日 '
                    || {{ dbt.cast('logins_last_30d', 'varchar') }}
                    || ' 回、その前の {{ var("health_window_days") }} 日 '
                    || {{ dbt.cast('logins_previous_30d', 'varchar') }}
                    || ' 回（傾向 '
                    || {{ dbt.cast('cast(round(login_trend, 2) as decimal(10, 2))', 'varchar') }}
                    || '、{{ var("queue_adoption_max_login_trend") }} 以下）'
        end as trend_reason_ja
    from health

),

adoption_playbook as (

    select
        account_id,
        'adoption' as playbook,
        2 as priority,
        {{ join_reasons('utilization_reason', 'trend_reason') }} as reason,
        {{ join_reasons('utilization_reason_ja', 'trend_reason_ja', '；') }} as reason_ja
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
        || ' days (within {{ var("queue_renewal_window_days") }} days)' as reason,
        case
            when renewing_items = 1 then '年間契約の更新日 '
            else {{ dbt.cast('renewing_items', 'varchar') }} || ' 件の年間契約が更新、最初の更新日 '
        end
        || {{ dbt.cast('first_renews_on', 'varchar') }}
        || '、あと ' || {{ dbt.cast('days_to_renewal', 'varchar') }}
        || ' 日（{{ var("queue_renewal_window_days") }} 日以内）' as reason_ja
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
        || ' (green)' as reason,
        '直近 {{ var("health_window_days") }} 日の席利用率 '
        || {{ dbt.cast(pct_text.format('seat_utilization'), 'varchar') }}
        || '%（{{ var("queue_expansion_from_utilization_pct") }}% 以上）、ヘルススコア '
        || {{ dbt.cast('cast(round(health_score, 2) as decimal(10, 2))', 'varchar') }}
        || '（良好）' as reason_ja
    from health
    where seat_utilization * 100 >= {{ var('queue_expansion_from_utilization_pct') }}
        and health_band = 'green'

),

playbooks as (

    select
        account_id,
        playbook,
        priority,
        reason,
        reason_ja
    from onboarding_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason,
        reason_ja
    from save_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason,
        reason_ja
    from adoption_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason,
        reason_ja
    from renewal_playbook
    union all
    select
        account_id,
        playbook,
        priority,
        reason,
        reason_ja
    from expansion_playbook

),

final as (

    select * from playbooks

)

select * from final
