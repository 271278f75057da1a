"""What the demo's product-analytics formats share (Segment, Amplitude): each drop's
`product_usage_daily.csv` turned into events, one table in DuckDB, never row by row.

Per account and day, `logins` `signed_in` events spread over `active_users` users (every user
signs in at least once: the demo's logins are never fewer than its active users) and
`key_feature_events` `report_created` events, at noon of the day in Tokyo. A row the
contract loader could not read (a dirty row) becomes one event whose time says so, which the
load quarantines too. The landing's sources.yml names the two events.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from demo.vendor_landing import SOURCE_ZONE, add_source

LOGIN, KEY_FEATURE = "signed_in", "report_created"
OPTIONS = {"login_events": [LOGIN], "key_feature_events": [KEY_FEATURE]}

_USAGE = (
    "create table usage as select *, try_cast(usage_date as date) as day, "
    "try_cast(active_users as integer) as users, try_cast(logins as integer) as signins, "
    "try_cast(key_feature_events as integer) as features "
    "from read_csv(?, header = true, all_varchar = true, auto_detect = false, "
    "columns = {'account_id': 'VARCHAR', 'usage_date': 'VARCHAR', "
    "'active_users': 'VARCHAR', 'logins': 'VARCHAR', 'key_feature_events': 'VARCHAR'})"
)
_READABLE = "day is not null and users > 0 and signins >= users and features >= 0"
# `events`: id, user_id, event, occurred_at (the instant; NULL for a dirty row), unreadable
# (the text a dirty row's time is written as), account_id.
_EVENTS = f"""create table events as
    select account_id || '-' || usage_date || '-' || n as id,
        'u-' || account_id || '-' || (n % users) as user_id,
        case when n < signins then '{LOGIN}' else '{KEY_FEATURE}' end as event,
        timezone(?, day + interval 12 hour) as occurred_at,
        cast(null as varchar) as unreadable,
        account_id
    from usage, range(signins + features) as r(n)
    where {_READABLE}
    union all
    select 'unreadable-' || usage_date || '-' || active_users, 'u-' || account_id, '{LOGIN}',
        null, 'unreadable usage row: ' || usage_date || ', ' || active_users, account_id
    from usage where not coalesce({_READABLE}, false)"""


def write_usage_events(out: Path, folder: str, file_name: str, copy_sql: str, entry: dict) -> None:
    """Replace every drop's product_usage_daily.csv in `out` by `<drop>/<folder>/<file_name>`
    (`{drop}` in it: the drop's date), written by `copy_sql` (`copy (select ... from events)
    to ?`), and add `entry` (with the event options) to sources.yml."""
    for drop in sorted(p for p in out.iterdir() if p.is_dir()):
        contract = drop / "product_usage_daily.csv"
        if not contract.exists():
            continue
        (drop / folder).mkdir()
        with duckdb.connect() as connection:
            connection.execute(_USAGE, [str(contract)])
            connection.execute(_EVENTS, [SOURCE_ZONE.key])
            target = drop / folder / file_name.format(drop=drop.name)
            connection.execute(copy_sql, [str(target)])
        contract.unlink()
    add_source(out, folder, {**entry, **OPTIONS})
