-- One row per health snapshot (int_health_snapshots) with the product usage of the
-- var('health_window_days') (30) days up to the snapshot date and of the 30 days before.
--
-- Incremental on DuckDB: product usage is the largest export and grows every day, so a nightly
-- run recomputes only the snapshots that are new (a new month end, the new as-of date, a new
-- customer) or whose 60-day window holds a usage row loaded since the last build (a new day,
-- or a day restated by a later drop). Snapshots that no longer exist are deleted by the
-- post-hook, so the table always equals a full refresh (tests/test_incremental_models.py).
-- Spark builds it as a plain table (its parquet tables support no delete+insert).
-- Changing var('health_window_days') needs `dbt build --full-refresh`.

{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='delete+insert',
    unique_key=['account_id', 'snapshot_date'],
    on_schema_change='fail',
    post_hook="{{ delete_rows_without_snapshot(this) }}",
) }}

{%- set window_days = var('health_window_days') %}

with snapshots as (

    select
        account_id,
        snapshot_date
    from {{ ref('int_health_snapshots') }}

),

{% if is_incremental() %}

last_build as (

    select max(_usage_loaded_through) as loaded_through from {{ this }}

),

usage_loaded_since as (

    select
        usage_days.account_id,
        usage_days.usage_date
    from {{ ref('stg_product__usage_days') }} as usage_days
    cross join last_build
    where last_build.loaded_through is null
        or usage_days._loaded_at > last_build.loaded_through

),

snapshots_not_built as (

    select
        snapshots.account_id,
        snapshots.snapshot_date
    from snapshots
    left join {{ this }} as built
        on snapshots.account_id = built.account_id
        and snapshots.snapshot_date = built.snapshot_date
    where built.account_id is null

),

snapshots_with_new_usage as (

    select distinct
        snapshots.account_id,
        snapshots.snapshot_date
    from snapshots
    inner join usage_loaded_since
        on snapshots.account_id = usage_loaded_since.account_id
        and usage_loaded_since.usage_date <= snapshots.snapshot_date
        and usage_loaded_since.usage_date
        > cast({{ dbt.dateadd('day', -2 * window_days, 'snapshots.snapshot_date') }} as date)

),

snapshots_to_build as (

    select
        account_id,
        snapshot_date
    from snapshots_not_built
    union
    select
        account_id,
        snapshot_date
    from snapshots_with_new_usage

),

{% else %}

snapshots_to_build as (

    select
        account_id,
        snapshot_date
    from snapshots

),

{% endif %}

-- The two windows as dates: usage_date > last_window_after is the last window, usage_date
-- > previous_window_after (and not in the last) the one before. Comparing dates with dates
-- keeps the join on the usage table's own column (no per-row cast).
snapshot_windows as (

    select
        account_id,
        snapshot_date,
        cast({{ dbt.dateadd('day', -window_days, 'snapshot_date') }} as date)
            as last_window_after,
        cast({{ dbt.dateadd('day', -2 * window_days, 'snapshot_date') }} as date)
            as previous_window_after
    from snapshots_to_build

),

-- Only the usage days a snapshot to build can see: a nightly run reads the last 60 days, not
-- the whole history. Each CTE reads the staging view itself (not one shared CTE), so the engine
-- filters the usage table where it scans it instead of copying all of it first.
window_bounds as (

    select min(previous_window_after) as earliest_after from snapshot_windows

),

usage_in_windows as (

    select
        usage_days.account_id,
        usage_days.usage_date,
        usage_days.active_users,
        usage_days.logins
    from {{ ref('stg_product__usage_days') }} as usage_days
    inner join window_bounds on usage_days.usage_date > window_bounds.earliest_after

),

-- Days with no usage row count as 0.
usage_windows as (

    select
        snapshot_windows.account_id,
        snapshot_windows.snapshot_date,
        coalesce(sum(case
            when usage_in_windows.usage_date > snapshot_windows.last_window_after
                then usage_in_windows.active_users
            else 0
        end), 0) as active_user_days,
        coalesce(sum(case
            when usage_in_windows.usage_date > snapshot_windows.last_window_after
                then usage_in_windows.logins
            else 0
        end), 0) as logins_last_window,
        coalesce(sum(case
            when usage_in_windows.usage_date <= snapshot_windows.last_window_after
                then usage_in_windows.logins
            else 0
        end), 0) as logins_previous_window
    from snapshot_windows
    left join usage_in_windows
        on snapshot_windows.account_id = usage_in_windows.account_id
        and usage_in_windows.usage_date <= snapshot_windows.snapshot_date
        and usage_in_windows.usage_date > snapshot_windows.previous_window_after
    group by snapshot_windows.account_id, snapshot_windows.snapshot_date

),

-- The newest load this build has seen: the next build reads only rows loaded after it.
loaded_through as (

    select max(_loaded_at) as loaded_at from {{ ref('stg_product__usage_days') }}

),

final as (

    select
        usage_windows.account_id,
        usage_windows.snapshot_date,
        cast(usage_windows.active_user_days as bigint) as active_user_days,
        cast(usage_windows.logins_last_window as bigint) as logins_last_window,
        cast(usage_windows.logins_previous_window as bigint) as logins_previous_window,
        loaded_through.loaded_at as _usage_loaded_through
    from usage_windows
    cross join loaded_through

)

select * from final
