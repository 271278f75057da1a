-- One row per account and onboarding milestone: the latest version of raw.onboarding_milestones
-- (the loader applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('crm', 'onboarding_milestones') }}

),

renamed as (

    select
        account_id,
        milestone,
        {{ to_reporting_time('completed_at') }} as completed_at,
        _drop_date
    from source

)

select * from renamed
