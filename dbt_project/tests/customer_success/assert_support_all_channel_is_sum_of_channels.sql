-- Rule (metrics.md, Support): channel 'all' is every ticket once, so its counts equal the sum
-- over the channels. Failing rows are the months whose 'all' row differs, with both sides.
with channel_rows as (

    select * from {{ ref('support_monthly') }}
    where channel <> 'all'

),

all_rows as (

    select * from {{ ref('support_monthly') }}
    where channel = 'all'

),

channel_sums as (

    select
        month,
        sum(tickets_created) as tickets_created,
        sum(tickets_resolved) as tickets_resolved,
        sum(open_at_month_end) as open_at_month_end
    from channel_rows
    group by month

),

final as (

    select
        all_rows.month,
        all_rows.tickets_created,
        channel_sums.tickets_created as channel_tickets_created,
        all_rows.tickets_resolved,
        channel_sums.tickets_resolved as channel_tickets_resolved,
        all_rows.open_at_month_end,
        channel_sums.open_at_month_end as channel_open_at_month_end
    from all_rows
    full outer join channel_sums on all_rows.month = channel_sums.month
    where all_rows.month is null
        or channel_sums.month is null
        or all_rows.tickets_created <> channel_sums.tickets_created
        or all_rows.tickets_resolved <> channel_sums.tickets_resolved
        or all_rows.open_at_month_end <> channel_sums.open_at_month_end

)

select * from final
