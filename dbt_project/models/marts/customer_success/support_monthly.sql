-- One row per month (first ticket month to the as-of month) and channel, plus channel 'all'.
-- Response and resolution times are measured on the tickets created in the month that have
-- the timestamp. open_at_month_end counts tickets created by the end of the month (the
-- as-of date in the as-of month) and not resolved by then.

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
        tickets.*,
        {{ month_of('tickets.created_at') }} as created_month,
        {{ month_of('tickets.resolved_at') }} as resolved_month,
        {{ minutes_between('tickets.created_at', 'tickets.first_response_at') }}
            as first_response_minutes,
        {{ minutes_between('tickets.created_at', 'tickets.resolved_at') }} / 60
            as resolution_hours
    from tickets
    cross join as_of
    where cast(tickets.created_at as date) <= as_of.as_of_date

),

-- Every ticket once under its own channel and once under 'all'.
ticket_channels as (

    select known_tickets.*, channel as report_channel from known_tickets
    union all
    select known_tickets.*, 'all' as report_channel from known_tickets

),

months as (

    select distinct created_month as month from known_tickets

),

month_channels as (

    select months.month, channels.report_channel
    from months
    cross join (select distinct report_channel from ticket_channels) as channels

),

measured as (

    select
        month_channels.month,
        month_channels.report_channel,
        case
            when month_channels.month = as_of.as_of_month then as_of.as_of_date
            else cast({{ dbt.last_day('month_channels.month', 'month') }} as date)
        end as month_end
    from month_channels
    cross join as_of

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

    select resolved_month as month, report_channel, count(*) as tickets_resolved
    from ticket_channels
    where resolved_month is not null
    group by resolved_month, report_channel

),

open_at_end as (

    select
        measured.month,
        measured.report_channel,
        count(ticket_channels.ticket_id) as open_at_month_end
    from measured
    inner join ticket_channels
        on measured.report_channel = ticket_channels.report_channel
        and cast(ticket_channels.created_at as date) <= measured.month_end
        and (
            ticket_channels.resolved_at is null
            or cast(ticket_channels.resolved_at as date) > measured.month_end
        )
    group by measured.month, measured.report_channel

),

final as (

    select
        measured.month,
        measured.report_channel as channel,
        cast(coalesce(created.tickets_created, 0) as bigint) as tickets_created,
        cast(coalesce(resolved.tickets_resolved, 0) as bigint) as tickets_resolved,
        cast(created.median_first_response_minutes as decimal(38, 8))
            as median_first_response_minutes,
        cast(created.p90_first_response_minutes as decimal(38, 8))
            as p90_first_response_minutes,
        cast(created.median_resolution_hours as decimal(38, 8)) as median_resolution_hours,
        cast(coalesce(open_at_end.open_at_month_end, 0) as bigint) as open_at_month_end
    from measured
    left join created
        on measured.month = created.month and measured.report_channel = created.report_channel
    left join resolved
        on measured.month = resolved.month and measured.report_channel = resolved.report_channel
    left join open_at_end
        on measured.month = open_at_end.month
        and measured.report_channel = open_at_end.report_channel

)

select * from final
