-- The as-of date of this build: var('as_of_date') (CSA_AS_OF_DATE) when set, else the export
-- date of the latest loaded drop of any export (metrics.md, Conventions).

with latest_drops as (

    {% for model in [
        'stg_crm__accounts', 'stg_crm__cs_reps', 'stg_crm__onboarding_milestones',
        'stg_crm__cs_activities', 'stg_survey__nps_responses', 'stg_helpdesk__support_tickets',
        'stg_product__usage_days', 'stg_billing__customers', 'stg_billing__plans',
        'stg_billing__subscription_items', 'stg_billing__invoices', 'stg_billing__fx_rates'
    ] %}
    select max(_drop_date) as latest_drop_date from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {% if var('as_of_date') %}
        -- An aggregate, so the configured date also gives exactly one row.
        max(cast('{{ var("as_of_date") }}' as date))
        {% else %}
        max(latest_drop_date)
        {% endif %} as as_of_date
    from latest_drops

)

select * from final
