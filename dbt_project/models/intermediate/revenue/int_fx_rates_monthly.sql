-- One row per currency used by a plan and month of the spine: the rate that converts it to
-- the reporting currency. Rule (raw-exports.md): the latest rate whose rate_date is on or
-- before the month's measurement day (last day, or the as-of date in the as-of month, since
-- nothing after the as-of date is used). A direct from->reporting rate is preferred; the
-- inverse of a reporting->from rate is used when only that exists. The reporting currency
-- converts at 1. A needed rate that does not exist is NULL here and fails the blocking test
-- `assert_fx_rate_exists_for_every_currency_month`, which names currency and month.

with months as (

    select * from {{ ref('int_revenue_months') }}

),

currencies as (

    select distinct currency from {{ ref('int_subscription_items') }}
    where item_mrr > 0

),

rates as (

    select
        from_currency as currency,
        rate_date,
        rate,
        1 as preference
    from {{ ref('stg_billing__fx_rates') }}
    where to_currency = '{{ var("reporting_currency") }}'

    union all

    select
        to_currency as currency,
        rate_date,
        {{ decimal_divide('1', 'rate') }} as rate,
        2 as preference
    from {{ ref('stg_billing__fx_rates') }}
    where from_currency = '{{ var("reporting_currency") }}'

),

ranked as (

    select
        currencies.currency,
        months.month,
        rates.rate,
        row_number() over (
            partition by currencies.currency, months.month
            order by rates.rate_date desc, rates.preference asc
        ) as recency
    from currencies
    cross join months
    left join rates
        on currencies.currency = rates.currency
        and rates.rate_date <= months.measured_on

),

final as (

    select
        currency,
        month,
        case
            when currency = '{{ var("reporting_currency") }}' then cast(1 as decimal(38, 8))
            else cast(rate as decimal(38, 8))
        end as rate_to_reporting
    from ranked
    where recency = 1

)

select * from final
