-- One row per plan: the latest version of raw.plans (the loader applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('billing', 'plans') }}

),

renamed as (

    select
        plan_id,
        product,
        plan_name,
        tier,
        billing_period_months,
        currency,
        list_price,
        _drop_date
    from source

)

select * from renamed
