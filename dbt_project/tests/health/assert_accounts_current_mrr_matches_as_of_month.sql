-- Rule (metrics.md, Accounts): current_mrr and is_customer are the as-of month's MRR of
-- account_mrr_monthly; churned_on is NULL exactly for customers or accounts that never churned.
-- Reads several models: its Dagster asset check is attached to accounts.
{{ config(meta={'dagster': {'ref': {'name': 'accounts'}}}) }}
with account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

last_month as (

    select max(month) as month from account_months

),

as_of_month as (

    select
        account_months.account_id,
        account_months.mrr,
        account_months.is_customer
    from account_months
    inner join last_month on account_months.month = last_month.month

)

select accounts.account_id
from {{ ref('accounts') }} as accounts
left join as_of_month on accounts.account_id = as_of_month.account_id
where accounts.current_mrr <> coalesce(as_of_month.mrr, 0)
    or accounts.is_customer <> coalesce(as_of_month.is_customer, false)
    or (accounts.is_customer and accounts.churned_on is not null)
