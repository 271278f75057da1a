-- One row per month: the subscription KPIs (metrics.md, KPIs). "Start of M" = the accounts
-- that were customers in M-1; start_cc = their M-1 MRR at M's rates. A rate whose
-- denominator is zero is NULL. Every KPI that is a sum over accounts is the 'all' row of
-- kpi_segments_monthly (one computation for both); the month-level ones (LTV, gross margin,
-- CS hours, first response) are added here.

with segments as (

    select * from {{ ref('kpi_segments_monthly') }}
    where dimension = 'all'

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

with_operations as (

    select
        segments.*,
        support.median_first_response_minutes,
        100 - {{ var('cogs_pct') }}
        - {{ pct('coalesce(cs_work.cs_cost, 0)', 'segments.mrr') }} as gross_margin_pct,
        {{ decimal_divide('coalesce(cs_work.cs_hours, 0)', 'segments.customers') }}
            as cs_hours_per_customer,
        -- LTV uses the average logo churn of M-2..M; NULL unless all three months have one.
        avg(segments.customer_churn_rate_pct) over (
            order by segments.month rows between 2 preceding and current row
        ) as churn_rate_3m_avg_pct,
        count(segments.customer_churn_rate_pct) over (
            order by segments.month rows between 2 preceding and current row
        ) as churn_rate_months
    from segments
    left join support on segments.month = support.month
    left join cs_work on segments.month = cs_work.month

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
        has_negative_churn,
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
        start_cc
    from with_operations

)

select * from final
