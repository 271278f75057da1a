-- One row per health band and one row 'all': how often month-end snapshots went on to churn
-- within three months, and (on 'all') the AUC of health_score as a churn predictor.
-- Snapshots: month ends with three full months after them before the as-of month
-- (month + 3 < as-of month). churned_within_3m: MRR 0 at one of the next three month ends.
-- AUC = P(a churned snapshot scores lower than a non-churned one), ties count one half,
-- computed set-based with the Mann-Whitney rank formula (no pairwise cross join):
--   auc = (sum of the non-churned snapshots' mid-ranks - n0 * (n0 + 1) / 2) / (n0 * n1)
-- where ranks order health_score ascending and tied scores share their average rank.

with health as (

    select * from {{ ref('account_health') }}

),

account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

eligible_snapshots as (

    select
        health.account_id,
        health.snapshot_date,
        {{ month_of('health.snapshot_date') }} as month,
        health.health_score,
        health.health_band
    from health
    cross join as_of
    where not health.is_as_of_snapshot
        and {{ month_index('health.snapshot_date') }} + 3 < {{ month_index('as_of.as_of_date') }}

),

-- account_mrr_monthly has a row for every month from the first paid month through the as-of
-- month (zero months included), so a month's next three rows are its next three month ends
-- and MRR is never negative: churned within 3 months = the lowest MRR of those rows is 0.
-- (A window over each account's months instead of a range join of snapshots to months.)
next_three_months as (

    select
        account_id,
        month,
        min(mrr) over (
            partition by account_id
            order by month
            rows between 1 following and 3 following
        ) as lowest_mrr_next_3m
    from account_months

),

outcomes as (

    select
        eligible_snapshots.account_id,
        eligible_snapshots.snapshot_date,
        eligible_snapshots.health_score,
        eligible_snapshots.health_band,
        case when next_three_months.lowest_mrr_next_3m = 0 then 1 else 0 end
            as churned_within_3m
    from eligible_snapshots
    inner join next_three_months
        on eligible_snapshots.account_id = next_three_months.account_id
        and eligible_snapshots.month = next_three_months.month

),

ranked as (

    select
        churned_within_3m,
        -- Mid-rank: first rank of the tied group plus half the extra rows in it.
        rank() over (order by health_score)
        + (count(*) over (partition by health_score) - 1) / 2.0 as mid_rank
    from outcomes

),

rank_sums as (

    select
        sum(case when churned_within_3m = 0 then 1 else 0 end) as non_churned,
        sum(churned_within_3m) as churned,
        sum(case when churned_within_3m = 0 then mid_rank else 0 end) as non_churned_rank_sum
    from ranked

),

auc as (

    select
        {{ decimal_divide(
            'non_churned_rank_sum - non_churned * (non_churned + 1) / 2.0',
            'non_churned * churned'
        ) }} as auc
    from rank_sums

),

bands as (

    select 'green' as health_band
    union all
    select 'yellow'
    union all
    select 'red'
    union all
    select 'all'

),

band_counts as (

    select
        bands.health_band,
        count(outcomes.account_id) as snapshots,
        coalesce(sum(outcomes.churned_within_3m), 0) as churned_within_3m
    from bands
    left join outcomes
        on bands.health_band = outcomes.health_band
        or bands.health_band = 'all'
    group by bands.health_band

),

final as (

    select
        band_counts.health_band,
        cast(band_counts.snapshots as bigint) as snapshots,
        cast(band_counts.churned_within_3m as bigint) as churned_within_3m,
        {{ pct('band_counts.churned_within_3m', 'band_counts.snapshots') }} as churn_rate_pct,
        case when band_counts.health_band = 'all' then auc.auc end as auc
    from band_counts
    cross join auc

)

select * from final
