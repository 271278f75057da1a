-- Rule (metrics.md, Segments): for every dimension but product (a multi-product account is
-- in several lines), the segments' additive columns add up to the 'all' row of the month.
-- Failing rows: dimension and month whose sums differ from 'all' (or that lack the month).
{%- set additive = [
    'mrr', 'customers', 'starting_mrr', 'fx_adjustment', 'new_mrr', 'reactivation_mrr',
    'expansion_mrr', 'contraction_mrr', 'churned_mrr', 'net_new_mrr', 'new_customers',
    'reactivated_customers', 'churned_customers', 'starting_customers', 'start_cc',
    'nps_responses', 'accounts_onboarding', 'accounts_completed_onboarding',
    'accounts_green', 'accounts_yellow', 'accounts_red',
] %}

with segments as (

    select * from {{ ref('kpi_segments_monthly') }}

),

all_rows as (

    select * from segments
    where dimension = 'all'

),

dimensions as (

    select distinct dimension from segments
    where dimension not in ('all', 'product')

),

dimension_sums as (

    select
        month,
        dimension,
        {% for column in additive -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from segments
    where dimension not in ('all', 'product')
    group by month, dimension

)

select
    dimensions.dimension,
    all_rows.month
from all_rows
cross join dimensions
left join dimension_sums
    on all_rows.month = dimension_sums.month
    and dimensions.dimension = dimension_sums.dimension
where dimension_sums.month is null
    {% for column in additive -%}
    or coalesce(dimension_sums.{{ column }}, 0) <> coalesce(all_rows.{{ column }}, 0)
    {% endfor %}
