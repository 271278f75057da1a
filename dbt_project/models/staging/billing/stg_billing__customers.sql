-- One row per billing customer: the latest version of raw.billing_customers (the loader applies
-- "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.
-- Personal data (email) stops here: it is not selected.

with source as (

    select * from {{ source('billing', 'billing_customers') }}

),

renamed as (

    select
        customer_id,
        account_id,
        currency,
        {{ to_reporting_time('created_at') }} as created_at,
        _drop_date
    from source

)

select * from renamed
