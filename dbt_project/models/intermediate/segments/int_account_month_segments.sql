-- One row per account and month (the months int_account_kpi_facts has an 'all' row for):
-- the segments the account was in at the start of the month: its attributes on the last day
-- of M-1 from the attribute history, its owner on the last day of M-2 (a change of hands is a
-- transfer), the owner's team on that day, the billing period and currency that carried most
-- of its M-1 MRR (of its M MRR when it had none), and its cohort month. A model of its own,
-- not a CTE of int_account_kpi_facts: DuckDB held both the segments and the facts in memory
-- in one statement and, at 100,000 accounts, ran out of a 1.5 GB memory limit instead of
-- spilling to disk (split, each part completes within it).

{%- set extra_dimensions = var('segment_extra_dimensions') %}

with months as (

    select * from {{ ref('int_revenue_months') }}

),

account_movements as (

    select * from {{ ref('int_account_mrr_movements') }}

),

product_mrr as (

    select * from {{ ref('int_account_product_mrr_monthly') }}

),

rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

attribute_history as (

    select * from {{ ref('int_account_attribute_history') }}

),

team_history as (

    select * from {{ ref('int_cs_rep_team_history') }}

),

nps as (

    select * from {{ ref('int_nps_responses_monthly') }}

),

first_paid as (

    select * from {{ ref('int_account_first_paid') }}

),

milestones as (

    select * from {{ ref('stg_crm__onboarding_milestones') }}

),

-- The first month in which something happened to the account: its cohort month, its first
-- paid day (onboarding starts there at the latest), its first milestone or NPS response.
first_months as (

    select
        account_id,
        min(first_month) as first_month
    from (
        select
            account_id,
            cohort_month as first_month
        from account_movements
        union all
        select
            account_id,
            {{ month_of('first_paid_on') }} as first_month
        from first_paid
        union all
        select
            account_id,
            {{ month_of('completed_at') }} as first_month
        from milestones
        union all
        select
            account_id,
            month as first_month
        from nps
    ) as events
    where account_id is not null
    group by account_id

),

-- The months of the revenue marts: from the first month with month-end MRR on.
revenue_months as (

    select months.month
    from months
    where months.month >= (
            select min(movements.cohort_month) from account_movements as movements
        )

),

account_months as (

    select
        first_months.account_id,
        revenue_months.month,
        cast({{ dbt.dateadd('day', -1, 'revenue_months.month') }} as date) as start_day,
        cast({{ dbt.dateadd('day', -1, add_months('revenue_months.month', -1)) }} as date)
            as previous_start_day
    from first_months
    inner join revenue_months on revenue_months.month >= first_months.first_month

),

-- Per account and month, each billing period's and currency's share of the M-1 MRR (at M's
-- rates) and of the M MRR; the largest one is the account's segment.
billing_shares as (

    select
        product_mrr.account_id,
        product_mrr.month,
        'billing_period' as share_kind,
        case product_mrr.billing_period_months
            when 1 then 'monthly'
            when 3 then 'quarterly'
            when 6 then 'semiannual'
            when 12 then 'annual'
            else cast(product_mrr.billing_period_months as {{ dbt.type_string() }}) || '_months'
        end as segment,
        sum(product_mrr.previous_local_mrr * rates.rate_to_reporting) as previous_mrr_cc,
        sum(product_mrr.local_mrr * rates.rate_to_reporting) as mrr
    from product_mrr
    inner join rates
        on product_mrr.currency = rates.currency
        and product_mrr.month = rates.month
    group by product_mrr.account_id, product_mrr.month, product_mrr.billing_period_months

    union all

    select
        product_mrr.account_id,
        product_mrr.month,
        'currency' as share_kind,
        product_mrr.currency as segment,
        sum(product_mrr.previous_local_mrr * rates.rate_to_reporting) as previous_mrr_cc,
        sum(product_mrr.local_mrr * rates.rate_to_reporting) as mrr
    from product_mrr
    inner join rates
        on product_mrr.currency = rates.currency
        and product_mrr.month = rates.month
    group by product_mrr.account_id, product_mrr.month, product_mrr.currency

),

ranked_billing_shares as (

    select
        account_id,
        month,
        share_kind,
        segment,
        row_number() over (
            partition by account_id, month, share_kind
            order by
                case when account_previous_mrr_cc > 0 then previous_mrr_cc else mrr end desc,
                segment asc
        ) as share_rank
    from (
        select
            *,
            sum(previous_mrr_cc) over (partition by account_id, month, share_kind)
                as account_previous_mrr_cc
        from billing_shares
    ) as billing_share_totals
    where previous_mrr_cc > 0 or mrr > 0

),

billing_segments as (

    select
        account_id,
        month,
        max(case when share_kind = 'billing_period' then segment end) as billing_period,
        max(case when share_kind = 'currency' then segment end) as currency
    from ranked_billing_shares
    where share_rank = 1
    group by account_id, month

),

cohorts as (

    select distinct
        account_id,
        cohort_month
    from account_movements

),

account_segments as (

    select
        account_months.account_id,
        account_months.month,
        attributes.company_size,
        attributes.industry,
        attributes.country,
        attributes.csm_id,
        previous_attributes.csm_id as previous_csm_id,
        teams.team,
        billing_segments.billing_period,
        billing_segments.currency,
        {% for extra in extra_dimensions -%}
        attributes.{{ adapter.quote(extra) }},
        {% endfor -%}
        cohorts.cohort_month
    from account_months
    left join attribute_history as attributes
        on account_months.account_id = attributes.account_id
        and {{ valid_on('attributes', 'account_months.start_day') }}
    left join attribute_history as previous_attributes
        on account_months.account_id = previous_attributes.account_id
        and {{ valid_on('previous_attributes', 'account_months.previous_start_day') }}
    left join team_history as teams
        on attributes.csm_id = teams.csm_id
        and {{ valid_on('teams', 'account_months.start_day') }}
    left join billing_segments
        on account_months.account_id = billing_segments.account_id
        and account_months.month = billing_segments.month
    left join cohorts on account_months.account_id = cohorts.account_id

),

final as (

    select * from account_segments

)

select * from final
