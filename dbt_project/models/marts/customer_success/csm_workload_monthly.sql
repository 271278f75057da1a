-- One row per Customer Success manager and month (up to the as-of month) in which the
-- manager owned a customer or logged time. Hours come from the activities each manager logged;
-- accounts_owned counts the customers (MRR > 0 that month) whose current owner
-- (accounts.csm_id, the CRM's latest value) is the manager.

with costs as (

    select * from {{ ref('int_cs_activity_costs') }}

),

account_months as (

    select * from {{ ref('account_mrr_monthly') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

owned as (

    select
        accounts.csm_id,
        account_months.month,
        count(*) as accounts_owned
    from account_months
    inner join accounts on account_months.account_id = accounts.account_id
    where account_months.is_customer and accounts.csm_id is not null
    group by accounts.csm_id, account_months.month

),

logged as (

    select
        costs.csm_id,
        costs.month,
        sum(costs.cs_hours) as hours,
        sum(costs.onboarding_hours) as onboarding_hours,
        sum(costs.adoption_hours) as adoption_hours,
        sum(costs.renewal_hours) as renewal_hours,
        sum(costs.expansion_hours) as expansion_hours,
        sum(costs.cs_cost) as cs_cost
    from costs
    where costs.csm_id is not null
    group by costs.csm_id, costs.month

),

manager_months as (

    select
        csm_id,
        month
    from owned
    union
    select
        csm_id,
        month
    from logged

),

final as (

    select
        manager_months.csm_id,
        manager_months.month,
        cast(coalesce(owned.accounts_owned, 0) as bigint) as accounts_owned,
        cast(coalesce(logged.hours, 0) as decimal(38, 8)) as hours,
        cast(coalesce(logged.onboarding_hours, 0) as decimal(38, 8)) as onboarding_hours,
        cast(coalesce(logged.adoption_hours, 0) as decimal(38, 8)) as adoption_hours,
        cast(coalesce(logged.renewal_hours, 0) as decimal(38, 8)) as renewal_hours,
        cast(coalesce(logged.expansion_hours, 0) as decimal(38, 8)) as expansion_hours,
        {{ decimal_divide('coalesce(logged.hours, 0)', 'owned.accounts_owned') }}
            as hours_per_account,
        cast(coalesce(logged.cs_cost, 0) as decimal(38, 8)) as cs_cost
    from manager_months
    left join owned
        on manager_months.csm_id = owned.csm_id and manager_months.month = owned.month
    left join logged
        on manager_months.csm_id = logged.csm_id and manager_months.month = logged.month

)

select * from final
