-- One row per cohort month and months since start (0 .. as-of month - cohort month).
-- Cohort = the account's first month with MRR. cohort_starting_mrr is the cohort's MRR of
-- its first month converted at the rates of the month measured, so revenue retention is at
-- constant currency (metrics.md, Cohorts).

with account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

product_mrr as (

    select * from {{ ref('int_account_product_mrr_monthly') }}

),

rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

cohort_starting_local as (

    select
        account_months.account_id,
        account_months.cohort_month,
        product_mrr.currency,
        sum(product_mrr.local_mrr) as starting_local_mrr
    from account_months
    inner join product_mrr
        on account_months.account_id = product_mrr.account_id
        and account_months.month = product_mrr.month
    where account_months.months_since_start = 0
    group by account_months.account_id, account_months.cohort_month, product_mrr.currency

),

starting_at_month_rates as (

    select
        account_months.cohort_month,
        account_months.month,
        sum(cohort_starting_local.starting_local_mrr * rates.rate_to_reporting)
            as cohort_starting_mrr
    from account_months
    inner join cohort_starting_local
        on account_months.account_id = cohort_starting_local.account_id
    inner join rates
        on cohort_starting_local.currency = rates.currency
        and account_months.month = rates.month
    group by account_months.cohort_month, account_months.month

),

cohort_months as (

    select
        cohort_month,
        months_since_start,
        month,
        cast(count(*) as bigint) as cohort_customers,
        cast(sum(case when is_customer then 1 else 0 end) as bigint) as retained_customers,
        sum(mrr) as cohort_mrr
    from account_months
    group by cohort_month, months_since_start, month

),

final as (

    select
        cohort_months.cohort_month,
        cohort_months.months_since_start,
        cohort_months.month,
        cohort_months.cohort_customers,
        cohort_months.retained_customers,
        {{ pct('cohort_months.retained_customers', 'cohort_months.cohort_customers') }}
            as logo_retention_pct,
        cast(starting_at_month_rates.cohort_starting_mrr as decimal(38, 8)) as cohort_starting_mrr,
        cohort_months.cohort_mrr,
        {{ pct('cohort_months.cohort_mrr', 'starting_at_month_rates.cohort_starting_mrr') }}
            as revenue_retention_pct
    from cohort_months
    inner join starting_at_month_rates
        on cohort_months.cohort_month = starting_at_month_rates.cohort_month
        and cohort_months.month = starting_at_month_rates.month

)

select * from final
