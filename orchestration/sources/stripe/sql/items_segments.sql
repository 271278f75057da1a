-- Subscription items, step 2: base segments (item, first day, end day, price, quantity).
-- An item with change events in this drop: a segment is the span between consecutive event
-- days (days in the reporting time zone); quantity is the running sum of quantity_change,
-- the price is that of the day's last event (of an ACTIVE_END / ACTIVE_START pair at one
-- instant, the start's); a running quantity of 0 or less is not in force.
-- An item without events: its state now against its latest version loaded before (raw):
-- unchanged price and quantity continue that version; a change ends it on the drop date and
-- starts the new state then; an item never seen starts on its `created` day.

create or replace temp table csa_stripe_event_days as
select
    subscription_item_id as item,
    csa_day(event_timestamp) as day,
    sum(quantity_change) as quantity_change,
    first(price_id order by event_timestamp desc, quantity_change desc) as price_id,
    first(subscription_id order by event_timestamp desc, quantity_change desc) as subscription_id,
    first(_line order by event_timestamp desc, quantity_change desc) as line,
    any_value(_source_file) as source_file
from v_subscription_item_change_events
group by subscription_item_id, csa_day(event_timestamp);

create or replace temp table csa_stripe_segments_base as
with running as (

    select
        *,
        sum(quantity_change) over (
            partition by item order by day rows between unbounded preceding and current row
        ) as quantity,
        lead(day) over (partition by item order by day) as next_day
    from csa_stripe_event_days

)

select
    item, day as starts_on, next_day as ends_on, price_id, subscription_id, quantity, line,
    source_file, 'events' as history
from running
where quantity > 0;

create or replace temp table csa_stripe_state_items as
select items.*, prior.item_id as prior_item_id, prior.plan_id as prior_price_id,
    prior.quantity as prior_quantity, prior.started_on as prior_started_on
from v_subscription_items as items
left join (
    select split_part(item_id, '@', 1) as item, item_id, plan_id, quantity, started_on
    from raw.subscription_items
    where split_part(item_id, '@', 1) in (select id from v_subscription_items)
    qualify row_number() over (partition by split_part(item_id, '@', 1) order by started_on desc) = 1
) as prior on prior.item = items.id
where items.id not in (select item from csa_stripe_event_days);

insert into csa_stripe_segments_base
select
    id, coalesce(prior_started_on, csa_day(created)), null, price_id, subscription_id, quantity,
    _line, _source_file, 'states'
from csa_stripe_state_items
where prior_item_id is null or (prior_price_id = price_id and prior_quantity = quantity);

insert into csa_stripe_segments_base
select id, prior_started_on, $drop_date, prior_price_id, subscription_id, prior_quantity, _line, _source_file, 'states'
from csa_stripe_state_items
where prior_item_id is not null and (prior_price_id <> price_id or prior_quantity <> quantity)
union all
select id, $drop_date, null, price_id, subscription_id, quantity, _line, _source_file, 'states'
from csa_stripe_state_items
where prior_item_id is not null and (prior_price_id <> price_id or prior_quantity <> quantity);

create or replace temp table csa_stripe_segments as
select
    segments.*,
    subscriptions.id is not null as has_subscription,
    subscriptions.customer_id,
    subscriptions.state,
    subscriptions.trial_from,
    subscriptions.trial_until,
    subscriptions.ends_on as subscription_ends_on,
    prices.id is not null as has_price,
    prices.fit,
    prices.fit_reason,
    prices.unit_price,
    prices.code as currency
from csa_stripe_segments_base as segments
left join csa_stripe_subscriptions as subscriptions on subscriptions.id = segments.subscription_id
left join csa_price_book as prices on prices.id = segments.price_id;

-- What keeps an item out, first reason first: its whole history is left out, never part of it.
create or replace temp table csa_stripe_item_problems as
with reasons as (

    select item, 1 as priority, 'quarantined' as outcome, 'event_timestamp, quantity_change' as columns,
        'change event record ' || _line || ' of this item is unreadable: its history is incomplete' as reason
    from (select subscription_item_id as item, _line from v_subscription_item_change_events_unreadable)
    union all
    select item, 2, 'quarantined', 'subscription_id',
        'subscription ' || coalesce(csa_quote(subscription_id), 'NULL') || ' is not in this drop''s subscriptions'
    from csa_stripe_segments where not has_subscription
    union all
    select segments.item, 3, 'quarantined', 'status', subscriptions.quarantine_reason
    from csa_stripe_segments as segments
    inner join csa_stripe_subscriptions as subscriptions on subscriptions.id = segments.subscription_id
    where subscriptions.quarantine_reason is not null
    union all
    select segments.item, 4, 'skipped', 'status', subscriptions.skip_reason
    from csa_stripe_segments as segments
    inner join csa_stripe_subscriptions as subscriptions on subscriptions.id = segments.subscription_id
    where subscriptions.skip_reason is not null
    union all
    select item, 5, 'quarantined', 'price_id',
        'price ' || coalesce(csa_quote(price_id), 'NULL') || ' is not in this drop''s prices or plans'
    from csa_stripe_segments where not has_price
    union all
    select item, 6, 'quarantined', 'price_id', 'its price cannot be converted: ' || fit_reason
    from csa_stripe_segments where fit = 'quarantined'
    union all
    select item, 7, 'skipped', 'price_id', fit_reason || '; left out of MRR'
    from csa_stripe_segments where fit = 'unsupported'
    union all
    select item, 8, 'quarantined', 'quantity', 'no quantity'
    from csa_stripe_segments where quantity is null

)

select item, first(outcome order by priority) as outcome, first(columns order by priority) as columns,
    first(reason order by priority) as reason
from reasons
where item is not null
group by item;
