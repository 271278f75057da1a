{#- Post-hook of incremental per-snapshot models: delete the rows of snapshots that no longer
    exist (yesterday's as-of date, an account that is no longer a customer that month), so the
    table equals a full refresh. Renders to nothing on a full build or a non-incremental target. -#}
{% macro delete_rows_without_snapshot(relation) -%}
    {%- if is_incremental() -%}
    delete from {{ relation }} as built
    where not exists (
        select 1
        from {{ ref('int_health_snapshots') }} as snapshots
        where snapshots.account_id = built.account_id
            and snapshots.snapshot_date = built.snapshot_date
    )
    {%- endif -%}
{%- endmacro %}
