-- One row per annual (billing_period_months = 12), non-trial item in force on the as-of date
-- with its next renewal date: started_on plus the smallest number of whole years that lands
-- strictly after the as-of date. Items that end before that date (cancelled mid-term) do not
-- renew and are left out; an item ending on its renewal date is up for renewal and stays.

with items as (

    select * from {{ ref('int_subscription_items') }}
    where billing_period_months = 12 and not is_trial

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

in_force as (

    select
        items.item_id,
        items.account_id,
        items.started_on,
        items.ended_on,
        as_of.as_of_date,
        {{ add_months(
            'items.started_on',
            '12 * (extract(year from as_of.as_of_date) - extract(year from items.started_on))'
        ) }} as anniversary_in_as_of_year
    from items
    cross join as_of
    where items.started_on <= as_of.as_of_date
        and (items.ended_on is null or items.ended_on > as_of.as_of_date)

),

next_renewals as (

    select
        item_id,
        account_id,
        started_on,
        ended_on,
        as_of_date,
        case
            when anniversary_in_as_of_year > as_of_date then anniversary_in_as_of_year
            else {{ add_months('anniversary_in_as_of_year', 12) }}
        end as renews_on
    from in_force

),

final as (

    select
        item_id,
        account_id,
        started_on,
        renews_on,
        cast(
            {{ dbt.datediff('as_of_date', 'renews_on', 'day') }}
            as integer
        ) as days_to_renewal
    from next_renewals
    where ended_on is null or ended_on >= renews_on

)

select * from final
