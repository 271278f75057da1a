-- One row per support ticket: the latest version of raw.support_tickets (the loader applies
-- "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('helpdesk', 'support_tickets') }}

),

renamed as (

    select
        ticket_id,
        account_id,
        channel,
        priority,
        category,
        {{ to_reporting_time('created_at') }} as created_at,
        {{ to_reporting_time('first_response_at') }} as first_response_at,
        {{ to_reporting_time('resolved_at') }} as resolved_at,
        {{ to_reporting_time('updated_at') }} as updated_at,
        _drop_date
    from source

)

select * from renamed
