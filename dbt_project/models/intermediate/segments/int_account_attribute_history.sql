-- One row per account and run of unchanged CRM attributes: industry, company size, country,
-- owning CSM (and the extra attributes of var segment_extra_dimensions), valid from the drop
-- that first delivered them until the drop that changed them. The earliest version also
-- stands for the days before the first drop that has the account (macro attribute_intervals).

{%- set attributes = ['industry', 'company_size', 'country', 'csm_id'] %}
{%- for extra in var('segment_extra_dimensions') %}
    {%- do attributes.append(adapter.quote(extra)) %}
{%- endfor %}

with versions as (

    select * from {{ ref('stg_crm__account_versions') }}

),

intervals as (

    {{ attribute_intervals('versions', ['account_id'], attributes) }}

),

final as (

    select * from intervals

)

select * from final
