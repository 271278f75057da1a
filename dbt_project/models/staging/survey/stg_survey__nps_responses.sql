-- One row per NPS survey response: the latest version of raw.nps_responses (the loader applies
-- "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.
-- Personal data (contact_email) stops here: it is not selected.

with source as (

    select * from {{ source('survey', 'nps_responses') }}

),

renamed as (

    select
        response_id,
        account_id,
        {{ to_reporting_time('responded_at') }} as responded_at,
        score,
        comment,
        _drop_date
    from source

)

select * from renamed
