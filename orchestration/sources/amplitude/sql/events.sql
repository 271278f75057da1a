-- Amplitude events -> csa_usage_events (aggregated by usage/sql/daily.sql).
-- A person is user_id, else device_id. The account: the name under the configured group
-- type in the event's `groups` (a text, or an array of one name), else (with $inherit) the
-- one of the same person's latest earlier event in the drop that has it. An event with
-- neither, or in several groups of the type, is skipped: it belongs to no one account.
-- A uuid given again was skipped as a duplicate when the table was read.

-- A $insert_id given again (the sender's deduplication id: one event sent twice): the later
-- file by name, then the later line, wins; the other copies are skipped as duplicates.
create or replace temp table csa_amplitude_events as
select *,
    case when "$insert_id" is not null then row_number() over copies end as _copy,
    first_value(_source_file) over copies as _winner_file,
    first_value(_line) over copies as _winner_line
from v_events
window copies as (partition by "$insert_id" order by _source_file desc, _line desc);

insert into csa_ledger
select _source_file, _line, 'skipped', '$insert_id', 'DUPLICATE',
    'duplicate $insert_id ' || csa_quote("$insert_id") || '; ' || _winner_file || ' record '
        || _winner_line || ' wins',
    null
from csa_amplitude_events
where _copy > 1;

create or replace temp table csa_amplitude_named as
select _source_file, _line, event_type, event_time, person, grouped,
    case json_type(grouped)
        when 'ARRAY' then case when json_array_length(grouped) = 1
            then nullif(trim(grouped ->> '$[0]'), '') end
        when 'OBJECT' then null
        else nullif(trim(grouped ->> '$'), '')
    end as own_account,
    coalesce(json_type(grouped) = 'ARRAY' and json_array_length(grouped) > 1, false) as several
from (
    select *, coalesce(user_id, device_id) as person,
        json_extract(groups, $group_path) as grouped
    from csa_amplitude_events
    where coalesce(_copy, 1) = 1
);

insert into csa_usage_events
select _source_file, _line, event_type, event_time, person, account_id,
    case when person is null then 'user_id, device_id'
        when account_id is null then 'groups' end,
    case when person is null then 'no user_id and no device_id'
        when several then 'groups.' || $group_type || ' names '
            || json_array_length(grouped) || ' groups: the event is in no one account'
        when account_id is null then 'no account: no groups.' || $group_type
            || case when $inherit then ' and no earlier event of ' || csa_quote(person)
                || ' with one' else '' end
    end
from (
    select events.*,
        case when not events.several
            then coalesce(events.own_account, case when $inherit then earlier.own_account end)
        end as account_id
    from csa_amplitude_named as events
    asof left join (
        select person, event_time, own_account from csa_amplitude_named
        where own_account is not null and person is not null
    ) as earlier
        on events.person = earlier.person and events.event_time >= earlier.event_time
);
