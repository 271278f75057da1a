-- One row per account: the CRM accounts, plus 'unmapped:<customer_id>' pseudo-accounts of
-- billing customers without an account that had MRR. Attributes, cohort, current MRR,
-- status, churn date and latest health. No personal data.

with crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

first_paid as (

    select * from {{ ref('int_account_first_paid') }}

),

health as (

    select * from {{ ref('account_health') }}

),

revenue_summary as (

    select
        account_id,
        min(cohort_month) as cohort_month,
        max(case when movement_type = 'churn' then month end) as last_churn_month,
        max(month) as last_month
    from account_months
    group by account_id

),

current_state as (

    select
        account_months.account_id,
        account_months.mrr,
        account_months.is_customer
    from account_months
    inner join revenue_summary
        on account_months.account_id = revenue_summary.account_id
        and account_months.month = revenue_summary.last_month

),

latest_health as (

    select
        account_id,
        health_score,
        health_band
    from (
        select
            account_id,
            health_score,
            health_band,
            row_number() over (partition by account_id order by snapshot_date desc) as recency
        from health
    ) as ranked
    where recency = 1

),

all_accounts as (

    select account_id from crm_accounts
    union
    select account_id from account_months

),

final as (

    select
        all_accounts.account_id,
        crm_accounts.account_name,
        crm_accounts.industry,
        crm_accounts.company_size,
        crm_accounts.country,
        crm_accounts.csm_id,
        revenue_summary.cohort_month,
        cast(coalesce(current_state.mrr, 0) as decimal(38, 8)) as current_mrr,
        coalesce(current_state.is_customer, false) as is_customer,
        first_paid.first_paid_on,
        case
            when not coalesce(current_state.is_customer, false)
                then revenue_summary.last_churn_month
        end as churned_on,
        latest_health.health_score,
        latest_health.health_band
    from all_accounts
    left join crm_accounts on all_accounts.account_id = crm_accounts.account_id
    left join revenue_summary on all_accounts.account_id = revenue_summary.account_id
    left join current_state on all_accounts.account_id = current_state.account_id
    left join first_paid on all_accounts.account_id = first_paid.account_id
    left join latest_health on all_accounts.account_id = latest_health.account_id

)

select * from final
