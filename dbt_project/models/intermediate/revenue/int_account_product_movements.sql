-- One row per account, product line and month, from the line's first month through the
-- as-of month: the line's MRR, its previous month's, the M-1 MRR at M's rates and the
-- line's own movement (metrics.md, MRR movements, applied to one product line). The product
-- dimension of the segment marts and account_mrr_monthly are built from these amounts.

with product_mrr as (

    select * from {{ ref('int_account_product_mrr_monthly') }}

),

rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

converted as (

    select
        product_mrr.account_id,
        product_mrr.product,
        product_mrr.month,
        -- Rounded once here, to 8 decimals: every later figure is a sum or difference of
        -- these, so the bridge balances exactly.
        cast(sum(product_mrr.local_mrr * rates.rate_to_reporting) as decimal(38, 8)) as mrr,
        cast(sum(product_mrr.previous_local_mrr * rates.rate_to_reporting) as decimal(38, 8))
            as previous_mrr_cc
    from product_mrr
    inner join rates
        on product_mrr.currency = rates.currency
        and product_mrr.month = rates.month
    group by product_mrr.account_id, product_mrr.product, product_mrr.month

),

with_history as (

    select
        account_id,
        product,
        month,
        mrr,
        previous_mrr_cc,
        coalesce(lag(mrr) over (partition by account_id, product order by month), 0)
            as previous_mrr,
        {{ had_mrr_before('mrr', 'account_id, product') }} as had_mrr_before
    from converted

),

classified as (

    select
        *,
        {{ mrr_movement_type('previous_mrr_cc', 'mrr', 'had_mrr_before') }} as movement_type
    from with_history

),

final as (

    select
        account_id,
        product,
        month,
        mrr,
        cast(previous_mrr as decimal(38, 8)) as previous_mrr,
        previous_mrr_cc,
        cast(previous_mrr_cc - previous_mrr as decimal(38, 8)) as fx_adjustment,
        movement_type,
        {{ mrr_movement_amounts('movement_type', 'previous_mrr_cc', 'mrr') }}
    from classified

)

select * from final
