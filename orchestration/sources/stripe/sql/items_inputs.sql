-- Subscription items, step 1: subscriptions and discounts as days in the reporting time zone
-- (csa_day), each with what keeps it from being used, if anything.

create or replace temp table csa_stripe_subscriptions as
select
    subscriptions.*,
    lower(subscriptions.status) as state,
    csa_day(subscriptions.trial_start) as trial_from,
    csa_day(subscriptions.trial_end) as trial_until,
    -- ended_at when it ended; a scheduled cancel_at is its end as well (may be in the future)
    csa_day(coalesce(subscriptions.ended_at, subscriptions.cancel_at)) as ends_on,
    case
        when lower(subscriptions.status) in ('incomplete', 'incomplete_expired')
            then 'subscription ' || subscriptions.id || ' is ' || lower(subscriptions.status) || ': its first payment never succeeded, it was never active'
        when lower(subscriptions.status) = 'paused'
            then 'subscription ' || subscriptions.id || ' is paused (a trial ended without a payment method): left out of MRR'
    end as skip_reason,
    case
        when lower(subscriptions.status) = 'canceled' and subscriptions.ended_at is null and subscriptions.cancel_at is null
            then 'subscription ' || subscriptions.id || ' is canceled without ended_at or cancel_at: its end is unknown'
        when lower(subscriptions.status) not in ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused')
            then 'subscription ' || subscriptions.id || ' has unknown status ' || csa_quote(subscriptions.status)
    end as quarantine_reason
from v_subscriptions as subscriptions;

-- A discount is in force from its start day until its end day (exclusive): `end`, or for a
-- repeating coupon without it, start + duration_in_months. `once` coupons change one invoice,
-- not MRR. amount_off is in the coupon's currency's minor unit.
create or replace temp table csa_stripe_discounts as
select
    discounts.*,
    coupons.id as coupon,
    lower(coupons.duration) as duration,
    coupons.percent_off,
    cast(coupons.amount_off * currencies.minor as decimal(18, 4)) as amount_off,
    currencies.code as amount_currency,
    csa_day(discounts.start) as from_day,
    coalesce(
        csa_day(discounts."end"),
        case when lower(coupons.duration) = 'repeating'
            then cast(csa_day(discounts.start) + to_months(cast(coupons.duration_in_months as integer)) as date)
        end
    ) as until_day,
    case
        when coupons.id is null
            then 'coupon ' || csa_quote(discounts.coupon_id) || ' is not in this drop''s coupons'
        when coupons.percent_off is null and coupons.amount_off is null
            then 'coupon ' || coupons.id || ' has neither percent_off nor amount_off'
        when coupons.percent_off is not null and (coupons.percent_off < 0 or coupons.percent_off > 100)
            then 'coupon ' || coupons.id || ' has percent_off ' || coupons.percent_off || ', not between 0 and 100'
        when coupons.percent_off is null and currencies.code is null
            then 'coupon ' || coupons.id || ' has amount_off in unknown currency ' || coalesce(csa_quote(coupons.currency), 'NULL')
        when lower(coupons.duration) not in ('forever', 'once', 'repeating')
            then 'coupon ' || coupons.id || ' has unknown duration ' || coalesce(csa_quote(coupons.duration), 'NULL')
        when lower(coupons.duration) = 'repeating' and discounts."end" is null and coupons.duration_in_months is null
            then 'repeating coupon ' || coupons.id || ' without end or duration_in_months: its end is unknown'
        when discounts.subscription_item_id is null and discounts.subscription_id is null and discounts.customer_id is null
            then 'discount ' || discounts.id || ' applies to no customer, subscription or subscription item'
    end as quarantine_reason,
    case
        when lower(coupons.duration) = 'once'
            then 'coupon ' || coupons.id || ' is once: it changes one invoice, not MRR'
    end as skip_reason
from v_discounts as discounts
left join v_coupons as coupons on coupons.id = discounts.coupon_id
left join csa_currencies as currencies on currencies.code = upper(coupons.currency);
