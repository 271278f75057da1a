-- Rule (metrics.md, MRR bridge, per segment): starting_mrr + fx_adjustment + net_new_mrr =
-- mrr exactly for every month, dimension and segment (product lines included: each line's
-- movements are its own). Failing rows are the unbalanced segments with the difference.
select
    month,
    dimension,
    segment,
    starting_mrr + fx_adjustment + net_new_mrr - mrr as difference
from {{ ref('kpi_segments_monthly') }}
where starting_mrr + fx_adjustment + net_new_mrr <> mrr
