-- Segment tracks (+ groups) -> csa_usage_events (aggregated by usage/sql/daily.sql).
-- The account: the event's context_group_id, else the group of the user's (or anonymous
-- visitor's) latest group call at or before the event. An event with neither is skipped:
-- it belongs to no account. A person is user_id, else anonymous_id.
-- Repeated message ids were skipped as duplicates when the table was read.
-- The calls come from the warehouse tables (v_tracks, v_groups) and the Spec messages
-- (v_messages) alike: the messages are made rows of the tables' shape first, so one set of
-- rules reads both.

-- Messages that are no track or group call (identify, page, screen, alias) feed no usage.
insert into csa_ledger
select _source_file, _line, 'skipped', 'type', 'NOT_USAGE', 'not a track or group call', null
from v_messages
where type not in ('track', 'group');

-- A track call names its event, a group call its group (the tables require the columns).
insert into csa_ledger
select _source_file, _line, 'quarantined', missing, 'TYPE', missing || ': missing', null
from (
    select _source_file, _line,
        case when type = 'track' and event is null then 'event'
            when type = 'group' and nullif(trim("groupId"), '') is null then 'groupId' end
            as missing
    from v_messages
)
where missing is not null;

create or replace temp view csa_segment_track_calls as
select id, anonymous_id, user_id, event, "timestamp", context_group_id, _source_file, _line
from v_tracks
union all
select "messageId", "anonymousId", "userId", event, "timestamp",
    json_extract_string(context, '$.groupId'), _source_file, _line
from v_messages
where type = 'track' and event is not null;

create or replace temp view csa_segment_group_calls as
select id, group_id, anonymous_id, user_id, "timestamp", _source_file, _line
from v_groups
union all
select "messageId", "groupId", "anonymousId", "userId", "timestamp", _source_file, _line
from v_messages
where type = 'group' and nullif(trim("groupId"), '') is not null;

create or replace temp table csa_segment_groups as
select coalesce(user_id, anonymous_id) as person, group_id, "timestamp" as called_at
from csa_segment_group_calls
where coalesce(user_id, anonymous_id) is not null;

insert into csa_usage_events
select
    _source_file,
    _line,
    event,
    occurred_at,
    person,
    account_id,
    case when person is null or account_id is null then 'context_group_id' end,
    case when person is null then 'no user_id and no anonymous_id'
        when account_id is null
        then 'no account: no context_group_id and no group call of ' || csa_quote(person)
            || ' at or before the event' end
from (
    -- An event that names its account (context_group_id) needs no group call: only the
    -- others are joined to the latest group call of their person as of the event.
    select
        _source_file,
        _line,
        event,
        "timestamp" as occurred_at,
        coalesce(user_id, anonymous_id) as person,
        nullif(trim(context_group_id), '') as account_id
    from csa_segment_track_calls
    where nullif(trim(context_group_id), '') is not null
    union all
    select
        tracks._source_file,
        tracks._line,
        tracks.event,
        tracks."timestamp" as occurred_at,
        coalesce(tracks.user_id, tracks.anonymous_id) as person,
        groups.group_id as account_id
    from (
        select * from csa_segment_track_calls where nullif(trim(context_group_id), '') is null
    ) as tracks
    asof left join csa_segment_groups as groups
        on coalesce(tracks.user_id, tracks.anonymous_id) = groups.person
        and tracks."timestamp" >= groups.called_at
);

-- Every readable group call informed the accounts.
insert into csa_used
select _source_file, _line from csa_segment_group_calls;
