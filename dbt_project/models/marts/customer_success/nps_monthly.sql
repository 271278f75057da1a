-- One row per month with at least one response (every response counts, not one per
-- account; the responses and their categories are int_nps_responses_monthly's).
-- nps = (promoters - detractors) / responses * 100; nps_trailing_3m over M-2..M.

with account_responses as (

    select * from {{ ref('int_nps_responses_monthly') }}

),

monthly as (

    select
        month,
        sum(responses) as responses,
        sum(promoters) as promoters,
        sum(passives) as passives,
        sum(detractors) as detractors
    from account_responses
    group by month

),

trailing_window as (

    select
        current_month.month,
        sum(window_month.responses) as responses_3m,
        sum(window_month.promoters) as promoters_3m,
        sum(window_month.detractors) as detractors_3m
    from monthly as current_month
    inner join monthly as window_month
        on window_month.month between {{ add_months('current_month.month', -2) }}
        and current_month.month
    group by current_month.month

),

final as (

    select
        monthly.month,
        cast(monthly.responses as bigint) as responses,
        cast(monthly.promoters as bigint) as promoters,
        cast(monthly.passives as bigint) as passives,
        cast(monthly.detractors as bigint) as detractors,
        {{ pct('monthly.promoters - monthly.detractors', 'monthly.responses') }} as nps,
        {{ pct(
            'trailing_window.promoters_3m - trailing_window.detractors_3m',
            'trailing_window.responses_3m'
        ) }} as nps_trailing_3m
    from monthly
    inner join trailing_window on monthly.month = trailing_window.month

)

select * from final
