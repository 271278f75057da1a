-- The as-of date of this build: var('as_of_date') (CSA_AS_OF_DATE) when set, else the export
-- date of the latest loaded drop of any export (metrics.md, Conventions): the latest _drop_date
-- of the staging model of every export (export_staging_models(), generated from the dbt graph
-- by `make dbt-sources`).

with latest_drops as (

    {% for model in export_staging_models() %}
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
