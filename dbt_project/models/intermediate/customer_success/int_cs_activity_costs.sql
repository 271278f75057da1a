-- One row per account, CS manager (the activity's) and month with CS time and its cost:
-- cs_cost = duration_minutes / 60 * the rep's hourly_cost. Nothing after the as-of date.
-- cs_hours is the sum of the four stage hours and unstaged_hours (activities whose
-- lifecycle_stage is empty), each rounded once, so the parts always add up to the total
-- (minutes / 60 rounded as a whole can differ from its rounded parts in the 8th decimal).

with activities as (

    select * from {{ ref('stg_crm__cs_activities') }}

),

reps as (

    select * from {{ ref('stg_crm__cs_reps') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

{% set stages = ['onboarding', 'adoption', 'renewal', 'expansion'] %}
{% set parts = stages + ['unstaged'] %}

staged as (

    select
        activities.account_id,
        activities.csm_id,
        {{ month_of('activities.occurred_at') }} as month,
        {{ decimal_divide('sum(activities.duration_minutes * reps.hourly_cost)', '60') }}
            as cs_cost,
        {% for stage in stages %}
        {{ decimal_divide(
            "sum(case when activities.lifecycle_stage = '" ~ stage
            ~ "' then activities.duration_minutes else 0 end)", '60'
        ) }} as {{ stage }}_hours,
        {% endfor %}
        {{ decimal_divide(
            'sum(case when activities.lifecycle_stage is null then activities.duration_minutes'
            ~ ' else 0 end)', '60'
        ) }} as unstaged_hours
    from activities
    cross join as_of
    left join reps on activities.csm_id = reps.csm_id
    where cast(activities.occurred_at as date) <= as_of.as_of_date
    group by activities.account_id, activities.csm_id, {{ month_of('activities.occurred_at') }}

),

final as (

    select
        account_id,
        csm_id,
        month,
        {{ parts | join('_hours + ') }}_hours as cs_hours,
        cs_cost,
        {% for part in parts %}
        {{ part }}_hours{% if not loop.last %},{% endif %}
        {% endfor %}
    from staged

)

select * from final
