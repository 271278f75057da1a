-- One row per account and drop that delivered it: every version of raw.accounts
-- (raw.accounts__versions, kept by the loader), the history the segment marts read.
-- Extra attributes named in var('segment_extra_dimensions') are columns of the export that
-- the contract does not know (kept by the loader as VARCHAR), selected by name here.
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('crm', 'accounts__versions') }}

),

renamed as (

    select
        account_id,
        industry,
        company_size,
        country,
        csm_id,
        {% for attribute in var('segment_extra_dimensions') -%}
        cast({{ adapter.quote(attribute) }} as {{ dbt.type_string() }})
            as {{ adapter.quote(attribute) }},
        {% endfor -%}
        {{ to_reporting_time('updated_at') }} as updated_at,
        _drop_date
    from source

)

select * from renamed
