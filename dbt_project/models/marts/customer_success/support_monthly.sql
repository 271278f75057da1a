-- One row per month (first ticket month to the as-of month) and channel, plus channel 'all'.
-- Response and resolution times are measured on the tickets created in the month that have
-- the timestamp. open_at_month_end counts tickets created by the end of the month (the
-- as-of date in the as-of month) and not resolved by then. Nothing after the as-of date is
-- known: a ticket created later is left out, a response or resolution after it counts as
-- not yet happened.

with tickets as (

    select * from {{ ref('stg_helpdesk__support_tickets') }}

),

as_of as (

    select
        as_of_date,
        {{ month_of('as_of_date') }} as as_of_month
    from {{ ref('int_as_of_date') }}

),

known_tickets as (

    select
        tickets.channel,
        tickets.created_at,
        case
            when cast(tickets.first_response_at as date) <= as_of.as_of_date
                then tickets.first_response_at
        end as first_response_at,
        case
            when cast(tickets.resolved_at as date) <= as_of.as_of_date
                then tickets.resolved_at
        end as resolved_at
    from tickets
    cross join as_of
    where cast(tickets.created_at as date) <= as_of.as_of_date

),

timed_tickets as (

    select
        channel,
        {{ month_of('created_at') }} as created_month,
        {{ month_of('resolved_at') }} as resolved_month,
        {{ minutes_between('created_at', 'first_response_at') }} as first_response_minutes,
        {{ minutes_between('created_at', 'resolved_at') }} / 60 as resolution_hours
    from known_tickets

),

-- Every ticket once under its own channel and once under 'all'.
ticket_channels as (

    select
        timed_tickets.*,
        timed_tickets.channel as report_channel
    from timed_tickets
    union all
    select
        timed_tickets.*,
        'all' as report_channel
    from timed_tickets

),

bounds as (

    select
        min(timed_tickets.created_month) as first_month,
        max(as_of.as_of_month) as last_month
    from timed_tickets
    cross join as_of

),

month_offsets as (

    {{ month_offsets() }}

),

months as (

    select {{ add_months('bounds.first_month', 'month_offsets.month_offset') }} as month
    from bounds
    inner join month_offsets
        on month_offsets.month_offset
        <= {{ month_index('bounds.last_month') }} - {{ month_index('bounds.first_month') }}

),

channels as (

    select distinct report_channel from ticket_channels

),

month_channels as (

    select
        months.month,
        channels.report_channel
    from months
    cross join channels

),

created as (

    select
        created_month as month,
        report_channel,
        count(*) as tickets_created,
        percentile_cont(0.5) within group (order by first_response_minutes)
            as median_first_response_minutes,
        percentile_cont(0.9) within group (order by first_response_minutes)
            as p90_first_response_minutes,
        percentile_cont(0.5) within group (order by resolution_hours) as median_resolution_hours
    from ticket_channels
    group by created_month, report_channel

),

resolved as (

    select
        resolved_month as month,
        report_channel,
        count(*) as tickets_resolved
    from ticket_channels
    where resolved_month is not null
    group by resolved_month, report_channel

),

-- Open at a month end = created on or before it and not resolved by then. Month ends are the
-- months' last days (the as-of date in the as-of month, and nothing after it is known), so a
-- ticket is open at the end of every month from its created month up to the month before its
-- resolved month. Counted as a running sum over the months: +1 in the created month, -1 in the
-- resolved month; a ticket resolved in its created month (or dated before it) never counts.
open_changes as (

    select
        created_month as month,
        report_channel,
        1 as open_change
    from ticket_channels
    where resolved_month is null or resolved_month > created_month
    union all
    select
        resolved_month as month,
        report_channel,
        -1 as open_change
    from ticket_channels
    where resolved_month > created_month

),

open_changes_by_month as (

    select
        month,
        report_channel,
        sum(open_change) as open_change
    from open_changes
    group by month, report_channel

),

open_at_end as (

    select
        month_channels.month,
        month_channels.report_channel,
        sum(coalesce(open_changes_by_month.open_change, 0)) over (
            partition by month_channels.report_channel
            order by month_channels.month
            rows between unbounded preceding and current row
        ) as open_at_month_end
    from month_channels
    left join open_changes_by_month
        on month_channels.month = open_changes_by_month.month
        and month_channels.report_channel = open_changes_by_month.report_channel

),

final as (

    select
        month_channels.month,
        month_channels.report_channel as channel,
        cast(coalesce(created.tickets_created, 0) as bigint) as tickets_created,
        cast(coalesce(resolved.tickets_resolved, 0) as bigint) as tickets_resolved,
        cast(created.median_first_response_minutes as decimal(38, 8))
            as median_first_response_minutes,
        cast(created.p90_first_response_minutes as decimal(38, 8))
            as p90_first_response_minutes,
        cast(created.median_resolution_hours as decimal(38, 8)) as median_resolution_hours,
        cast(coalesce(open_at_end.open_at_month_end, 0) as bigint) as open_at_month_end
    from month_channels
    left join created
        on month_channels.month = created.month
        and month_channels.report_channel = created.report_channel
    left join resolved
        on month_channels.month = resolved.month
        and month_channels.report_channel = resolved.report_channel
    left join open_at_end
        on month_channels.month = open_at_end.month
        and month_channels.report_channel = open_at_end.report_channel

)

select * from final
