-- Rule (metrics.md, CSM books): every month the books add up to mrr_monthly (mrr,
-- starting_mrr, fx and every movement) and the transfers add up to zero (what leaves one
-- book enters another). Failing rows are the months that differ, with both sides' sums.
-- A blocking check on csm_book_monthly (a test with two parents needs its asset named).
{{ config(meta={'dagster': {'ref': {'name': 'csm_book_monthly'}}}) }}
with books as (

    select
        month,
        sum(mrr) as mrr,
        sum(starting_mrr) as starting_mrr,
        sum(fx_adjustment) as fx_adjustment,
        sum(new_mrr + reactivation_mrr + expansion_mrr - contraction_mrr - churned_mrr)
            as net_new_mrr,
        sum(transfer_in_mrr) as transfer_in_mrr,
        sum(transfer_out_mrr) as transfer_out_mrr
    from {{ ref('csm_book_monthly') }}
    group by month

),

revenue as (

    select * from {{ ref('mrr_monthly') }}

)

select
    revenue.month,
    books.mrr as books_mrr,
    revenue.mrr,
    books.transfer_in_mrr,
    books.transfer_out_mrr
from revenue
left join books on revenue.month = books.month
where books.month is null
    or books.mrr <> revenue.mrr
    or books.starting_mrr <> revenue.starting_mrr
    or books.fx_adjustment <> revenue.fx_adjustment
    or books.net_new_mrr <> revenue.net_new_mrr
    or books.transfer_in_mrr <> books.transfer_out_mrr
