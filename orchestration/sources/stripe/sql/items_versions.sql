-- Subscription items, step 3: contract versions. Each segment is clipped to its
-- subscription's end (ended_at or a scheduled cancel_at, which may lie in the future), then
-- split on the days its trial and its discounts start or end, where those days are known by
-- the drop date (a later drop splits at a later one, so no version is ever guessed ahead).
-- A piece is a trial while its subscription is `trialing` (the piece in force) or inside
-- trial_start..trial_end; its discount_pct combines the discounts in force on its first day:
-- percent_off as given, amount_off as that share of the amount it applies to (the item's
-- quantity x unit price, or its subscription's or customer's items' in force that day),
-- several as 100 x (1 - product(1 - pct / 100)), capped at 100. Consecutive pieces that
-- agree on price, quantity, discount and trial are one version.

create or replace temp table csa_stripe_clipped as
select
    *,
    case when subscription_ends_on is not null and (ends_on is null or subscription_ends_on < ends_on)
        then subscription_ends_on else ends_on end as until
from csa_stripe_segments
where item not in (select item from csa_stripe_item_problems)
    and (subscription_ends_on is null or starts_on < subscription_ends_on);

create or replace temp table csa_stripe_items_in_force as
select distinct item, subscription_id, customer_id, currency from csa_stripe_clipped;

-- Three equi-joins, one per scope (an item, a subscription, a customer): a join on a CASE
-- is a nested loop over discounts x items (about 60 s of CPU at large), these are hash joins.
create or replace temp table csa_stripe_discount_scope as
with applicable as (

    select * from csa_stripe_discounts
    where quarantine_reason is null and skip_reason is null

)

select applicable.id as discount, items.item, items.currency
from applicable
inner join csa_stripe_items_in_force as items on items.item = applicable.subscription_item_id
union all
select applicable.id, items.item, items.currency
from applicable
inner join csa_stripe_items_in_force as items on items.subscription_id = applicable.subscription_id
where applicable.subscription_item_id is null
union all
select applicable.id, items.item, items.currency
from applicable
inner join csa_stripe_items_in_force as items on items.customer_id = applicable.customer_id
where applicable.subscription_item_id is null and applicable.subscription_id is null;

-- amount_off in another currency than an item it applies to cannot be a share of it.
create or replace temp table csa_stripe_discount_problems as
select distinct scope.discount,
    'amount_off of coupon ' || discounts.coupon || ' is in ' || discounts.amount_currency
        || ', subscription item ' || scope.item || ' is billed in ' || scope.currency as reason
from csa_stripe_discount_scope as scope
inner join csa_stripe_discounts as discounts on discounts.id = scope.discount
where discounts.percent_off is null and discounts.amount_currency <> scope.currency;

delete from csa_stripe_discount_scope
where discount in (select discount from csa_stripe_discount_problems);

create or replace temp table csa_stripe_boundaries as
select item, starts_on as day from csa_stripe_clipped
union
select item, trial_from from csa_stripe_clipped where trial_from <= $drop_date
union
select item, trial_until from csa_stripe_clipped where trial_until <= $drop_date
union
select scope.item, discounts.from_day
from csa_stripe_discount_scope as scope
inner join csa_stripe_discounts as discounts on discounts.id = scope.discount
where discounts.from_day <= $drop_date
union
select scope.item, discounts.until_day
from csa_stripe_discount_scope as scope
inner join csa_stripe_discounts as discounts on discounts.id = scope.discount
where discounts.until_day <= $drop_date;

create or replace temp table csa_stripe_pieces as
select
    clipped.*,
    boundaries.day as piece_from,
    coalesce(
        lead(boundaries.day) over (partition by clipped.item, clipped.starts_on order by boundaries.day),
        clipped.until
    ) as piece_until
from csa_stripe_clipped as clipped
inner join csa_stripe_boundaries as boundaries
    on boundaries.item = clipped.item
    and boundaries.day >= clipped.starts_on
    and (clipped.until is null or boundaries.day < clipped.until);

-- The amount an amount_off discount applies to on a piece's first day: the quantity x unit
-- price of every piece of the items in its scope in force that day (equi-joins on the
-- discount and the item, so the cost grows with the scopes, not pieces x pieces).
create or replace temp table csa_stripe_discount_bases as
select
    pieces.item,
    pieces.piece_from,
    scope.discount,
    sum(other.quantity * other.unit_price) as base
from csa_stripe_pieces as pieces
inner join csa_stripe_discount_scope as scope on scope.item = pieces.item
inner join csa_stripe_discounts as discounts
    on discounts.id = scope.discount and discounts.percent_off is null
inner join csa_stripe_discount_scope as other_scope on other_scope.discount = scope.discount
inner join csa_stripe_pieces as other
    on other.item = other_scope.item
    and other.piece_from <= pieces.piece_from
    and (other.piece_until is null or pieces.piece_from < other.piece_until)
group by pieces.item, pieces.piece_from, scope.discount;

create or replace temp table csa_stripe_piece_discounts as
select
    pieces.item,
    pieces.piece_from,
    discounts.id as discount,
    case
        when discounts.percent_off is not null then cast(discounts.percent_off as double)
        else 100 * cast(discounts.amount_off as double) / nullif(cast(bases.base as double), 0)
    end as pct,
    discounts.percent_off
from csa_stripe_pieces as pieces
inner join csa_stripe_discount_scope as scope on scope.item = pieces.item
inner join csa_stripe_discounts as discounts on discounts.id = scope.discount
left join csa_stripe_discount_bases as bases
    on bases.item = pieces.item and bases.piece_from = pieces.piece_from
    and bases.discount = scope.discount
where discounts.from_day <= pieces.piece_from
    and (discounts.until_day is null or pieces.piece_from < discounts.until_day);

create or replace temp table csa_stripe_versions as
with discounted as (

    select
        item,
        piece_from,
        case
            when count(*) = 1 and any_value(percent_off) is not null then cast(any_value(percent_off) as decimal(18, 4))
            else cast(least(100, 100 * (1 - product(1 - least(pct, 100) / 100))) as decimal(18, 4))
        end as discount_pct
    from csa_stripe_piece_discounts
    group by item, piece_from

),

pieces as (

    select
        pieces.*,
        coalesce(discounted.discount_pct, 0) as discount_pct,
        coalesce(pieces.piece_from >= coalesce(pieces.trial_from, pieces.piece_from)
            and pieces.piece_from < pieces.trial_until, false)
            or (pieces.state = 'trialing' and pieces.piece_until is null) as is_trial
    from csa_stripe_pieces as pieces
    left join discounted using (item, piece_from)

),

marked as (

    select
        *,
        case when lag(piece_until) over w = piece_from
            and lag(price_id) over w = price_id and lag(quantity) over w = quantity
            and lag(discount_pct) over w = discount_pct and lag(is_trial) over w = is_trial
            then 0 else 1 end as starts_version
    from pieces
    window w as (partition by item order by piece_from)

),

numbered as (

    select *, sum(starts_version) over (partition by item order by piece_from rows between unbounded preceding and current row) as version
    from marked

)

select
    item,
    version,
    min(piece_from) as started_on,
    first(piece_until order by piece_from desc) as ended_on,
    first(subscription_id order by piece_from) as subscription_id,
    first(customer_id order by piece_from) as customer_id,
    first(price_id order by piece_from) as price_id,
    first(quantity order by piece_from) as quantity,
    first(unit_price order by piece_from) as unit_price,
    first(discount_pct order by piece_from) as discount_pct,
    first(is_trial order by piece_from) as is_trial,
    first(source_file order by piece_from) as source_file,
    first(line order by piece_from) as line
from numbered
group by item, version;
