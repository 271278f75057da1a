-- One row per account, month and product line: the account-month facts every KPI of
-- kpi_monthly and kpi_segments_monthly is a sum of. product_line 'all' is the whole account
-- (its movement, from int_account_mrr_movements); the other rows are one product line each,
-- moving on its own (int_account_product_movements). Every row carries the segments the
-- account was in at the start of the month: its attributes on the last day of M-1 from the
-- attribute history, the owner's team on that day, the billing period and currency that
-- carried most of its M-1 MRR (of its M MRR when it had none), and its cohort year.
-- Accounts with NPS responses or onboarding but no month-end MRR yet have 'all' rows too
-- (movement amounts 0), so their responses and onboarding count in their segments.

{%- set extra_dimensions = var('segment_extra_dimensions') %}

with months as (

    select * from {{ ref('int_revenue_months') }}

),

account_movements as (

    select * from {{ ref('int_account_mrr_movements') }}

),

product_movements as (

    select * from {{ ref('int_account_product_movements') }}

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

-- The account's (and each line's) MRR twelve months earlier, at this month's rates; NULL
-- unless it was a customer (of the line) then (metrics.md, nrr_12m_pct).
twelve_months_ago_by_line as (

    select
        earlier.account_id,
        earlier.product,
        {{ add_months('earlier.month', 12) }} as month,
        sum(earlier.local_mrr * rates.rate_to_reporting) as mrr_12_months_ago_cc
    from product_mrr as earlier
    inner join rates
        on earlier.currency = rates.currency
        and rates.month = {{ add_months('earlier.month', 12) }}
    group by earlier.account_id, earlier.product, earlier.month

),

twelve_months_ago as (

    select
        account_id,
        'all' as product_line,
        month,
        sum(mrr_12_months_ago_cc) as mrr_12_months_ago_cc
    from twelve_months_ago_by_line
    group by account_id, month

    union all

    select
        account_id,
        product as product_line,
        month,
        mrr_12_months_ago_cc
    from twelve_months_ago_by_line

),

account_facts as (

    select
        account_months.account_id,
        account_months.month,
        'all' as product_line,
        coalesce(movements.mrr, 0) as mrr,
        coalesce(movements.previous_mrr, 0) as previous_mrr,
        coalesce(movements.previous_mrr_constant_currency, 0) as previous_mrr_cc,
        coalesce(movements.fx_adjustment, 0) as fx_adjustment,
        movements.movement_type,
        coalesce(movements.new_mrr, 0) as new_mrr,
        coalesce(movements.reactivation_mrr, 0) as reactivation_mrr,
        coalesce(movements.expansion_mrr, 0) as expansion_mrr,
        coalesce(movements.contraction_mrr, 0) as contraction_mrr,
        coalesce(movements.churned_mrr, 0) as churned_mrr,
        coalesce(movements.has_upsell, false) as has_upsell,
        coalesce(movements.has_cross_sell, false) as has_cross_sell
    from account_months
    left join account_movements as movements
        on account_months.account_id = movements.account_id
        and account_months.month = movements.month

),

-- A product line's rows while it has (or just lost) MRR, or had MRR twelve months earlier.
-- Upsell and cross-sell stay the account's flags: a line's rate counts its starting
-- customers that upsold or cross-sold anywhere.
line_facts as (

    select
        line_movements.account_id,
        line_movements.month,
        line_movements.product as product_line,
        line_movements.mrr,
        line_movements.previous_mrr,
        line_movements.previous_mrr_cc,
        line_movements.fx_adjustment,
        line_movements.movement_type,
        line_movements.new_mrr,
        line_movements.reactivation_mrr,
        line_movements.expansion_mrr,
        line_movements.contraction_mrr,
        line_movements.churned_mrr,
        coalesce(movements.has_upsell, false) as has_upsell,
        coalesce(movements.has_cross_sell, false) as has_cross_sell
    from product_movements as line_movements
    left join account_movements as movements
        on line_movements.account_id = movements.account_id
        and line_movements.month = movements.month
    left join twelve_months_ago
        on line_movements.account_id = twelve_months_ago.account_id
        and line_movements.product = twelve_months_ago.product_line
        and line_movements.month = twelve_months_ago.month
    where
        line_movements.mrr > 0
        or line_movements.previous_mrr > 0
        or twelve_months_ago.mrr_12_months_ago_cc > 0

),

facts as (

    select * from account_facts
    union all
    select * from line_facts

),

final as (

    select
        facts.account_id,
        facts.month,
        facts.product_line,
        coalesce(account_segments.company_size, 'unknown') as company_size,
        coalesce(account_segments.industry, 'unknown') as industry,
        coalesce(account_segments.country, 'unknown') as country,
        coalesce(account_segments.csm_id, 'unassigned') as csm_id,
        coalesce(account_segments.previous_csm_id, 'unassigned') as previous_csm_id,
        case
            when account_segments.csm_id is null then 'unassigned'
            else coalesce(account_segments.team, 'unknown')
        end as team,
        coalesce(account_segments.billing_period, 'unknown') as billing_period,
        coalesce(account_segments.currency, 'unknown') as currency,
        coalesce(
            cast(extract(year from account_segments.cohort_month) as {{ dbt.type_string() }}),
            'unknown'
        ) as cohort_year,
        {% for extra in extra_dimensions -%}
        coalesce(
            cast(account_segments.{{ adapter.quote(extra) }} as {{ dbt.type_string() }}),
            'unknown'
        ) as {{ adapter.quote(extra) }},
        {% endfor -%}
        facts.mrr,
        facts.previous_mrr,
        facts.previous_mrr_cc,
        facts.fx_adjustment,
        facts.movement_type,
        facts.new_mrr,
        facts.reactivation_mrr,
        facts.expansion_mrr,
        facts.contraction_mrr,
        facts.churned_mrr,
        facts.mrr > 0 as is_customer,
        facts.previous_mrr > 0 as was_customer,
        facts.has_upsell,
        facts.has_cross_sell,
        case
            when twelve_months_ago.mrr_12_months_ago_cc > 0
                then twelve_months_ago.mrr_12_months_ago_cc
        end as mrr_12_months_ago_cc,
        cast(coalesce(nps.responses, 0) as bigint) as nps_responses,
        cast(coalesce(nps.promoters, 0) as bigint) as nps_promoters,
        cast(coalesce(nps.detractors, 0) as bigint) as nps_detractors
    from facts
    left join account_segments
        on facts.account_id = account_segments.account_id
        and facts.month = account_segments.month
    left join twelve_months_ago
        on facts.account_id = twelve_months_ago.account_id
        and facts.product_line = twelve_months_ago.product_line
        and facts.month = twelve_months_ago.month
    left join nps
        on facts.account_id = nps.account_id
        and facts.month = nps.month

)

select * from final
