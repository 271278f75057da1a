-- Rule (metrics.md, Accounts): current_mrr and is_customer are the as-of month's MRR of
-- account_mrr_monthly; churned_on is NULL exactly for customers or accounts that never churned.
with as_of_month as (

    select account_id, mrr, is_customer
    from {{ ref('account_mrr_monthly') }}
    where month = (select max(month) from {{ ref('account_mrr_monthly') }})

)

select accounts.account_id
from {{ ref('accounts') }} as accounts
left join as_of_month on accounts.account_id = as_of_month.account_id
where accounts.current_mrr <> coalesce(as_of_month.mrr, 0)
    or accounts.is_customer <> coalesce(as_of_month.is_customer, false)
    or (accounts.is_customer and accounts.churned_on is not null)
