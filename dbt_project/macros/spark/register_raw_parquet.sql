{#- On Spark the raw tables are not loaded a second time: `raw.<export>` are external tables
    over the Parquet folders the Dagster raw publishing writes (var raw_parquet_dir, from
    CSA_PARQUET_DIR), so the staging models' sources are the same relations on both engines.
    A no-op on DuckDB. -#}
{% macro register_raw_parquet() -%}
    {{ return(adapter.dispatch('register_raw_parquet', 'cs_analytics')()) }}
{%- endmacro %}

{% macro default__register_raw_parquet() -%}
    select 1
{%- endmacro %}

{% macro spark__register_raw_parquet() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set parquet_dir = var('raw_parquet_dir') -%}
    {%- set statements = ['create database if not exists raw'] -%}
    {%- for node in graph.sources.values() if node.schema == 'raw' -%}
        {%- do statements.append('drop table if exists raw.' ~ node.name) -%}
        {%- do statements.append(
            'create table raw.' ~ node.name ~ ' using parquet location \''
            ~ parquet_dir ~ '/' ~ node.name ~ '\''
        ) -%}
    {%- endfor -%}
    {%- for schema in ['staging', 'intermediate', 'marts'] -%}
        {%- do statements.append('create database if not exists ' ~ schema) -%}
    {%- endfor -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    select 1
{%- endmacro %}
