-- One row per customer (MRR > 0) and snapshot date (every month end up to the as-of month,
-- and the as-of date). Each component scores 0-100 from its input over the 30 days up to the
-- snapshot date; health_score is their weighted sum (weights and thresholds are dbt vars with
-- the defaults of metrics.md, Account health).

with inputs as (

    select * from {{ ref('int_account_health_inputs') }}

),

crm_accounts as (

    select
        account_id,
        csm_id
    from {{ ref('stg_crm__accounts') }}

),

scored as (

    select
        inputs.*,
        cast(100 * least(1, coalesce(inputs.seat_utilization, 0)) as decimal(38, 8)) as usage_score,
        cast(case
            when inputs.logins_previous_30d = 0 then 50
            when inputs.login_trend >= {{ var('health_trend_full_at') }} then 100
            when inputs.login_trend <= {{ var('health_trend_zero_at') }} then 0
            else 100 * (inputs.login_trend - {{ var('health_trend_zero_at') }})
                / ({{ var('health_trend_full_at') }} - {{ var('health_trend_zero_at') }})
        end as decimal(38, 8)) as usage_trend_score,
        cast(case
            when inputs.latest_nps_score is null then 50
            when inputs.latest_nps_score >= 9 then 100
            when inputs.latest_nps_score >= 7 then 50
            else 0
        end as decimal(38, 8)) as nps_score,
        cast(
            greatest(
                0, 100 - {{ var('health_ticket_penalty') }} * inputs.open_high_priority_tickets
            )
            as decimal(38, 8)
        ) as support_score,
        cast(case
            when inputs.max_days_past_due > {{ var('health_billing_severe_days') }} then 0
            when inputs.max_days_past_due > 0 then 50
            else 100
        end as decimal(38, 8)) as billing_score
    from inputs

),

weighted as (

    select
        *,
        cast(
            {{ var('health_weight_usage') }} * usage_score
            + {{ var('health_weight_usage_trend') }} * usage_trend_score
            + {{ var('health_weight_nps') }} * nps_score
            + {{ var('health_weight_support') }} * support_score
            + {{ var('health_weight_billing') }} * billing_score
            as decimal(38, 8)
        ) as health_score
    from scored

),

final as (

    select
        weighted.account_id,
        weighted.snapshot_date,
        crm_accounts.csm_id,
        weighted.mrr,
        weighted.is_as_of_snapshot,
        weighted.licensed_seats,
        weighted.seat_utilization,
        weighted.logins_last_30d,
        weighted.logins_previous_30d,
        weighted.login_trend,
        weighted.latest_nps_score,
        weighted.open_high_priority_tickets,
        weighted.past_due_invoices,
        weighted.max_days_past_due,
        weighted.usage_score,
        weighted.usage_trend_score,
        weighted.nps_score,
        weighted.support_score,
        weighted.billing_score,
        weighted.health_score,
        case
            when weighted.health_score >= {{ var('health_green_from') }} then 'green'
            when weighted.health_score >= {{ var('health_yellow_from') }} then 'yellow'
            else 'red'
        end as health_band
    from weighted
    left join crm_accounts on weighted.account_id = crm_accounts.account_id

)

select * from final
