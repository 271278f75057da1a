-- One row per account and month, from the account's first month with MRR through the as-of
-- month (months with MRR 0 after a churn included). Movements are classified at constant
-- currency: the previous month's items at this month's rates (metrics.md, MRR movements).

with product_mrr as (

    select * from {{ ref('int_account_product_mrr_monthly') }}

),

rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

product_mrr_converted as (

    select
        product_mrr.account_id,
        product_mrr.product,
        product_mrr.month,
        -- Rounded once here, to 8 decimals: every later figure is a sum or difference of
        -- these, so the bridge balances exactly.
        cast(sum(product_mrr.local_mrr * rates.rate_to_reporting) as decimal(38, 8))
            as current_product_mrr,
        cast(sum(product_mrr.previous_local_mrr * rates.rate_to_reporting) as decimal(38, 8))
            as previous_product_mrr_cc
    from product_mrr
    inner join rates
        on product_mrr.currency = rates.currency
        and product_mrr.month = rates.month
    group by product_mrr.account_id, product_mrr.product, product_mrr.month

),

account_months as (

    select
        account_id,
        month,
        sum(current_product_mrr) as mrr,
        sum(previous_product_mrr_cc) as previous_mrr_cc,
        max(case
            when previous_product_mrr_cc > 0 and current_product_mrr > previous_product_mrr_cc
                then 1
            else 0
        end) = 1 as any_product_grew,
        max(case
            when previous_product_mrr_cc = 0 and current_product_mrr > 0 then 1 else 0
        end) = 1 as any_product_added,
        max(case
            when current_product_mrr < previous_product_mrr_cc then 1 else 0
        end) = 1 as any_product_shrank
    from product_mrr_converted
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
        coalesce(
            max(case when mrr > 0 then 1 else 0 end) over (
                partition by account_id
                order by month
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) = 1 as had_mrr_before,
        min(case when mrr > 0 then month end) over (partition by account_id) as cohort_month
    from account_months

),

classified as (

    select
        *,
        -- Order matters (style guide #13): new, churn, reactivation, expansion, contraction.
        case
            when previous_mrr_cc = 0 and mrr > 0 and not had_mrr_before then 'new'
            when previous_mrr_cc > 0 and mrr = 0 then 'churn'
            when previous_mrr_cc = 0 and mrr > 0 then 'reactivation'
            when previous_mrr_cc > 0 and mrr > previous_mrr_cc then 'expansion'
            when previous_mrr_cc > 0 and mrr < previous_mrr_cc then 'contraction'
            else 'unchanged'
        end as movement_type
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
        cast(case when movement_type = 'new' then mrr else 0 end as decimal(38, 8)) as new_mrr,
        cast(case when movement_type = 'reactivation' then mrr else 0 end as decimal(38, 8))
            as reactivation_mrr,
        cast(
            case when movement_type = 'expansion' then mrr - previous_mrr_cc else 0 end
            as decimal(38, 8)
        ) as expansion_mrr,
        cast(
            case when movement_type = 'contraction' then previous_mrr_cc - mrr else 0 end
            as decimal(38, 8)
        ) as contraction_mrr,
        cast(
            case when movement_type = 'churn' then previous_mrr_cc else 0 end
            as decimal(38, 8)
        ) as churned_mrr,
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
