-- One row per customer (MRR > 0) and snapshot date: every month end up to the as-of month,
-- and the as-of date (the as-of month's measurement day). Inputs are taken over the 30 days
-- up to the snapshot date; each component scores 0-100 and health_score is their weighted
-- sum (weights and thresholds are dbt vars, metrics.md defaults).

with customers as (

    select
        account_mrr.account_id,
        months.measured_on as snapshot_date,
        account_mrr.mrr
    from {{ ref('account_mrr_monthly') }} as account_mrr
    inner join {{ ref('int_revenue_months') }} as months
        on account_mrr.month = months.month
    where account_mrr.is_customer

),

accounts as (

    select account_id, csm_id from {{ ref('stg_crm__accounts') }}

),

usage_days as (

    select * from {{ ref('stg_product__usage_days') }}

),

items as (

    select * from {{ ref('int_subscription_items') }} where not is_trial

),

responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

tickets as (

    select * from {{ ref('stg_helpdesk__support_tickets') }}

),

invoices as (

    select invoices.*, coalesce(customers.account_id, 'unmapped:' || invoices.customer_id)
        as account_id
    from {{ ref('stg_billing__invoices') }} as invoices
    left join {{ ref('stg_billing__customers') }} as customers
        on invoices.customer_id = customers.customer_id

),

usage_windows as (

    select
        customers.account_id,
        customers.snapshot_date,
        sum(case when usage_days.usage_date > {{ dbt.dateadd('day', -30, 'customers.snapshot_date') }}
            then usage_days.active_users else 0 end) as active_user_days,
        sum(case when usage_days.usage_date > {{ dbt.dateadd('day', -30, 'customers.snapshot_date') }}
            then usage_days.logins else 0 end) as logins_last_30d,
        sum(case when usage_days.usage_date <= {{ dbt.dateadd('day', -30, 'customers.snapshot_date') }}
            then usage_days.logins else 0 end) as logins_previous_30d
    from customers
    inner join usage_days
        on customers.account_id = usage_days.account_id
        and usage_days.usage_date <= customers.snapshot_date
        and usage_days.usage_date > {{ dbt.dateadd('day', -60, 'customers.snapshot_date') }}
    group by customers.account_id, customers.snapshot_date

),

seats as (

    select customers.account_id, customers.snapshot_date, sum(items.quantity) as licensed_seats
    from customers
    inner join items
        on customers.account_id = items.account_id
        and items.started_on <= customers.snapshot_date
        and (items.ended_on is null or items.ended_on > customers.snapshot_date)
    group by customers.account_id, customers.snapshot_date

),

latest_nps as (

    select account_id, snapshot_date, score
    from (
        select
            customers.account_id,
            customers.snapshot_date,
            responses.score,
            row_number() over (
                partition by customers.account_id, customers.snapshot_date
                order by responses.responded_at desc, responses.response_id desc
            ) as recency
        from customers
        inner join responses
            on customers.account_id = responses.account_id
            and cast(responses.responded_at as date) <= customers.snapshot_date
            and cast(responses.responded_at as date) > {{ dbt.dateadd(
                'day', -var('health_nps_lookback_days'), 'customers.snapshot_date') }}
    ) as ranked
    where recency = 1

),

open_urgent_tickets as (

    select customers.account_id, customers.snapshot_date, count(*) as open_high_priority_tickets
    from customers
    inner join tickets
        on customers.account_id = tickets.account_id
        and tickets.priority in ('high', 'urgent')
        and cast(tickets.created_at as date) <= customers.snapshot_date
        and (tickets.resolved_at is null
            or cast(tickets.resolved_at as date) > customers.snapshot_date)
    group by customers.account_id, customers.snapshot_date

),

-- Only the latest invoice status is known: an invoice counts as past due on a snapshot when
-- it was due before it and not paid by it (paid_at), unless it was voided or written off.
past_due as (

    select
        customers.account_id,
        customers.snapshot_date,
        max({{ dbt.datediff('invoices.due_on', 'customers.snapshot_date', 'day') }})
            as max_days_past_due
    from customers
    inner join invoices
        on customers.account_id = invoices.account_id
        and invoices.due_on < customers.snapshot_date
        and (
            invoices.status = 'open'
            or (invoices.status = 'paid' and cast(invoices.paid_at as date) > customers.snapshot_date)
        )
    group by customers.account_id, customers.snapshot_date

),

inputs as (

    select
        customers.account_id,
        customers.snapshot_date,
        accounts.csm_id,
        customers.mrr,
        seats.licensed_seats,
        {{ decimal_divide('coalesce(usage_windows.active_user_days, 0)', '30 * seats.licensed_seats') }}
            as seat_utilization,
        coalesce(usage_windows.logins_last_30d, 0) as logins_last_30d,
        coalesce(usage_windows.logins_previous_30d, 0) as logins_previous_30d,
        {{ decimal_divide('coalesce(usage_windows.logins_last_30d, 0)', 'usage_windows.logins_previous_30d') }}
            as login_trend,
        latest_nps.score as latest_nps_score,
        cast(coalesce(open_urgent_tickets.open_high_priority_tickets, 0) as bigint)
            as open_high_priority_tickets,
        past_due.max_days_past_due
    from customers
    left join accounts on customers.account_id = accounts.account_id
    left join usage_windows
        on customers.account_id = usage_windows.account_id
        and customers.snapshot_date = usage_windows.snapshot_date
    left join seats
        on customers.account_id = seats.account_id
        and customers.snapshot_date = seats.snapshot_date
    left join latest_nps
        on customers.account_id = latest_nps.account_id
        and customers.snapshot_date = latest_nps.snapshot_date
    left join open_urgent_tickets
        on customers.account_id = open_urgent_tickets.account_id
        and customers.snapshot_date = open_urgent_tickets.snapshot_date
    left join past_due
        on customers.account_id = past_due.account_id
        and customers.snapshot_date = past_due.snapshot_date

),

scored as (

    select
        *,
        cast(100 * least(1, coalesce(seat_utilization, 0)) as decimal(38, 8)) as usage_score,
        cast(case
            when logins_previous_30d = 0 then 50
            when login_trend >= 1 then 100
            when login_trend <= 0.5 then 0
            else (login_trend - 0.5) / 0.5 * 100
        end as decimal(38, 8)) as usage_trend_score,
        cast(case
            when latest_nps_score >= 9 then 100
            when latest_nps_score >= 7 then 50
            when latest_nps_score is not null then 0
            else 50
        end as decimal(38, 8)) as nps_score,
        cast(greatest(0, 100 - 25 * open_high_priority_tickets) as decimal(38, 8))
            as support_score,
        cast(case
            when max_days_past_due > 30 then 0
            when max_days_past_due > 0 then 50
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
        account_id,
        snapshot_date,
        csm_id,
        mrr,
        cast(licensed_seats as bigint) as licensed_seats,
        seat_utilization,
        cast(logins_last_30d as bigint) as logins_last_30d,
        cast(logins_previous_30d as bigint) as logins_previous_30d,
        login_trend,
        latest_nps_score,
        open_high_priority_tickets,
        cast(max_days_past_due as bigint) as max_days_past_due,
        usage_score,
        usage_trend_score,
        nps_score,
        support_score,
        billing_score,
        health_score,
        case
            when health_score >= {{ var('health_green_from') }} then 'green'
            when health_score >= {{ var('health_yellow_from') }} then 'yellow'
            else 'red'
        end as health_band
    from weighted

)

select * from final
