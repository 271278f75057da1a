-- One row per Customer Success activity: the latest version of raw.cs_activities (the loader
-- applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('crm', 'cs_activities') }}

),

renamed as (

    select
        activity_id,
        account_id,
        csm_id,
        activity_type,
        lifecycle_stage,
        {{ to_reporting_time('occurred_at') }} as occurred_at,
        duration_minutes,
        _drop_date
    from source

)

select * from renamed
