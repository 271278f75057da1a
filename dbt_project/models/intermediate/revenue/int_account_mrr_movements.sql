-- One row per account and month, from the account's first month with MRR through the as-of
-- month (months with MRR 0 after a churn included). Movements are classified at constant
-- currency: the previous month's items at this month's rates (metrics.md, MRR movements).
-- account_mrr_monthly publishes it; the segment facts (int_account_kpi_facts) read it.

with product_movements as (

    select * from {{ ref('int_account_product_movements') }}

),

account_months as (

    select
        account_id,
        month,
        sum(mrr) as mrr,
        sum(previous_mrr_cc) as previous_mrr_cc,
        max(case
            when previous_mrr_cc > 0 and mrr > previous_mrr_cc then 1 else 0
        end) = 1 as any_product_grew,
        max(case when previous_mrr_cc = 0 and mrr > 0 then 1 else 0 end) = 1
            as any_product_added,
        max(case when mrr < previous_mrr_cc then 1 else 0 end) = 1 as any_product_shrank
    from product_movements
    group by account_id, month

),

with_history as (

    select
        account_id,
        month,
        mrr,
        previous_mrr_cc,
        any_product_grew,
        any_product_added,
        any_product_shrank,
        coalesce(lag(mrr) over (partition by account_id order by month), 0) as previous_mrr,
        {{ had_mrr_before('mrr', 'account_id') }} as had_mrr_before,
        min(case when mrr > 0 then month end) over (partition by account_id) as cohort_month
    from account_months

),

classified as (

    select
        *,
        {{ mrr_movement_type('previous_mrr_cc', 'mrr', 'had_mrr_before') }} as movement_type
    from with_history
    where cohort_month is not null and month >= cohort_month

),

final as (

    select
        account_id,
        month,
        cast(mrr as decimal(38, 8)) as mrr,
        cast(previous_mrr as decimal(38, 8)) as previous_mrr,
        cast(previous_mrr_cc - previous_mrr as decimal(38, 8)) as fx_adjustment,
        movement_type,
        {{ mrr_movement_amounts('movement_type', 'previous_mrr_cc', 'mrr') }},
        any_product_grew as has_upsell,
        previous_mrr_cc > 0 and any_product_added as has_cross_sell,
        mrr > 0 and any_product_shrank as has_downgrade,
        mrr > 0 as is_customer,
        cohort_month,
        cast(
            {{ month_index('month') }} - {{ month_index('cohort_month') }} as integer
        ) as months_since_start,
        cast(previous_mrr_cc as decimal(38, 8)) as previous_mrr_constant_currency
    from classified

)

select * from final
