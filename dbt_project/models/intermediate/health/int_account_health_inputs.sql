-- One row per health snapshot (int_health_snapshots) with the raw inputs of every health
-- component, measured over the var('health_window_days') (30) days up to the snapshot date.
-- Nothing after the snapshot date counts, so past snapshots see what was known that day.

-- A view: account_health, its only reader, computes it once while it is built, instead of the
-- build writing 1.5 million rows (at large) to a table that is read once.
{{ config(materialized='view') }}

{%- set window_days = var('health_window_days') %}

with snapshots as (

    select * from {{ ref('int_health_snapshots') }}

),

usage_windows as (

    select * from {{ ref('int_account_usage_windows') }}

),

items as (

    select * from {{ ref('int_subscription_items') }}
    where not is_trial

),

responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

tickets as (

    select * from {{ ref('stg_helpdesk__support_tickets') }}

),

invoices as (

    select * from {{ ref('stg_billing__invoices') }}

),

billing_customers as (

    select * from {{ ref('stg_billing__customers') }}

),

-- Licensed seats: quantity of the non-trial items in force on the snapshot date.
seats as (

    select
        snapshots.account_id,
        snapshots.snapshot_date,
        sum(items.quantity) as licensed_seats
    from snapshots
    inner join items
        on snapshots.account_id = items.account_id
        and items.started_on <= snapshots.snapshot_date
        and (items.ended_on is null or items.ended_on > snapshots.snapshot_date)
    group by snapshots.account_id, snapshots.snapshot_date

),

-- The latest response within the lookback (ties on the same instant: highest response_id).
ranked_responses as (

    select
        snapshots.account_id,
        snapshots.snapshot_date,
        responses.score,
        row_number() over (
            partition by snapshots.account_id, snapshots.snapshot_date
            order by responses.responded_at desc, responses.response_id desc
        ) as recency
    from snapshots
    inner join responses
        on snapshots.account_id = responses.account_id
        and cast(responses.responded_at as date) <= snapshots.snapshot_date
        and cast(responses.responded_at as date) > {{ dbt.dateadd(
            'day', -var('health_nps_lookback_days'), 'snapshots.snapshot_date') }}

),

latest_nps as (

    select
        account_id,
        snapshot_date,
        score
    from ranked_responses
    where recency = 1

),

-- Open on the snapshot date = open at the end of that day: created on or before it and not
-- resolved on or before it (resolved_at NULL or on a later day).
open_high_priority as (

    select
        snapshots.account_id,
        snapshots.snapshot_date,
        count(*) as open_high_priority_tickets
    from snapshots
    inner join tickets
        on snapshots.account_id = tickets.account_id
        and tickets.priority in ('high', 'urgent')
        and cast(tickets.created_at as date) <= snapshots.snapshot_date
        and (
            tickets.resolved_at is null
            or cast(tickets.resolved_at as date) > snapshots.snapshot_date
        )
    group by snapshots.account_id, snapshots.snapshot_date

),

-- Only an invoice's latest status is exported. Past due on a snapshot date = due before it
-- and unpaid at its end: status open, or status paid with paid_at on a later day (it was
-- open then). void and uncollectible invoices never count (no date of that change exists).
account_invoices as (

    select
        coalesce(billing_customers.account_id, 'unmapped:' || invoices.customer_id)
            as account_id,
        invoices.invoice_id,
        invoices.due_on,
        invoices.status,
        cast(invoices.paid_at as date) as paid_on
    from invoices
    left join billing_customers on invoices.customer_id = billing_customers.customer_id

),

past_due as (

    select
        snapshots.account_id,
        snapshots.snapshot_date,
        count(*) as past_due_invoices,
        max({{ dbt.datediff('account_invoices.due_on', 'snapshots.snapshot_date', 'day') }})
            as max_days_past_due
    from snapshots
    inner join account_invoices
        on snapshots.account_id = account_invoices.account_id
        and account_invoices.due_on < snapshots.snapshot_date
        and (
            account_invoices.status = 'open'
            or (
                account_invoices.status = 'paid'
                and account_invoices.paid_on > snapshots.snapshot_date
            )
        )
    group by snapshots.account_id, snapshots.snapshot_date

),

final as (

    select
        snapshots.account_id,
        snapshots.snapshot_date,
        snapshots.month,
        snapshots.is_as_of_snapshot,
        snapshots.mrr,
        cast(coalesce(seats.licensed_seats, 0) as bigint) as licensed_seats,
        cast(coalesce(usage_windows.active_user_days, 0) as bigint) as active_user_days,
        {{ decimal_divide(
            'coalesce(usage_windows.active_user_days, 0)',
            window_days ~ ' * seats.licensed_seats'
        ) }} as seat_utilization,
        cast(coalesce(usage_windows.logins_last_window, 0) as bigint) as logins_last_30d,
        cast(coalesce(usage_windows.logins_previous_window, 0) as bigint) as logins_previous_30d,
        {{ decimal_divide(
            'coalesce(usage_windows.logins_last_window, 0)',
            'usage_windows.logins_previous_window'
        ) }} as login_trend,
        cast(latest_nps.score as bigint) as latest_nps_score,
        cast(coalesce(open_high_priority.open_high_priority_tickets, 0) as bigint)
            as open_high_priority_tickets,
        cast(coalesce(past_due.past_due_invoices, 0) as bigint) as past_due_invoices,
        cast(past_due.max_days_past_due as bigint) as max_days_past_due
    from snapshots
    left join usage_windows
        on snapshots.account_id = usage_windows.account_id
        and snapshots.snapshot_date = usage_windows.snapshot_date
    left join seats
        on snapshots.account_id = seats.account_id
        and snapshots.snapshot_date = seats.snapshot_date
    left join latest_nps
        on snapshots.account_id = latest_nps.account_id
        and snapshots.snapshot_date = latest_nps.snapshot_date
    left join open_high_priority
        on snapshots.account_id = open_high_priority.account_id
        and snapshots.snapshot_date = open_high_priority.snapshot_date
    left join past_due
        on snapshots.account_id = past_due.account_id
        and snapshots.snapshot_date = past_due.snapshot_date

)

select * from final
