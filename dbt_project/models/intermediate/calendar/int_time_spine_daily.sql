-- One row per day of the revenue months (int_revenue_months): the time spine MetricFlow
-- needs (the dbt semantic layer, models/semantic/). Built from the month spine and day
-- offsets 0..30, without engine-specific series functions, so it builds on Spark too.

with months as (

    select month from {{ ref('int_revenue_months') }}

),

-- Offsets 0..999 (the month_offsets macro); a day's offset in its month is at most 30.
offsets as (

    {{ month_offsets() }}

),

days as (

    select
        months.month,
        cast({{ dbt.dateadd('day', 'offsets.month_offset', 'months.month') }} as date) as date_day
    from months
    inner join offsets on offsets.month_offset <= 30

),

final as (

    select date_day
    from days
    where date_day < {{ add_months('month', 1) }}

)

select * from final
