-- One row per month and Customer Success manager's book of business ('unassigned' for
-- accounts without an owner), from the account-month facts (metrics.md, CSM books). An
-- account is in the book of its owner at the start of the month; when that owner differs
-- from the owner at the start of M-1, its M-1 MRR leaves the old book (transfer_out_mrr,
-- which counted it in starting_mrr) and enters the new one (transfer_in_mrr), and its FX
-- adjustment and movement in M count in the new book. So per book
-- starting_mrr + fx + new + reactivation + expansion - contraction - churned
-- + transfer_in - transfer_out = mrr, and starting_mrr is the book's mrr of M-1.

with facts as (

    select * from {{ ref('int_account_kpi_facts') }}
    where product_line = 'all'

),

months as (

    select * from {{ ref('int_revenue_months') }}

),

health as (

    select * from {{ ref('account_health') }}

),

queue as (

    select * from {{ ref('cs_action_queue') }}

),

costs as (

    select * from {{ ref('int_cs_activity_costs') }}

),

account_costs as (

    select
        account_id,
        month,
        sum(cs_hours) as cs_hours,
        sum(cs_cost) as cs_cost
    from costs
    group by account_id, month

),

health_bands as (

    select
        health.account_id,
        months.month,
        health.health_band
    from health
    inner join months on health.snapshot_date = months.measured_on

),

-- The accounts a book holds in M: its owner at the start of M.
held as (

    select
        facts.month,
        facts.csm_id,
        cast(sum(case when facts.is_customer then 1 else 0 end) as bigint) as accounts,
        sum(facts.mrr) as mrr,
        sum(facts.fx_adjustment) as fx_adjustment,
        sum(facts.new_mrr) as new_mrr,
        sum(facts.reactivation_mrr) as reactivation_mrr,
        sum(facts.expansion_mrr) as expansion_mrr,
        sum(facts.contraction_mrr) as contraction_mrr,
        sum(facts.churned_mrr) as churned_mrr,
        sum(case when facts.csm_id <> facts.previous_csm_id then facts.previous_mrr else 0 end)
            as transfer_in_mrr,
        sum(case when facts.was_customer then facts.previous_mrr_cc end) as start_cc,
        {% for band in ['green', 'yellow', 'red'] -%}
        cast(sum(case when health_bands.health_band = '{{ band }}' then 1 else 0 end) as bigint)
            as accounts_{{ band }},
        {% endfor -%}
        sum(account_costs.cs_hours) as cs_hours,
        sum(account_costs.cs_cost) as cs_cost
    from facts
    left join health_bands
        on facts.account_id = health_bands.account_id
        and facts.month = health_bands.month
    left join account_costs
        on facts.account_id = account_costs.account_id
        and facts.month = account_costs.month
    group by facts.month, facts.csm_id

),

-- The accounts a book held at the start of M-1: its starting MRR, and what left it.
left_behind as (

    select
        month,
        previous_csm_id as csm_id,
        sum(previous_mrr) as starting_mrr,
        sum(case when csm_id <> previous_csm_id then previous_mrr else 0 end)
            as transfer_out_mrr
    from facts
    group by month, previous_csm_id

),

open_queue as (

    select
        months.month,
        coalesce(queue.csm_id, 'unassigned') as csm_id,
        count(*) as open_queue_items
    from queue
    inner join months on months.is_as_of_month
    group by months.month, coalesce(queue.csm_id, 'unassigned')

),

books as (

    select
        month,
        csm_id
    from held
    union
    select
        month,
        csm_id
    from left_behind
    union
    select
        month,
        csm_id
    from open_queue

),

final as (

    select
        books.month,
        books.csm_id,
        coalesce(held.accounts, 0) as accounts,
        cast(coalesce(left_behind.starting_mrr, 0) as decimal(38, 8)) as starting_mrr,
        cast(coalesce(held.new_mrr, 0) as decimal(38, 8)) as new_mrr,
        cast(coalesce(held.reactivation_mrr, 0) as decimal(38, 8)) as reactivation_mrr,
        cast(coalesce(held.expansion_mrr, 0) as decimal(38, 8)) as expansion_mrr,
        cast(coalesce(held.contraction_mrr, 0) as decimal(38, 8)) as contraction_mrr,
        cast(coalesce(held.churned_mrr, 0) as decimal(38, 8)) as churned_mrr,
        cast(coalesce(held.transfer_in_mrr, 0) as decimal(38, 8)) as transfer_in_mrr,
        cast(coalesce(left_behind.transfer_out_mrr, 0) as decimal(38, 8)) as transfer_out_mrr,
        cast(coalesce(held.fx_adjustment, 0) as decimal(38, 8)) as fx_adjustment,
        cast(coalesce(held.mrr, 0) as decimal(38, 8)) as mrr,
        {{ nrr_pct(
            'held.start_cc', 'held.expansion_mrr', 'held.contraction_mrr', 'held.churned_mrr'
        ) }} as nrr_pct,
        {{ grr_pct('held.start_cc', 'held.contraction_mrr', 'held.churned_mrr') }} as grr_pct,
        coalesce(held.accounts_green, 0) as accounts_green,
        coalesce(held.accounts_yellow, 0) as accounts_yellow,
        coalesce(held.accounts_red, 0) as accounts_red,
        -- The queue is the as-of date's: earlier months have none to count.
        case
            when months.is_as_of_month then cast(coalesce(open_queue.open_queue_items, 0) as bigint)
        end as open_queue_items,
        cast(coalesce(held.cs_hours, 0) as decimal(38, 8)) as cs_hours,
        cast(coalesce(held.cs_cost, 0) as decimal(38, 8)) as cs_cost,
        {{ decimal_divide('coalesce(held.cs_cost, 0)', 'held.accounts') }}
            as cost_to_serve_per_account,
        cast(coalesce(held.start_cc, 0) as decimal(38, 8)) as start_cc
    from books
    inner join months on books.month = months.month
    left join held on books.month = held.month and books.csm_id = held.csm_id
    left join left_behind
        on books.month = left_behind.month and books.csm_id = left_behind.csm_id
    left join open_queue on books.month = open_queue.month and books.csm_id = open_queue.csm_id

)

select * from final
