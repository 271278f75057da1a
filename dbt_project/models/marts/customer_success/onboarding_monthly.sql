-- One row per month of the revenue spine: onboarding open in the month, completed in it,
-- the completion rate (オンボーディング完了率) and the time it took.

with onboarding as (

    select * from {{ ref('onboarding_accounts') }}

),

months as (

    select * from {{ ref('int_revenue_months') }}

),

open_or_completed as (

    select
        months.month,
        onboarding.account_id,
        onboarding.days_to_onboard,
        {{ month_of('onboarding.onboarding_completed_on') }} = months.month as completed_in_month
    from months
    inner join onboarding on {{ onboarding_open_in('onboarding', 'months.month') }}

),

monthly as (

    select
        months.month,
        count(open_or_completed.account_id) as accounts_onboarding,
        sum(case when open_or_completed.completed_in_month then 1 else 0 end)
            as accounts_completed,
        percentile_cont(0.5) within group (
            order by case
                when open_or_completed.completed_in_month
                    then open_or_completed.days_to_onboard
            end
        ) as median_days_to_onboard,
        sum(case
            when open_or_completed.completed_in_month
                and open_or_completed.days_to_onboard <= {{ var('onboarding_target_days') }}
                then 1
            else 0
        end) as completed_within_target
    from months
    left join open_or_completed on months.month = open_or_completed.month
    group by months.month

),

final as (

    select
        month,
        cast(accounts_onboarding as bigint) as accounts_onboarding,
        cast(coalesce(accounts_completed, 0) as bigint) as accounts_completed,
        {{ pct('coalesce(accounts_completed, 0)', 'accounts_onboarding') }}
            as onboarding_completion_rate_pct,
        cast(median_days_to_onboard as decimal(38, 8)) as median_days_to_onboard,
        {{ pct('completed_within_target', 'accounts_completed') }}
            as completed_within_target_pct
    from monthly

)

select * from final
