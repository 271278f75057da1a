-- Stripe prices (+ legacy plans, products, prices_metadata) -> plans.
-- plan_id = the price id; product = the product's name; plan_name = the price's nickname;
-- tier = the integer in the prices_metadata key $tier_key, else 1 (Stripe has no tiers).
-- Prices that do not fit a monthly MRR (one_time, tiered, metered, day/week intervals,
-- periods other than 1/3/6/12 months) are skipped with a warning naming the price.

create or replace temp table csa_stripe_tiers as
select
    metadata.*,
    try_cast(trim(metadata.value) as bigint) as tier,
    prices.id is not null as on_a_price
from v_prices_metadata as metadata
left join csa_price_book as prices on prices.id = metadata.price_id
where metadata.key = $tier_key;

create or replace temp table csa_stripe_plans as
select
    prices.*,
    products.name as product,
    products._source_file as product_file,
    products._line as product_line,
    tiers.tier as given_tier,
    case when tiers.tier >= 1 then tiers.tier else 1 end as tier
from csa_price_book as prices
left join v_products as products on products.id = prices.product_id
left join csa_stripe_tiers as tiers on tiers.price_id = prices.id;

insert into csa_vendor_rows (plan_id, product, plan_name, tier, billing_period_months, currency, list_price, _source_file, _source_line)
select id, product, nickname, tier, period_months, code, unit_price, _source_file, _line
from csa_stripe_plans
where fit = 'convertible' and product is not null;

insert into csa_used
select _source_file, _line from csa_stripe_plans where fit = 'convertible' and product is not null
union all
select product_file, product_line from csa_stripe_plans where fit = 'convertible' and product is not null
union all
select tiers._source_file, tiers._line
from csa_stripe_tiers as tiers
inner join csa_stripe_plans as plans on plans.id = tiers.price_id
where plans.fit = 'convertible' and plans.product is not null and tiers.tier >= 1;

insert into csa_ledger
select
    _source_file, _line,
    case when fit = 'unsupported' then 'skipped' else 'quarantined' end,
    case when fit = 'convertible' then 'product_id' else fit_column end,
    case when fit = 'unsupported' then 'UNSUPPORTED' when fit = 'convertible' then 'REFERENCE' else 'VALUE' end,
    case when fit = 'convertible'
        then 'product ' || csa_quote(product_id) || ' is not in this drop''s products'
        else fit_reason
    end,
    null
from csa_stripe_plans
where fit <> 'convertible' or product is null;

insert into csa_warnings
select _source_file, _line, fit_column, fit_reason || '; left out of MRR'
from csa_stripe_plans
where fit = 'unsupported';

insert into csa_warnings
select _source_file, _line, 'prices_metadata.' || $tier_key,
    'price ' || id || ' has no ' || csa_quote($tier_key) || ' metadata (or not a whole number of 1 or more): tier 1'
from csa_stripe_plans
where fit = 'convertible' and product is not null and $tier_key <> '' and coalesce(given_tier, 0) < 1;

insert into csa_ledger
select products._source_file, products._line, 'skipped', 'id', 'SKIPPED',
    'no price of this product in this drop is converted into a plan', null
from v_products as products
where products.id not in (
    select product_id from csa_stripe_plans where fit = 'convertible' and product is not null
);

insert into csa_ledger
select
    metadata._source_file, metadata._line,
    case
        when metadata.key = $tier_key and (prices.id is null or try_cast(trim(metadata.value) as bigint) is null or try_cast(trim(metadata.value) as bigint) < 1)
            then 'quarantined'
        else 'skipped'
    end,
    case when prices.id is null and metadata.key = $tier_key then 'price_id' else 'value' end,
    case when metadata.key = $tier_key and prices.id is null then 'REFERENCE' when metadata.key = $tier_key then 'VALUE' else 'SKIPPED' end,
    case
        when metadata.key <> $tier_key or $tier_key = ''
            then 'key ' || csa_quote(metadata.key) || ' is not the tier key (tier_key in sources.yml)'
        when prices.id is null
            then 'metadata of price ' || csa_quote(metadata.price_id) || ', which is not in this drop''s prices'
        when try_cast(trim(metadata.value) as bigint) is null or try_cast(trim(metadata.value) as bigint) < 1
            then 'tier ' || csa_quote(metadata.value) || ' is not a whole number of 1 or more'
        else 'its price is not converted into a plan (' || prices._source_file || ' record ' || prices._line || ')'
    end,
    null
from v_prices_metadata as metadata
left join csa_stripe_plans as prices on prices.id = metadata.price_id
where metadata.key <> $tier_key or $tier_key = '' or prices.id is null
    or prices.fit <> 'convertible' or prices.product is null
    or try_cast(trim(metadata.value) as bigint) is null or try_cast(trim(metadata.value) as bigint) < 1;

insert into csa_ledger
select plans._source_file, plans._line, 'skipped', 'id', 'SKIPPED',
    'the same id is in this drop''s prices, which Stripe keeps for every plan', null
from v_plans as plans
where plans.id in (select id from v_prices);
