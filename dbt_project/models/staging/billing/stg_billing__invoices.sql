-- One row per invoice: the latest version of raw.invoices (the loader applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('billing', 'invoices') }}

),

renamed as (

    select
        invoice_id,
        customer_id,
        issued_on,
        due_on,
        currency,
        total,
        status,
        {{ to_reporting_time('paid_at') }} as paid_at,
        {{ to_reporting_time('updated_at') }} as updated_at,
        _drop_date
    from source

)

select * from renamed
