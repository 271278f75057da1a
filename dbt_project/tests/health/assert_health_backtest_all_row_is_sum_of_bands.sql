-- Rule: every backtest snapshot has exactly one band, so the 'all' row's snapshots and
-- churned_within_3m equal the sums over green, yellow and red. Returns a row if not.
with bands as (

    select
        sum(case when health_band <> 'all' then snapshots else 0 end) as band_snapshots,
        sum(case when health_band = 'all' then snapshots else 0 end) as all_snapshots,
        sum(case when health_band <> 'all' then churned_within_3m else 0 end) as band_churned,
        sum(case when health_band = 'all' then churned_within_3m else 0 end) as all_churned
    from {{ ref('health_backtest') }}

)

select *
from bands
where band_snapshots <> all_snapshots or band_churned <> all_churned
