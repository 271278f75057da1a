-- Rule (metrics.md, cs_action_queue): save, adoption and expansion rows appear for exactly
-- the accounts whose as-of health meets the playbook's condition (save also on a detractor,
-- so only its red side is checked both ways). Returns the accounts where queue and health
-- disagree.
-- Reads several models: its Dagster asset check is attached to cs_action_queue.
{{ config(meta={'dagster': {'ref': {'name': 'cs_action_queue'}}}) }}
with crm_accounts as (

    select account_id from {{ ref('stg_crm__accounts') }}

),

health as (

    select account_health.*
    from {{ ref('account_health') }} as account_health
    inner join crm_accounts on account_health.account_id = crm_accounts.account_id
    where account_health.is_as_of_snapshot

),

queue as (

    select * from {{ ref('cs_action_queue') }}

),

expected as (

    select
        account_id,
        'adoption' as playbook
    from health
    where seat_utilization * 100 < {{ var('queue_adoption_below_utilization_pct') }}
        or login_trend <= {{ var('queue_adoption_max_login_trend') }}
    union all
    select
        account_id,
        'expansion' as playbook
    from health
    where seat_utilization * 100 >= {{ var('queue_expansion_from_utilization_pct') }}
        and health_band = 'green'
    union all
    select
        account_id,
        'save' as playbook
    from health
    where health_band = 'red'

),

missing as (

    select
        expected.account_id,
        expected.playbook,
        'missing from the queue' as problem
    from expected
    left join queue
        on expected.account_id = queue.account_id and expected.playbook = queue.playbook
    where queue.account_id is null

),

unexpected as (

    select
        queue.account_id,
        queue.playbook,
        'in the queue without its condition' as problem
    from queue
    left join expected
        on queue.account_id = expected.account_id and queue.playbook = expected.playbook
    where queue.playbook in ('adoption', 'expansion') and expected.account_id is null

)

select * from missing
union all
select * from unexpected
