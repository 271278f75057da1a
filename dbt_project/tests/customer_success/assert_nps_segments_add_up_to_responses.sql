-- Rule (metrics.md, NPS): every response is exactly one of promoter, passive or detractor.
-- Failing rows are the months whose three counts do not add up to responses.
select
    month,
    responses,
    promoters,
    passives,
    detractors
from {{ ref('nps_monthly') }}
where promoters + passives + detractors <> responses
