-- Rule (raw-exports.md, fx_rates): every currency with MRR needs a rate to the reporting
-- currency on or before the last day of every month of the spine. A missing rate stops the
-- build here (blocking), instead of silently dropping or zeroing revenue.
-- Failing rows name the currency and the month: add that rate to fx_rates.csv and re-run.
select
    currency,
    month,
    'no ' || currency || ' -> {{ var("reporting_currency") }} rate on or before the end of '
    || {{ dbt.cast('month', 'varchar') }} as problem
from {{ ref('int_fx_rates_monthly') }}
where rate_to_reporting is null
