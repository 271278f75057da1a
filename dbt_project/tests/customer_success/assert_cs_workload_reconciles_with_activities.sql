-- Rule: csm_workload_monthly splits the logged activities by manager without losing or
-- double counting any: per month its hours and cs_cost equal the activities' totals (those
-- with a csm_id), and its stage hours plus the activities without a stage add up to its
-- hours. Failing rows show both sides.
-- Reads several models: its Dagster asset check is attached to csm_workload_monthly.
{{ config(meta={'dagster': {'ref': {'name': 'csm_workload_monthly'}}}) }}
with activities as (

    select
        month,
        sum(cs_hours) as hours,
        sum(unstaged_hours) as unstaged_hours,
        sum(coalesce(cs_cost, 0)) as cs_cost
    from {{ ref('int_cs_activity_costs') }}
    where csm_id is not null
    group by month

),

workload as (

    select
        month,
        sum(hours) as hours,
        sum(cs_cost) as cs_cost,
        sum(onboarding_hours + adoption_hours + renewal_hours + expansion_hours) as stage_hours
    from {{ ref('csm_workload_monthly') }}
    group by month

),

final as (

    select
        coalesce(workload.month, activities.month) as month,
        workload.hours,
        activities.hours as activity_hours,
        workload.stage_hours,
        activities.unstaged_hours,
        workload.cs_cost,
        activities.cs_cost as activity_cs_cost
    from workload
    full outer join activities on workload.month = activities.month
    where coalesce(workload.hours, 0) <> coalesce(activities.hours, 0)
        or coalesce(workload.cs_cost, 0) <> coalesce(activities.cs_cost, 0)
        or workload.stage_hours + coalesce(activities.unstaged_hours, 0) <> workload.hours

)

select * from final
