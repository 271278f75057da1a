-- One row per Customer Success manager and run of unchanged team, valid from the drop that
-- first delivered it until the drop that changed it; the earliest version also stands for
-- the days before it (macro attribute_intervals).

with versions as (

    select * from {{ ref('stg_crm__cs_rep_versions') }}

),

intervals as (

    {{ attribute_intervals('versions', ['csm_id'], ['team']) }}

),

final as (

    select * from intervals

)

select * from final
