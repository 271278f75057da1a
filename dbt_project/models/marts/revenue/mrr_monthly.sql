-- One row per month: MRR, ARR, customers and the MRR bridge
-- starting_mrr + fx_adjustment + net_new_mrr = mrr (tested, exactly, every month).

with account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

final as (

    select
        month,
        sum(mrr) as mrr,
        12 * sum(mrr) as arr,
        cast(sum(case when is_customer then 1 else 0 end) as bigint) as customers,
        sum(previous_mrr) as starting_mrr,
        sum(fx_adjustment) as fx_adjustment,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(new_mrr) + sum(reactivation_mrr) + sum(expansion_mrr)
        - sum(contraction_mrr) - sum(churned_mrr) as net_new_mrr,
        cast(sum(case when movement_type = 'new' then 1 else 0 end) as bigint) as new_customers,
        cast(sum(case when movement_type = 'reactivation' then 1 else 0 end) as bigint)
            as reactivated_customers,
        cast(sum(case when movement_type = 'churn' then 1 else 0 end) as bigint)
            as churned_customers,
        {{ decimal_divide('sum(mrr)', 'sum(case when is_customer then 1 else 0 end)') }} as arpa
    from account_months
    group by month

)

select * from final
