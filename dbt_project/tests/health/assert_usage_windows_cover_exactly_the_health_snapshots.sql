-- Rule (int_account_usage_windows): after every build, incremental or full, the table holds
-- exactly one row per health snapshot: no snapshot missing, none left over from an earlier day.
-- Reads several models: its Dagster asset check is attached to int_account_usage_windows.
{{ config(meta={'dagster': {'ref': {'name': 'int_account_usage_windows'}}}) }}
with snapshots as (

    select
        account_id,
        snapshot_date
    from {{ ref('int_health_snapshots') }}

),

usage_windows as (

    select
        account_id,
        snapshot_date
    from {{ ref('int_account_usage_windows') }}

)

select
    coalesce(snapshots.account_id, usage_windows.account_id) as account_id,
    coalesce(snapshots.snapshot_date, usage_windows.snapshot_date) as snapshot_date,
    case when snapshots.account_id is null then 'left over' else 'missing' end as problem
from snapshots
full outer join usage_windows
    on snapshots.account_id = usage_windows.account_id
    and snapshots.snapshot_date = usage_windows.snapshot_date
where snapshots.account_id is null or usage_windows.account_id is null
