-- Rule: for every account (and every CSM's team), the validity intervals of its attribute
-- history tile time with no gap and no overlap: the first starts at NULL (it stands for every
-- earlier day), each ends where the next begins, the last ends at NULL (still valid), and
-- consecutive runs differ. Any row returned breaks "exactly one version on every day".
-- Reads several models: its Dagster asset check is attached to int_account_attribute_history.
{{ config(meta={'dagster': {'ref': {'name': 'int_account_attribute_history'}}}) }}

with account_runs as (

    select
        'account' as history,
        account_id as history_key,
        valid_from,
        valid_to,
        row_number() over (partition by account_id order by known_from) as run_number,
        lead(valid_from) over (partition by account_id order by known_from) as next_valid_from,
        count(*) over (partition by account_id) as runs
    from {{ ref('int_account_attribute_history') }}

),

team_runs as (

    select
        'team' as history,
        csm_id as history_key,
        valid_from,
        valid_to,
        row_number() over (partition by csm_id order by known_from) as run_number,
        lead(valid_from) over (partition by csm_id order by known_from) as next_valid_from,
        count(*) over (partition by csm_id) as runs
    from {{ ref('int_cs_rep_team_history') }}

),

runs as (

    select * from account_runs
    union all
    select * from team_runs

),

broken as (

    select *
    from runs
    where (run_number = 1 and valid_from is not null)
        or (run_number > 1 and valid_from is null)
        or (run_number = runs and valid_to is not null)
        or (run_number < runs and (valid_to is null or valid_to <> next_valid_from))

)

select * from broken
