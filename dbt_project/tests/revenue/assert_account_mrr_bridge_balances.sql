-- Rule (metrics.md): for every account and month
-- MRR(M-1) + fx_adjustment + new + reactivation + expansion - contraction - churned = MRR(M).
select
    account_id,
    month,
    previous_mrr,
    fx_adjustment,
    mrr
from {{ ref('account_mrr_monthly') }}
where previous_mrr + fx_adjustment + new_mrr + reactivation_mrr + expansion_mrr
    - contraction_mrr - churned_mrr <> mrr
