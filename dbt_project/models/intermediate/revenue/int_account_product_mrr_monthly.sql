-- One row per account, product line, currency, billing period and month, from the first
-- month an item of that kind starts to the as-of month: MRR in the plan's currency measured
-- on the month's measurement day, and the previous month's.
-- Set-based over validity intervals (style guide): an item adds its item_mrr in the month it
-- starts and removes it in the first month whose measurement day is no longer before its
-- end, and a running sum carries the value through the months in between. An item that
-- starts and ends inside one month adds and removes in the same month: it never counts.

with items as (

    select * from {{ ref('int_subscription_items') }}
    where item_mrr > 0

),

months as (

    select * from {{ ref('int_revenue_months') }}

),

as_of as (

    select
        as_of_date,
        {{ month_of('as_of_date') }} as as_of_month
    from {{ ref('int_as_of_date') }}

),

item_intervals as (

    select
        items.account_id,
        items.product,
        items.currency,
        items.billing_period_months,
        items.item_mrr,
        {{ month_of('items.started_on') }} as first_month,
        -- The month from which the item no longer counts: ended items leave in the month of
        -- ended_on (a month's measurement day is its last day, never before ended_on);
        -- items running past the as-of date count through the as-of month.
        case
            when items.ended_on is null or items.ended_on > as_of.as_of_date then null
            else {{ month_of('items.ended_on') }}
        end as leaving_month
    from items
    cross join as_of
    where items.started_on <= as_of.as_of_date

),

changes as (

    select
        account_id,
        product,
        currency,
        billing_period_months,
        first_month as month,
        item_mrr as mrr_change
    from item_intervals

    union all

    select
        account_id,
        product,
        currency,
        billing_period_months,
        leaving_month as month,
        -item_mrr as mrr_change
    from item_intervals
    where leaving_month is not null

),

changes_by_month as (

    select
        account_id,
        product,
        currency,
        billing_period_months,
        month,
        sum(mrr_change) as mrr_change
    from changes
    group by account_id, product, currency, billing_period_months, month

),

running as (

    select
        account_id,
        product,
        currency,
        billing_period_months,
        month,
        sum(mrr_change) over (
            partition by account_id, product, currency, billing_period_months
            order by month
            rows between unbounded preceding and current row
        ) as local_mrr,
        lead(month) over (
            partition by account_id, product, currency, billing_period_months order by month
        ) as next_change_month
    from changes_by_month

),

filled as (

    select
        running.account_id,
        running.product,
        running.currency,
        running.billing_period_months,
        months.month,
        running.local_mrr
    from running
    inner join months
        on months.month >= running.month
        and (running.next_change_month is null or months.month < running.next_change_month)

),

final as (

    select
        account_id,
        product,
        currency,
        billing_period_months,
        month,
        local_mrr,
        coalesce(
            lag(local_mrr) over (
                partition by account_id, product, currency, billing_period_months order by month
            ),
            0
        ) as previous_local_mrr
    from filled

)

select * from final
