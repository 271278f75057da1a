-- One row per Customer Success manager: the latest version of raw.cs_reps (the loader applies
-- "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.
-- Personal data (name) stops here: it is not selected.

with source as (

    select * from {{ source('crm', 'cs_reps') }}

),

renamed as (

    select
        csm_id,
        team,
        hourly_cost,
        active,
        _drop_date
    from source

)

select * from renamed
