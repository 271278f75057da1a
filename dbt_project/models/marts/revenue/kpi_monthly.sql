-- One row per month: the subscription KPIs (metrics.md, KPIs). "Start of M" = the accounts
-- that were customers in M-1; start_cc = their M-1 MRR at M's rates. A rate whose
-- denominator is zero is NULL.

with account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

revenue as (

    select * from {{ ref('mrr_monthly') }}

),

product_mrr as (

    select * from {{ ref('int_account_product_mrr_monthly') }}

),

rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

starting_base as (

    select
        month,
        count(*) as starting_customers,
        sum(previous_mrr_constant_currency) as start_cc,
        sum(case when has_upsell then 1 else 0 end) as upsell_accounts,
        sum(case when has_cross_sell then 1 else 0 end) as cross_sell_accounts
    from account_months
    where previous_mrr > 0
    group by month

),

onboarding as (

    select * from {{ ref('onboarding_monthly') }}

),

nps as (

    select * from {{ ref('nps_monthly') }}

),

support as (

    select * from {{ ref('support_monthly') }}
    where channel = 'all'

),

cs_work as (

    select
        month,
        sum(cs_hours) as cs_hours,
        sum(cs_cost) as cs_cost
    from {{ ref('int_cs_activity_costs') }}
    group by month

),

-- Accounts that were customers twelve months earlier: their MRR now, and their MRR then
-- converted at this month's rates (constant currency).
twelve_months_ago_cc as (

    select
        earlier.account_id,
        {{ add_months('earlier.month', 12) }} as month,
        sum(earlier.local_mrr * rates.rate_to_reporting) as mrr_then_cc
    from product_mrr as earlier
    inner join rates
        on earlier.currency = rates.currency
        and rates.month = {{ add_months('earlier.month', 12) }}
    group by earlier.account_id, earlier.month

),

twelve_month_base as (

    select
        now.month,
        sum(now.mrr) as mrr_now,
        sum(twelve_months_ago_cc.mrr_then_cc) as mrr_twelve_months_ago
    from twelve_months_ago_cc
    inner join account_months as now
        on twelve_months_ago_cc.account_id = now.account_id
        and twelve_months_ago_cc.month = now.month
    where twelve_months_ago_cc.mrr_then_cc > 0
    group by now.month

),

churn_rates as (

    select
        revenue.month,
        revenue.mrr,
        revenue.arr,
        revenue.customers,
        revenue.arpa,
        revenue.new_mrr,
        revenue.reactivation_mrr,
        revenue.expansion_mrr,
        revenue.contraction_mrr,
        revenue.churned_mrr,
        starting_base.start_cc,
        {{ pct('revenue.churned_customers', 'starting_base.starting_customers') }}
            as customer_churn_rate_pct,
        {{ pct('revenue.churned_mrr + revenue.contraction_mrr', 'starting_base.start_cc') }}
            as gross_mrr_churn_rate_pct,
        {{ pct(
            'revenue.churned_mrr + revenue.contraction_mrr - revenue.expansion_mrr',
            'starting_base.start_cc'
        ) }} as net_mrr_churn_rate_pct,
        {{ pct(
            'starting_base.start_cc + revenue.expansion_mrr - revenue.contraction_mrr'
            ~ ' - revenue.churned_mrr',
            'starting_base.start_cc'
        ) }} as nrr_pct,
        {{ pct(
            'starting_base.start_cc - revenue.contraction_mrr - revenue.churned_mrr',
            'starting_base.start_cc'
        ) }} as grr_pct,
        {{ pct('twelve_month_base.mrr_now', 'twelve_month_base.mrr_twelve_months_ago') }}
            as nrr_12m_pct,
        {{ decimal_divide(
            'revenue.new_mrr + revenue.reactivation_mrr + revenue.expansion_mrr',
            'revenue.contraction_mrr + revenue.churned_mrr'
        ) }} as quick_ratio,
        {{ pct('starting_base.upsell_accounts', 'starting_base.starting_customers') }}
            as upsell_rate_pct,
        {{ pct('starting_base.cross_sell_accounts', 'starting_base.starting_customers') }}
            as cross_sell_rate_pct
    from revenue
    left join starting_base on revenue.month = starting_base.month
    left join twelve_month_base on revenue.month = twelve_month_base.month

),

with_operations as (

    select
        churn_rates.*,
        onboarding.onboarding_completion_rate_pct,
        nps.nps,
        support.median_first_response_minutes,
        cs_work.cs_hours,
        100 - {{ var('cogs_pct') }}
        - {{ pct('coalesce(cs_work.cs_cost, 0)', 'churn_rates.mrr') }} as gross_margin_pct,
        {{ decimal_divide('coalesce(cs_work.cs_hours, 0)', 'churn_rates.customers') }}
            as cs_hours_per_customer,
        -- LTV uses the average logo churn of M-2..M; NULL unless all three months have one.
        avg(churn_rates.customer_churn_rate_pct) over (
            order by churn_rates.month rows between 2 preceding and current row
        ) as churn_rate_3m_avg_pct,
        count(churn_rates.customer_churn_rate_pct) over (
            order by churn_rates.month rows between 2 preceding and current row
        ) as churn_rate_months
    from churn_rates
    left join onboarding on churn_rates.month = onboarding.month
    left join nps on churn_rates.month = nps.month
    left join support on churn_rates.month = support.month
    left join cs_work on churn_rates.month = cs_work.month

),

final as (

    select
        month,
        mrr,
        arr,
        customers,
        arpa,
        customer_churn_rate_pct,
        gross_mrr_churn_rate_pct,
        net_mrr_churn_rate_pct,
        net_mrr_churn_rate_pct < 0 as has_negative_churn,
        nrr_pct,
        grr_pct,
        nrr_12m_pct,
        quick_ratio,
        upsell_rate_pct,
        cross_sell_rate_pct,
        onboarding_completion_rate_pct,
        nps,
        cast(
            case
                when churn_rate_months = 3 and churn_rate_3m_avg_pct > 0
                    then arpa * gross_margin_pct / 100 / (churn_rate_3m_avg_pct / 100)
            end as decimal(38, 8)
        ) as ltv,
        cast(gross_margin_pct as decimal(38, 8)) as gross_margin_pct,
        cs_hours_per_customer,
        median_first_response_minutes,
        cast(start_cc as decimal(38, 8)) as start_cc
    from with_operations

)

select * from final
