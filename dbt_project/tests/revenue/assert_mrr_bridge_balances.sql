-- Rule (metrics.md): starting_mrr + fx_adjustment + net_new_mrr = mrr, exactly, every month.
-- Failing rows are the months whose bridge does not balance, with the difference.
select
    month,
    starting_mrr,
    fx_adjustment,
    net_new_mrr,
    mrr,
    starting_mrr + fx_adjustment + net_new_mrr - mrr as difference
from {{ ref('mrr_monthly') }}
where starting_mrr + fx_adjustment + net_new_mrr <> mrr
