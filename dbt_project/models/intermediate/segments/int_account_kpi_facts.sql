-- One row per account, month and product line: the account-month facts every KPI of
-- kpi_monthly and kpi_segments_monthly is a sum of. product_line 'all' is the whole account
-- (its movement, from int_account_mrr_movements); the other rows are one product line each,
-- moving on its own (int_account_product_movements). Every row carries the segments the
-- account was in at the start of the month (int_account_month_segments).
-- Accounts with NPS responses or onboarding but no month-end MRR yet have 'all' rows too
-- (movement amounts 0), so their responses and onboarding count in their segments.

{%- set extra_dimensions = var('segment_extra_dimensions') %}

with account_movements as (

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

account_segments as (

    select * from {{ ref('int_account_month_segments') }}

),

nps as (

    select * from {{ ref('int_nps_responses_monthly') }}

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
        account_segments.account_id,
        account_segments.month,
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
    from account_segments
    left join account_movements as movements
        on account_segments.account_id = movements.account_id
        and account_segments.month = movements.month

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
