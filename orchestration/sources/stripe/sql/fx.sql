-- Stripe exchange_rates_from_usd -> fx_rates, to the reporting currency.
-- One record per day: `date` (a midnight timestamp, UTC: its calendar day is the rate date)
-- and a JSON map lower-case currency -> units of that currency per 1 USD. The rate from X to
-- the reporting currency R crosses through USD: rate[r] / rate[x] (rate[usd] = 1). Where the
-- drop also holds fx_rates.csv, its rows win on the same key and each difference is reported.

create or replace temp table csa_stripe_usd_rates as
select
    rates._source_file,
    rates._line,
    cast(timezone('UTC', rates.date) as date) as rate_date,
    upper(entry.key) as currency,
    entry.value as given,
    try_cast(cast(entry.value as varchar) as decimal(38, 12)) as units_per_usd
from v_exchange_rates_from_usd as rates,
    json_each(rates.buy_currency_exchange_rates) as entry
union all
select _source_file, _line, cast(timezone('UTC', date) as date), 'USD', null, 1
from v_exchange_rates_from_usd
where not exists (select 1 from json_each(buy_currency_exchange_rates) as e where lower(e.key) = 'usd');

create or replace temp table csa_stripe_to_reporting as
select
    rates._source_file, rates._line, rates.rate_date, rates.currency,
    case when rates.units_per_usd = 1 then reporting.units_per_usd
         else cast(cast(reporting.units_per_usd as double) / cast(rates.units_per_usd as double) as decimal(18, 8))
    end as rate
from csa_stripe_usd_rates as rates
inner join csa_stripe_usd_rates as reporting
    on reporting._line = rates._line and reporting.currency = $reporting_currency
where rates.currency <> $reporting_currency
    and regexp_full_match(rates.currency, '[A-Z]{3}')
    and rates.units_per_usd > 0 and reporting.units_per_usd > 0;

insert into csa_warnings
select _source_file, _line, 'buy_currency_exchange_rates',
    'rate of ' || csa_quote(currency) || ' on ' || rate_date || ' is ' || coalesce(cast(given as varchar), 'NULL') || ': not a currency code with a rate above 0, left out'
from csa_stripe_usd_rates
where not regexp_full_match(currency, '[A-Z]{3}') or coalesce(units_per_usd, 0) <= 0;

insert into csa_warnings
select stripe._source_file, stripe._line, 'buy_currency_exchange_rates',
    stripe.currency || ' -> ' || $reporting_currency || ' on ' || stripe.rate_date || ': '
        || given.source || ' gives ' || given.rate || ', which wins; Stripe gives ' || stripe.rate
        || ' (' || round(100 * (cast(stripe.rate as double) / cast(given.rate as double) - 1), 4) || ' %)'
from csa_stripe_to_reporting as stripe
inner join csa_given_fx as given
    on given.rate_date = stripe.rate_date and given.from_currency = stripe.currency
    and given.to_currency = $reporting_currency
where given.rate <> stripe.rate;

insert into csa_vendor_rows (rate_date, from_currency, to_currency, rate, _source_file, _source_line)
select rate_date, currency, $reporting_currency, rate, _source_file, _line
from csa_stripe_to_reporting as stripe
where not exists (
    select 1 from csa_given_fx as given
    where given.rate_date = stripe.rate_date and given.from_currency = stripe.currency
        and given.to_currency = $reporting_currency
);

insert into csa_used
select distinct _source_file, _source_line from csa_vendor_rows;

insert into csa_ledger
select distinct rates._source_file, rates._line,
    case when exists (select 1 from csa_stripe_to_reporting as t where t._line = rates._line) then 'skipped' else 'quarantined' end,
    'buy_currency_exchange_rates',
    case when exists (select 1 from csa_stripe_to_reporting as t where t._line = rates._line) then 'SKIPPED' else 'VALUE' end,
    case when exists (select 1 from csa_stripe_to_reporting as t where t._line = rates._line)
        then 'every rate of this day is given in fx_rates.csv, which wins'
        else 'no rate of the reporting currency ' || $reporting_currency || ' above 0 that day: nothing to convert through USD'
    end,
    null
from v_exchange_rates_from_usd as rates
where rates._line not in (select _source_line from csa_vendor_rows);
