-- csa_usage_events -> product_usage_daily (csa_vendor_rows), one row per account and day in
-- the reporting time zone (csa_day): active_users counts distinct persons, logins and
-- key_feature_events the configured event names. An event with a skip reason is skipped.

insert into csa_ledger
select _source_file, _line, 'skipped', skip_columns, 'NO_ACCOUNT', skip_reason, null
from csa_usage_events
where skip_reason is not null;

-- Per person first, then per account and day: the persons counted as groups rather than
-- with count(distinct); the day's first event, by file and line, as the smallest of each
-- person's first.
insert into csa_vendor_rows
select
    account_id,
    usage_date,
    count(*) as active_users,
    sum(logins) as logins,
    sum(key_feature_events) as key_feature_events,
    min(first_event)._source_file as _source_file,
    min(first_event)._line as _source_line
from (
    select
        account_id,
        csa_day(occurred_at) as usage_date,
        person,
        count(*) filter (where list_contains($login_events, event)) as logins,
        count(*) filter (where list_contains($key_feature_events, event)) as key_feature_events,
        min({'_source_file': _source_file, '_line': _line}) as first_event
    from csa_usage_events
    where skip_reason is null
    group by account_id, csa_day(occurred_at), person
)
group by account_id, usage_date;

-- Every other event went into a row: counted per file, not listed (one event per record
-- read, none of them in the ledger).
insert into csa_used_count
select _source_file, count(*) from csa_usage_events where skip_reason is null
group by _source_file;
