-- One row per account: the latest version of raw.accounts (the loader applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('crm', 'accounts') }}

),

renamed as (

    select
        account_id,
        account_name,
        industry,
        company_size,
        country,
        csm_id,
        {{ to_reporting_time('created_at') }} as created_at,
        {{ to_reporting_time('updated_at') }} as updated_at,
        _drop_date
    from source

)

select * from renamed
