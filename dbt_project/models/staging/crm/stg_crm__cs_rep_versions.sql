-- One row per Customer Success manager and drop that delivered it: every version of
-- raw.cs_reps (raw.cs_reps__versions, kept by the loader), for the team a manager was in.
-- Personal data (name) stops here: it is not selected.

with source as (

    select * from {{ source('crm', 'cs_reps__versions') }}

),

renamed as (

    select
        csm_id,
        team,
        active,
        _drop_date
    from source

)

select * from renamed
