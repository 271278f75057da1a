-- One row per month from the first month with MRR to the as-of month: the month spine of
-- every revenue mart. `measured_on` is the day MRR is measured: the month's last day, or the
-- as-of date in the as-of month (metrics.md, Conventions).

with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

paid_items as (

    select started_on
    from {{ ref('int_subscription_items') }}
    where item_mrr > 0

),

bounds as (

    select
        {{ month_of('min(paid_items.started_on)') }} as first_month,
        {{ month_of('max(as_of.as_of_date)') }} as last_month,
        max(as_of.as_of_date) as as_of_date
    from paid_items
    cross join as_of
    where paid_items.started_on <= as_of.as_of_date

),

-- Month offsets 0..999 (83 years) without engine-specific series functions.
month_offsets as (

    {{ month_offsets() }}

),

spine as (

    select {{ add_months('bounds.first_month', 'month_offsets.month_offset') }} as date_month
    from bounds
    inner join month_offsets
        on month_offsets.month_offset
        <= {{ month_index('bounds.last_month') }} - {{ month_index('bounds.first_month') }}

),

final as (

    select
        cast(spine.date_month as date) as month,
        case
            when cast(spine.date_month as date) = bounds.last_month then bounds.as_of_date
            else cast({{ dbt.last_day('spine.date_month', 'month') }} as date)
        end as measured_on,
        cast(spine.date_month as date) = bounds.last_month as is_as_of_month
    from spine
    cross join bounds

)

select * from final
