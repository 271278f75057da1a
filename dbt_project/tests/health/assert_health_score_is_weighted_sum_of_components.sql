-- Rule (metrics.md, Account health): health_score is the weighted sum of the five component
-- scores and health_band follows the thresholds. Returns the rows where either breaks.
select
    account_id,
    snapshot_date,
    health_score,
    health_band
from {{ ref('account_health') }}
where abs(
        health_score - (
            {{ var('health_weight_usage') }} * usage_score
            + {{ var('health_weight_usage_trend') }} * usage_trend_score
            + {{ var('health_weight_nps') }} * nps_score
            + {{ var('health_weight_support') }} * support_score
            + {{ var('health_weight_billing') }} * billing_score
        )
    ) > 0.000001
    or health_band <> case
        when health_score >= {{ var('health_green_from') }} then 'green'
        when health_score >= {{ var('health_yellow_from') }} then 'yellow'
        else 'red'
    end
