-- One row per account and month with at least one NPS response up to the as-of date
-- (every response counts, not one per account). Promoters score 9-10, passives 7-8,
-- detractors 0-6; a score outside 0-10 (or none) is not a response.

with responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

final as (

    select
        responses.account_id,
        {{ month_of('responses.responded_at') }} as month,
        count(*) as responses,
        sum(case when responses.score >= 9 then 1 else 0 end) as promoters,
        sum(case when responses.score between 7 and 8 then 1 else 0 end) as passives,
        sum(case when responses.score <= 6 then 1 else 0 end) as detractors
    from responses
    cross join as_of
    where cast(responses.responded_at as date) <= as_of.as_of_date
        and responses.score between 0 and 10
    group by responses.account_id, {{ month_of('responses.responded_at') }}

)

select * from final
