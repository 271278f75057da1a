-- One row per account and usage day: the latest version of raw.product_usage_daily (the loader
-- applies "latest drop wins").
-- Timestamps are converted to local time in the reporting time zone.

with source as (

    select * from {{ source('product', 'product_usage_daily') }}

),

renamed as (

    select
        account_id,
        usage_date,
        active_users,
        logins,
        key_feature_events,
        _drop_date,
        _loaded_at
    from source

)

select * from renamed
