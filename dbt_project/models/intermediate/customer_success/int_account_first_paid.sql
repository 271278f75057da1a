-- One row per account that has had MRR on some day: first_paid_on = the first day an item
-- with item_mrr > 0 was in force (started_on < ended_on, on or before the as-of date).

with items as (

    select * from {{ ref('int_subscription_items') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

final as (

    select
        items.account_id,
        min(items.started_on) as first_paid_on
    from items
    cross join as_of
    where items.item_mrr > 0
        and (items.ended_on is null or items.ended_on > items.started_on)
        and items.started_on <= as_of.as_of_date
    group by items.account_id

)

select * from final
