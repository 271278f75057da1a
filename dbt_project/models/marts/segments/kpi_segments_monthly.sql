-- One row per month, dimension and segment: the KPIs of kpi_monthly that mean something per
-- segment, with the same names and formulas, over the segment's accounts (metrics.md,
-- Segments). An account is in the segment it was in at the start of the month
-- (int_account_kpi_facts); for `product` each product line's own MRR and movements count in
-- that line. Dimension 'all' is kpi_monthly's month (kpi_monthly selects it).

{%- set dimensions = [
    'company_size', 'industry', 'country', 'csm_id', 'team', 'billing_period', 'currency',
    'cohort_year',
] + var('segment_extra_dimensions') %}

with facts as (

    select * from {{ ref('int_account_kpi_facts') }}

),

months as (

    select * from {{ ref('int_revenue_months') }}

),

onboarding as (

    select * from {{ ref('onboarding_accounts') }}

),

health as (

    select * from {{ ref('account_health') }}

),

onboarding_months as (

    select
        onboarding.account_id,
        months.month,
        {{ month_of('onboarding.onboarding_completed_on') }} = months.month as completed_in_month
    from months
    inner join onboarding on {{ onboarding_open_in('onboarding', 'months.month') }}

),

-- The health band on the month's measurement day (its last day, or the as-of date).
health_bands as (

    select
        health.account_id,
        months.month,
        health.health_band
    from health
    inner join months on health.snapshot_date = months.measured_on

),

account_months as (

    select
        facts.*,
        onboarding_months.account_id is not null as is_onboarding,
        coalesce(onboarding_months.completed_in_month, false) as completed_onboarding,
        health_bands.health_band
    from facts
    left join onboarding_months
        on facts.account_id = onboarding_months.account_id
        and facts.month = onboarding_months.month
    left join health_bands
        on facts.account_id = health_bands.account_id
        and facts.month = health_bands.month

),

{%- set sums %}
        cast(sum(case when is_customer then 1 else 0 end) as bigint) as customers,
        sum(mrr) as mrr,
        sum(previous_mrr) as starting_mrr,
        sum(fx_adjustment) as fx_adjustment,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        cast(sum(case when movement_type = 'new' then 1 else 0 end) as bigint) as new_customers,
        cast(sum(case when movement_type = 'reactivation' then 1 else 0 end) as bigint)
            as reactivated_customers,
        cast(sum(case when movement_type = 'churn' then 1 else 0 end) as bigint)
            as churned_customers,
        cast(sum(case when was_customer then 1 else 0 end) as bigint) as starting_customers,
        sum(case when was_customer then previous_mrr_cc end) as start_cc,
        sum(case when was_customer and has_upsell then 1 else 0 end) as upsell_accounts,
        sum(case when was_customer and has_cross_sell then 1 else 0 end) as cross_sell_accounts,
        sum(case when mrr_12_months_ago_cc > 0 then mrr end) as mrr_of_12_months_ago_customers,
        sum(mrr_12_months_ago_cc) as mrr_12_months_ago,
        cast(sum(nps_responses) as bigint) as nps_responses,
        sum(nps_promoters) as nps_promoters,
        sum(nps_detractors) as nps_detractors,
        cast(sum(case when is_onboarding then 1 else 0 end) as bigint) as accounts_onboarding,
        cast(sum(case when completed_onboarding then 1 else 0 end) as bigint)
            as accounts_completed_onboarding,
        cast(sum(case when health_band = 'green' then 1 else 0 end) as bigint) as accounts_green,
        cast(sum(case when health_band = 'yellow' then 1 else 0 end) as bigint)
            as accounts_yellow,
        cast(sum(case when health_band = 'red' then 1 else 0 end) as bigint) as accounts_red
{%- endset %}

segment_sums as (

    select
        month,
        'all' as dimension,
        'all' as segment,
        {{ sums }}
    from account_months
    where product_line = 'all'
    group by month

    {% for dimension in dimensions %}
    union all

    select
        month,
        '{{ dimension }}' as dimension,
        {{ adapter.quote(dimension) }} as segment,
        {{ sums }}
    from account_months
    where product_line = 'all'
    group by month, {{ adapter.quote(dimension) }}
    {% endfor %}

    union all

    select
        month,
        'product' as dimension,
        product_line as segment,
        {{ sums }}
    from account_months
    where product_line <> 'all'
    group by month, product_line

),

measured as (

    select
        month,
        dimension,
        segment,
        mrr,
        12 * mrr as arr,
        customers,
        {{ decimal_divide('mrr', 'customers') }} as arpa,
        starting_mrr,
        fx_adjustment,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        new_mrr + reactivation_mrr + expansion_mrr - contraction_mrr - churned_mrr
            as net_new_mrr,
        new_customers,
        reactivated_customers,
        churned_customers,
        starting_customers,
        cast(start_cc as decimal(38, 8)) as start_cc,
        {{ pct('churned_customers', 'starting_customers') }} as customer_churn_rate_pct,
        {{ pct('churned_mrr + contraction_mrr', 'start_cc') }} as gross_mrr_churn_rate_pct,
        {{ pct('churned_mrr + contraction_mrr - expansion_mrr', 'start_cc') }}
            as net_mrr_churn_rate_pct,
        {{ nrr_pct('start_cc', 'expansion_mrr', 'contraction_mrr', 'churned_mrr') }} as nrr_pct,
        {{ grr_pct('start_cc', 'contraction_mrr', 'churned_mrr') }} as grr_pct,
        {{ pct('mrr_of_12_months_ago_customers', 'mrr_12_months_ago') }} as nrr_12m_pct,
        {{ decimal_divide(
            'new_mrr + reactivation_mrr + expansion_mrr', 'contraction_mrr + churned_mrr'
        ) }} as quick_ratio,
        {{ pct('upsell_accounts', 'starting_customers') }} as upsell_rate_pct,
        {{ pct('cross_sell_accounts', 'starting_customers') }} as cross_sell_rate_pct,
        nps_responses,
        {{ pct('nps_promoters - nps_detractors', 'nps_responses') }} as nps,
        accounts_onboarding,
        accounts_completed_onboarding,
        {{ pct('accounts_completed_onboarding', 'accounts_onboarding') }}
            as onboarding_completion_rate_pct,
        accounts_green,
        accounts_yellow,
        accounts_red
    from segment_sums

),

final as (

    select
        month,
        dimension,
        segment,
        mrr,
        arr,
        customers,
        arpa,
        starting_mrr,
        fx_adjustment,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        net_new_mrr,
        new_customers,
        reactivated_customers,
        churned_customers,
        starting_customers,
        start_cc,
        customer_churn_rate_pct,
        gross_mrr_churn_rate_pct,
        net_mrr_churn_rate_pct,
        net_mrr_churn_rate_pct < 0 as has_negative_churn,
        nrr_pct,
        grr_pct,
        nrr_12m_pct,
        quick_ratio,
        upsell_rate_pct,
        cross_sell_rate_pct,
        nps_responses,
        nps,
        accounts_onboarding,
        accounts_completed_onboarding,
        onboarding_completion_rate_pct,
        accounts_green,
        accounts_yellow,
        accounts_red
    from measured

)

select * from final
