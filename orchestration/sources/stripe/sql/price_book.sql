-- Stripe's prices (and legacy plans whose id no price has) as one price book, each price
-- either convertible into a contract plan or not, with the reason.
-- Money: unit_amount is in the currency's minor unit; times the value of one minor unit
-- (csa_currencies.minor: 1 for JPY, 0.01 for USD, 0.001 for KWD) it is in major units.
-- billing_period_months: recurring_interval x recurring_interval_count (month x1, year x12);
-- the contract's periods are 1, 3, 6 and 12 months.

create or replace temp table csa_price_book_input as
select
    id, product_id, currency, unit_amount, unit_amount_decimal, billing_scheme, type,
    recurring_interval as billing_interval, recurring_interval_count as interval_count,
    recurring_usage_type as usage_type, nickname, _source_file, _line
from v_prices
union all
select
    id, product_id, currency, amount, unit_amount_decimal, billing_scheme, 'recurring',
    interval, interval_count, usage_type, nickname, _source_file, _line
from v_plans
where id not in (select id from v_prices);

create or replace temp table csa_price_book as
with priced as (

    select
        prices.*,
        currencies.code,
        cast(coalesce(cast(prices.unit_amount as decimal(30, 12)), prices.unit_amount_decimal)
             * cast(currencies.minor as decimal(5, 4)) as decimal(18, 4)) as unit_price,
        case lower(prices.billing_interval)
            when 'month' then coalesce(prices.interval_count, 1)
            when 'year' then 12 * coalesce(prices.interval_count, 1)
        end as period_months
    from csa_price_book_input as prices
    left join csa_currencies as currencies on currencies.code = upper(prices.currency)

)

select
    *,
    case
        when code is null then 'quarantined'
        when lower(coalesce(type, 'recurring')) = 'one_time' then 'unsupported'
        when lower(coalesce(billing_scheme, 'per_unit')) = 'tiered' then 'unsupported'
        when lower(coalesce(usage_type, 'licensed')) = 'metered' then 'unsupported'
        when lower(billing_interval) in ('day', 'week') then 'unsupported'
        when period_months not in (1, 3, 6, 12) then 'unsupported'
        when billing_interval is null or period_months is null then 'quarantined'
        when unit_price is null then 'quarantined'
        else 'convertible'
    end as fit,
    case
        when code is null
            then 'unknown currency ' || csa_quote(currency) || ' (add it to currency_exponents in sources.yml if Stripe supports it)'
        when lower(coalesce(type, 'recurring')) = 'one_time'
            then 'price ' || id || ' is one_time: not recurring revenue'
        when lower(coalesce(billing_scheme, 'per_unit')) = 'tiered'
            then 'price ' || id || ' has tiered billing: no single unit price to count as MRR'
        when lower(coalesce(usage_type, 'licensed')) = 'metered'
            then 'price ' || id || ' is metered usage: billed on usage, not a monthly MRR'
        when lower(billing_interval) in ('day', 'week')
            then 'price ' || id || ' bills every ' || coalesce(interval_count, 1) || ' ' || lower(billing_interval) || '(s): not a whole number of months'
        when period_months not in (1, 3, 6, 12)
            then 'price ' || id || ' bills every ' || period_months || ' months: the contract''s billing periods are 1, 3, 6 and 12 months'
        when billing_interval is null or period_months is null
            then 'price ' || id || ' has no recurring interval (month or year)'
        when unit_price is null
            then 'price ' || id || ' has no unit_amount'
    end as fit_reason,
    case
        when code is null then 'currency'
        when lower(coalesce(type, 'recurring')) = 'one_time' then 'type'
        when lower(coalesce(billing_scheme, 'per_unit')) = 'tiered' then 'billing_scheme'
        when lower(coalesce(usage_type, 'licensed')) = 'metered' then 'recurring_usage_type'
        when unit_price is null and period_months in (1, 3, 6, 12) then 'unit_amount'
        else 'recurring_interval'
    end as fit_column
from priced;
