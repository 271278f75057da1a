-- One row per subscription item version: the latest version of raw.subscription_items (the
-- loader applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('billing', 'subscription_items') }}

),

renamed as (

    select
        item_id,
        subscription_id,
        customer_id,
        plan_id,
        quantity,
        unit_price,
        discount_pct,
        started_on,
        ended_on,
        is_trial,
        _drop_date
    from source

)

select * from renamed
