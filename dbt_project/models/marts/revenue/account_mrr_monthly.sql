-- One row per account and month, from the account's first month with MRR through the as-of
-- month (months with MRR 0 after a churn included): int_account_mrr_movements, published.

with movements as (

    select * from {{ ref('int_account_mrr_movements') }}

),

final as (

    select
        account_id,
        month,
        mrr,
        previous_mrr,
        fx_adjustment,
        movement_type,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        has_upsell,
        has_cross_sell,
        has_downgrade,
        is_customer,
        cohort_month,
        months_since_start,
        previous_mrr_constant_currency
    from movements

)

select * from final
