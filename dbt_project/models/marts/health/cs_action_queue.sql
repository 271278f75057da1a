-- One row per CRM account and playbook that applies on the as-of date (metrics.md,
-- cs_action_queue): the playbooks of int_cs_playbook_signals with the account's name, owner
-- and MRR. queue_rank orders the queue: priority, then mrr descending, then account_id and
-- playbook (a table has no order of its own: sort by queue_rank).

with playbooks as (

    select * from {{ ref('int_cs_playbook_signals') }}

),

health as (

    select * from {{ ref('account_health') }}
    where is_as_of_snapshot

),

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

-- CRM accounts only: an 'unmapped:<customer_id>' billing customer has no manager to act and
-- no usage, NPS or tickets attributable to it (the data-quality check reports it instead).
final as (

    select
        playbooks.account_id,
        crm_accounts.account_name,
        crm_accounts.csm_id,
        playbooks.playbook,
        playbooks.priority,
        playbooks.reason,
        playbooks.reason_ja,
        cast(coalesce(health.mrr, 0) as decimal(38, 8)) as mrr,
        cast(row_number() over (
            order by
                playbooks.priority asc,
                coalesce(health.mrr, 0) desc,
                playbooks.account_id asc,
                playbooks.playbook asc
        ) as bigint) as queue_rank
    from playbooks
    inner join crm_accounts on playbooks.account_id = crm_accounts.account_id
    left join health on playbooks.account_id = health.account_id

)

select * from final
order by queue_rank
