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
        min(case
            when milestones.milestone = '{{ milestone }}'
                then cast(milestones.completed_at as date)
        end) as {{ milestone }}_on
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from milestones
    cross join as_of
    where cast(milestones.completed_at as date) <= as_of.as_of_date
    group by milestones.account_id

),

-- Per account: its first month with month-end MRR (cohort_month) and its first month-end
-- with MRR 0 after that (account_mrr_monthly runs from cohort_month, zero months included).
month_end_mrr as (

    select
        account_id,
        min(cohort_month) as cohort_month,
        min(case when mrr = 0 then month end) as first_zero_month
    from account_months
    group by account_id

),

-- The first month from the first paid month on whose month-end MRR is 0: the first paid
-- month itself when it ended with MRR 0 (paid and cancelled inside it, so month-end MRR
-- starts later or never), else the first zero month-end after it.
first_zero as (

    select
        first_paid.account_id,
        case
            when month_end_mrr.cohort_month is null
                or month_end_mrr.cohort_month > {{ month_of('first_paid.first_paid_on') }}
                then {{ month_of('first_paid.first_paid_on') }}
            else month_end_mrr.first_zero_month
        end as abandoned_candidate_month
    from first_paid
    left join month_end_mrr on first_paid.account_id = month_end_mrr.account_id

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
        cast(
            {{ dbt.datediff('onboarding_started_on', 'onboarding_completed_on', 'day') }}
            as integer
        ) as days_to_onboard,
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
