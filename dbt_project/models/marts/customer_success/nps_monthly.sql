-- One row per month with at least one response (every response counts, not one per
-- account). Promoters score 9-10, passives 7-8, detractors 0-6; a score outside 0-10 (or
-- none) is not a response.
-- nps = (promoters - detractors) / responses * 100; nps_trailing_3m over M-2..M.

with responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

monthly as (

    select
        {{ month_of('responses.responded_at') }} as month,
        count(*) as responses,
        sum(case when responses.score >= 9 then 1 else 0 end) as promoters,
        sum(case when responses.score between 7 and 8 then 1 else 0 end) as passives,
        sum(case when responses.score <= 6 then 1 else 0 end) as detractors
    from responses
    cross join as_of
    where cast(responses.responded_at as date) <= as_of.as_of_date
        and responses.score between 0 and 10
    group by {{ month_of('responses.responded_at') }}

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
