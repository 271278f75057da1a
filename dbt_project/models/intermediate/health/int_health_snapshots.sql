-- One row per customer (MRR > 0) and snapshot date: every month end up to the as-of month
-- and the as-of date itself (the as-of month is measured on the as-of date, so its month end
-- is never a snapshot when it lies after the as-of date). mrr = the account's MRR that day.

with account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

months as (

    select * from {{ ref('int_revenue_months') }}

),

final as (

    select
        account_months.account_id,
        months.measured_on as snapshot_date,
        months.month,
        months.is_as_of_month as is_as_of_snapshot,
        account_months.mrr
    from account_months
    inner join months on account_months.month = months.month
    where account_months.is_customer

)

select * from final
