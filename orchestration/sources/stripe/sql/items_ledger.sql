-- Subscription items, step 4: the contract rows, and what became of every record.
-- item_id = the Stripe item id @ the version's first day (YYYY-MM-DD, reporting time zone):
-- the si_ id survives quantity and price changes, each version is a contract row. A version
-- in force on no day (it ends the day it starts) is no row.

insert into csa_vendor_rows (item_id, subscription_id, customer_id, plan_id, quantity, unit_price, discount_pct, started_on, ended_on, is_trial, _source_file, _source_line)
select
    item || '@' || strftime(started_on, '%Y-%m-%d'), subscription_id, customer_id, price_id,
    quantity, unit_price, discount_pct, started_on, ended_on, is_trial, source_file, line
from csa_stripe_versions
where ended_on is null or ended_on > started_on;

create or replace temp table csa_stripe_loaded_items as
select distinct item, subscription_id from csa_stripe_versions where ended_on is null or ended_on > started_on;

-- subscription_items and change events: the item's fate.
create or replace temp table csa_stripe_item_records as
select id as item, _source_file, _line from v_subscription_items
union all
select subscription_item_id, _source_file, _line from v_subscription_item_change_events;

insert into csa_used
select records._source_file, records._line
from csa_stripe_item_records as records
where records.item in (select item from csa_stripe_loaded_items);

insert into csa_ledger
select records._source_file, records._line,
    coalesce(problems.outcome, 'skipped'),
    coalesce(problems.columns, 'ended_at'),
    case when problems.outcome = 'quarantined' then 'VALUE' else 'SKIPPED' end,
    'subscription item ' || records.item || ': ' || coalesce(problems.reason, 'in force on no day (it ends the day it starts, or on or before its subscription''s end)'),
    null
from csa_stripe_item_records as records
left join csa_stripe_item_problems as problems on problems.item = records.item
where records.item not in (select item from csa_stripe_loaded_items);

insert into csa_warnings
select records._source_file, records._line, problems.columns, 'subscription item ' || records.id || ': ' || problems.reason
from v_subscription_items as records
inner join csa_stripe_item_problems as problems on problems.item = records.id
where problems.outcome = 'skipped';

-- Change events and the item's own quantity should agree on the version in force.
insert into csa_warnings
select items._source_file, items._line, 'quantity',
    'subscription item ' || items.id || ': quantity ' || items.quantity || ' differs from '
        || versions.quantity || ', the running sum of its change events (the events win)'
from v_subscription_items as items
inner join csa_stripe_versions as versions on versions.item = items.id and versions.ended_on is null
where items.id in (select item from csa_stripe_event_days) and items.quantity <> versions.quantity;

-- subscriptions: used when one of their items is.
insert into csa_used
select _source_file, _line from v_subscriptions
where id in (select subscription_id from csa_stripe_loaded_items);

insert into csa_ledger
select _source_file, _line,
    case when quarantine_reason is not null then 'quarantined' else 'skipped' end,
    'status',
    case when quarantine_reason is not null then 'VALUE' else 'SKIPPED' end,
    coalesce(quarantine_reason, skip_reason, 'no subscription item of this subscription in this drop is loaded'),
    null
from csa_stripe_subscriptions
where id not in (select subscription_id from csa_stripe_loaded_items);

-- discounts: used when in force on a loaded version; coupons: when a used discount has them.
create or replace temp table csa_stripe_used_discounts as
select distinct discount from csa_stripe_piece_discounts
where item in (select item from csa_stripe_loaded_items);

insert into csa_used
select _source_file, _line from csa_stripe_discounts
where id in (select discount from csa_stripe_used_discounts);

insert into csa_ledger
select discounts._source_file, discounts._line,
    case when coalesce(discounts.quarantine_reason, problems.reason) is not null then 'quarantined' else 'skipped' end,
    'coupon_id',
    case when coalesce(discounts.quarantine_reason, problems.reason) is not null then 'VALUE' else 'SKIPPED' end,
    coalesce(discounts.quarantine_reason, problems.reason, discounts.skip_reason,
        'in force on no version of a subscription item loaded from this drop'),
    null
from csa_stripe_discounts as discounts
left join csa_stripe_discount_problems as problems on problems.discount = discounts.id
where discounts.id not in (select discount from csa_stripe_used_discounts);

insert into csa_used
select _source_file, _line from v_coupons
where id in (select coupon from csa_stripe_discounts where id in (select discount from csa_stripe_used_discounts));

insert into csa_ledger
select _source_file, _line, 'skipped', 'id', 'SKIPPED', 'applied by no discount loaded from this drop', null
from v_coupons
where id not in (select coupon from csa_stripe_discounts where id in (select discount from csa_stripe_used_discounts));
