-- Rule (metrics.md, Segments): the row dimension = 'all' of kpi_segments_monthly equals
-- kpi_monthly, month by month and column by column (NULLs equal). Failing rows are the rows
-- found on one side only, named by the side they are missing from.
-- A blocking check on kpi_monthly (a singular test with two parents needs its asset named).
{{ config(meta={'dagster': {'ref': {'name': 'kpi_monthly'}}}) }}
{%- set columns = [
    'month', 'mrr', 'arr', 'customers', 'arpa', 'customer_churn_rate_pct',
    'gross_mrr_churn_rate_pct', 'net_mrr_churn_rate_pct', 'has_negative_churn', 'nrr_pct',
    'grr_pct', 'nrr_12m_pct', 'quick_ratio', 'upsell_rate_pct', 'cross_sell_rate_pct',
    'onboarding_completion_rate_pct', 'nps', 'start_cc',
] %}

with kpis as (

    select {{ columns | join(', ') }} from {{ ref('kpi_monthly') }}

),

all_segment as (

    select {{ columns | join(', ') }} from {{ ref('kpi_segments_monthly') }}
    where dimension = 'all' and segment = 'all'

),

only_in_kpi_monthly as (

    select * from kpis
    except
    select * from all_segment

),

only_in_all_segment as (

    select * from all_segment
    except
    select * from kpis

)

select
    'missing from kpi_segments_monthly' as problem,
    month
from only_in_kpi_monthly
union all
select
    'missing from kpi_monthly' as problem,
    month
from only_in_all_segment
