-- Stripe invoices -> invoices.
-- issued_on: `date` (the invoice's creation) as a day in the reporting time zone; due_on:
-- `due_date` likewise (NULL for charge_automatically invoices); total: minor -> major units;
-- status: draft is not an invoice yet (skipped with its reason), open, paid, void and
-- uncollectible are kept; paid_at: status_transitions_paid_at; updated_at: batch_timestamp
-- (Stripe Data Pipeline) or else the latest of the invoice's own timestamps.

create or replace temp table csa_stripe_invoices as
select
    invoices.*,
    currencies.code,
    currencies.minor,
    lower(invoices.status) as state
from v_invoices as invoices
left join csa_currencies as currencies on currencies.code = upper(invoices.currency);

insert into csa_ledger
select
    _source_file, _line,
    case when state = 'draft' then 'skipped' else 'quarantined' end,
    case when state = 'draft' or state not in ('open', 'paid', 'void', 'uncollectible') or state is null then 'status' else 'currency' end,
    case when state = 'draft' then 'SKIPPED' else 'VALUE' end,
    case
        when state = 'draft' then 'draft: not an invoice yet (Stripe finalizes it first)'
        when state is null or state not in ('open', 'paid', 'void', 'uncollectible')
            then 'status ' || coalesce(csa_quote(status), 'NULL') || ' is not one of draft, open, paid, void, uncollectible'
        else 'unknown currency ' || csa_quote(currency) || ' (add it to currency_exponents in sources.yml if Stripe supports it)'
    end,
    null
from csa_stripe_invoices
where state is null or state not in ('open', 'paid', 'void', 'uncollectible') or code is null;

insert into csa_vendor_rows (invoice_id, customer_id, issued_on, due_on, currency, total, status, paid_at, updated_at, _source_file, _source_line)
select
    id, customer_id, csa_day(date), csa_day(due_date), code,
    cast(total * minor as decimal(18, 4)),
    state,
    status_transitions_paid_at,
    coalesce(batch_timestamp, greatest(
        date, status_transitions_finalized_at, status_transitions_paid_at,
        status_transitions_voided_at, status_transitions_marked_uncollectible_at
    )),
    _source_file, _line
from csa_stripe_invoices
where state in ('open', 'paid', 'void', 'uncollectible') and code is not null;

insert into csa_used
select _source_file, _line
from csa_stripe_invoices
where state in ('open', 'paid', 'void', 'uncollectible') and code is not null;
