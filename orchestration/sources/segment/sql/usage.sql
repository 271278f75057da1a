-- Segment tracks (+ groups) -> product_usage_daily, one row per account and day in the
-- reporting time zone (csa_day).
-- The account: the event's context_group_id, else the group of the user's (or anonymous
-- visitor's) latest group call at or before the event. An event with neither is skipped:
-- it belongs to no account. A person is user_id, else anonymous_id; active_users counts
-- distinct persons; logins and key_feature_events count the configured event names.
-- Repeated message ids were skipped as duplicates when the table was read.

create or replace temp table csa_segment_groups as
select coalesce(user_id, anonymous_id) as person, group_id, "timestamp" as called_at
from v_groups
where coalesce(user_id, anonymous_id) is not null;

-- An event that names its account (context_group_id) needs no group call: only the others
-- are joined to the latest group call of their person as of the event.
create or replace temp table csa_segment_events as
select _source_file, _line, event, "timestamp" as occurred_at,
    coalesce(user_id, anonymous_id) as person,
    nullif(trim(context_group_id), '') as account_id
from v_tracks
where nullif(trim(context_group_id), '') is not null
union all
select
    tracks._source_file,
    tracks._line,
    tracks.event,
    tracks."timestamp" as occurred_at,
    coalesce(tracks.user_id, tracks.anonymous_id) as person,
    groups.group_id as account_id
from (select * from v_tracks where nullif(trim(context_group_id), '') is null) as tracks
asof left join csa_segment_groups as groups
    on coalesce(tracks.user_id, tracks.anonymous_id) = groups.person
    and tracks."timestamp" >= groups.called_at;

insert into csa_ledger
select _source_file, _line, 'skipped', 'context_group_id', 'NO_ACCOUNT',
    case when person is null then 'no user_id and no anonymous_id'
        else 'no account: no context_group_id and no group call of ' || csa_quote(person)
            || ' at or before the event' end,
    null
from csa_segment_events
where account_id is null or person is null;

-- Per person first, then per account and day: the persons counted as groups rather than
-- with count(distinct).
insert into csa_vendor_rows
select
    account_id,
    usage_date,
    count(*) as active_users,
    sum(logins) as logins,
    sum(key_feature_events) as key_feature_events,
    min(_source_file) as _source_file,
    min(_source_line) as _source_line
from (
    select
        account_id,
        csa_day(occurred_at) as usage_date,
        person,
        count(*) filter (where list_contains($login_events, event)) as logins,
        count(*) filter (where list_contains($key_feature_events, event)) as key_feature_events,
        min(_source_file) as _source_file,
        min(_line) as _source_line
    from csa_segment_events
    where account_id is not null and person is not null
    group by account_id, csa_day(occurred_at), person
)
group by account_id, usage_date;

-- Every other event went into a row: counted, not listed (one event per record of v_tracks,
-- none of them in the ledger).
insert into csa_used_count
select _source_file, count(*) from csa_segment_events
where account_id is not null and person is not null
group by _source_file;

-- Every readable group call informed the accounts.
insert into csa_used
select _source_file, _line from v_groups;
