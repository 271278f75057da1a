-- csa_usage_events -> product_usage_daily (csa_vendor_rows), one row per account and day in
-- the reporting time zone (csa_day): active_users counts distinct persons, logins and
-- key_feature_events the configured event names. An event with a skip reason is skipped.

insert into csa_ledger
select _source_file, _line, 'skipped', skip_columns, 'NO_ACCOUNT', skip_reason, null
from csa_usage_events
where skip_reason is not null;

insert into csa_vendor_rows
select
    account_id,
    csa_day(occurred_at) as usage_date,
    count(distinct person) as active_users,
    count(*) filter (where list_contains($login_events, event)) as logins,
    count(*) filter (where list_contains($key_feature_events, event)) as key_feature_events,
    -- the day's first event, by file and line
    first(_source_file order by _source_file, _line) as _source_file,
    first(_line order by _source_file, _line) as _source_line
from csa_usage_events
where skip_reason is null
group by account_id, csa_day(occurred_at);

insert into csa_used
select _source_file, _line from csa_usage_events where skip_reason is null;
