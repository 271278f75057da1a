-- One row per customer (MRR > 0) and month: the Customer Success time and cost spent on it
-- against its MRR.

with account_months as (

    select * from {{ ref('account_mrr_monthly') }}
    where is_customer

),

costs as (

    select
        account_id,
        month,
        sum(cs_hours) as cs_hours,
        sum(cs_cost) as cs_cost
    from {{ ref('int_cs_activity_costs') }}
    group by account_id, month

),

final as (

    select
        account_months.account_id,
        account_months.month,
        account_months.mrr,
        cast(coalesce(costs.cs_hours, 0) as decimal(38, 8)) as cs_hours,
        cast(coalesce(costs.cs_cost, 0) as decimal(38, 8)) as cs_cost,
        {{ pct('coalesce(costs.cs_cost, 0)', 'account_months.mrr') }} as cs_cost_to_mrr_pct
    from account_months
    left join costs
        on account_months.account_id = costs.account_id
        and account_months.month = costs.month

)

select * from final
