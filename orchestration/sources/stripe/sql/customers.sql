-- Stripe customers (+ customers_metadata) -> billing_customers.
-- account_id: the value of the configured metadata key ($account_key), NULL without it (the
-- customer is then its own account, unmapped:<customer_id>, as for contract files).

create or replace temp table csa_stripe_customers as
select customers.*, currencies.code
from v_customers as customers
left join csa_currencies as currencies on currencies.code = upper(customers.currency);

insert into csa_ledger
select
    _source_file, _line,
    case when currency is null then 'skipped' else 'quarantined' end,
    'currency',
    case when currency is null then 'SKIPPED' else 'CURRENCY' end,
    case when currency is null
        then 'no currency: Stripe sets it at a customer''s first subscription or charge, so this customer was never billed'
        else 'unknown currency ' || csa_quote(currency) || ' (add it to currency_exponents in sources.yml if Stripe supports it)'
    end,
    null
from csa_stripe_customers
where code is null;

insert into csa_vendor_rows (customer_id, account_id, currency, email, created_at, _source_file, _source_line)
select customers.id, metadata.value, customers.code, customers.email, customers.created, customers._source_file, customers._line
from csa_stripe_customers as customers
left join v_customers_metadata as metadata
    on metadata.customer_id = customers.id and metadata.key = $account_key
where customers.code is not null;

insert into csa_used
select _source_file, _line from csa_stripe_customers where code is not null;

insert into csa_used
select metadata._source_file, metadata._line
from v_customers_metadata as metadata
inner join csa_stripe_customers as customers on customers.id = metadata.customer_id
where metadata.key = $account_key and customers.code is not null;

insert into csa_ledger
select
    metadata._source_file, metadata._line,
    case when customers.id is null then 'quarantined' else 'skipped' end,
    case when customers.id is null then 'customer_id' else 'key' end,
    case when customers.id is null then 'REFERENCE' else 'SKIPPED' end,
    case
        when customers.id is null
            then 'metadata key ' || csa_quote(metadata.key) || ' of customer ' || csa_quote(metadata.customer_id) || ', which is not in this drop''s customers'
        when customers.code is null
            then 'its customer is not loaded (' || customers._source_file || ' record ' || customers._line || ')'
        else 'key ' || csa_quote(metadata.key) || ' is not the account key (account_id_key: ' || $account_key || ')'
    end,
    null
from v_customers_metadata as metadata
left join csa_stripe_customers as customers on customers.id = metadata.customer_id
where customers.id is null or customers.code is null or metadata.key <> $account_key;
