-- One row per account that has had MRR on some day: its onboarding from kickoff (or the
-- first paid day) to go-live, and its status on the as-of date (metrics.md, Onboarding).

with first_paid as (

    select * from {{ ref('int_account_first_paid') }}

),

milestones as (

    select * from {{ ref('stg_crm__onboarding_milestones') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

milestone_dates as (

    select
        milestones.account_id,
        {% for milestone in ['kickoff', 'setup', 'training', 'go_live'] %}
        min(case when milestones.milestone = '{{ milestone }}'
            then cast(milestones.completed_at as date) end) as {{ milestone }}_on
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from milestones
    cross join as_of
    where cast(milestones.completed_at as date) <= as_of.as_of_date
    group by milestones.account_id

),

-- The first month from the first paid month on whose month-end MRR is 0. An account that
-- paid and cancelled inside its first month has no month-end MRR at all: that month.
zero_mrr_months as (

    select
        first_paid.account_id,
        min(account_months.month) as first_zero_month,
        min(account_months.cohort_month) as cohort_month
    from first_paid
    left join account_months on first_paid.account_id = account_months.account_id
    group by first_paid.account_id

),

first_zero as (

    select
        zero_mrr_months.account_id,
        case
            when zero_mrr_months.cohort_month is null
                or zero_mrr_months.cohort_month > {{ month_of('first_paid.first_paid_on') }}
                then {{ month_of('first_paid.first_paid_on') }}
            else (
                select min(later.month)
                from account_months as later
                where later.account_id = zero_mrr_months.account_id and later.mrr = 0
            )
        end as abandoned_candidate_month
    from zero_mrr_months
    inner join first_paid on zero_mrr_months.account_id = first_paid.account_id

),

combined as (

    select
        first_paid.account_id,
        accounts.csm_id,
        first_paid.first_paid_on,
        coalesce(milestone_dates.kickoff_on, first_paid.first_paid_on) as onboarding_started_on,
        milestone_dates.go_live_on as onboarding_completed_on,
        milestone_dates.kickoff_on,
        milestone_dates.setup_on,
        milestone_dates.training_on,
        milestone_dates.go_live_on,
        case
            when milestone_dates.go_live_on is null then first_zero.abandoned_candidate_month
        end as abandoned_month,
        as_of.as_of_date
    from first_paid
    cross join as_of
    left join accounts on first_paid.account_id = accounts.account_id
    left join milestone_dates on first_paid.account_id = milestone_dates.account_id
    left join first_zero on first_paid.account_id = first_zero.account_id

),

final as (

    select
        account_id,
        csm_id,
        first_paid_on,
        onboarding_started_on,
        onboarding_completed_on,
        cast({{ dbt.datediff('onboarding_started_on', 'onboarding_completed_on', 'day') }}
            as integer) as days_to_onboard,
        abandoned_month,
        case
            when onboarding_completed_on is not null then 'completed'
            when abandoned_month is not null then 'abandoned'
            when {{ dbt.datediff('onboarding_started_on', 'as_of_date', 'day') }}
                > {{ var('onboarding_target_days') }} then 'overdue'
            else 'in_progress'
        end as status,
        kickoff_on,
        setup_on,
        training_on,
        go_live_on
    from combined

)

select * from final
