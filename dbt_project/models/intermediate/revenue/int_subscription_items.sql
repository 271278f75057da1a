-- One row per subscription item version with its account, plan and monthly value.
-- item_mrr = quantity * unit_price * (1 - discount_pct / 100) / billing_period_months, in the
-- plan's currency; trials carry no revenue. Billing customers without an account count as
-- their own account 'unmapped:<customer_id>' so no revenue goes missing (raw-exports.md).

with items as (

    select * from {{ ref('stg_billing__subscription_items') }}

),

customers as (

    select * from {{ ref('stg_billing__customers') }}

),

plans as (

    select * from {{ ref('stg_billing__plans') }}

),

final as (

    select
        items.item_id,
        items.subscription_id,
        items.customer_id,
        coalesce(customers.account_id, 'unmapped:' || items.customer_id) as account_id,
        items.plan_id,
        plans.product,
        plans.tier,
        plans.billing_period_months,
        plans.currency,
        items.quantity,
        items.unit_price,
        items.discount_pct,
        items.started_on,
        items.ended_on,
        items.is_trial,
        case
            when items.is_trial then cast(0 as decimal(38, 8))
            else {{ decimal_divide(
                'items.quantity * items.unit_price * (100 - items.discount_pct)',
                '100 * plans.billing_period_months'
            ) }}
        end as item_mrr
    from items
    left join customers on items.customer_id = customers.customer_id
    left join plans on items.plan_id = plans.plan_id

)

select * from final
