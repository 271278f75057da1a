-- One row per rate date and currency pair: the latest version of raw.fx_rates (the loader
-- applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('billing', 'fx_rates') }}

),

renamed as (

    select
        rate_date,
        from_currency,
        to_currency,
        rate,
        _drop_date
    from source

)

select * from renamed
