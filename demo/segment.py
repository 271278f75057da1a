"""`--usage-format segment`: the same company's product usage as Segment's `tracks` table.

Each drop's `product_usage_daily.csv` becomes `segment/tracks.parquet` (Segment's warehouse
column names): per account and day, `logins` `signed_in` events spread over
`active_users` users (every user signs in at least once: the demo's logins are never fewer
than its active users) and `key_feature_events` `report_created` events, at noon of the day
in Tokyo, the account as `context_group_id`. A row the contract loader could not read (a
dirty row) becomes one track whose timestamp says so, which the load quarantines too.
sources.yml names the two events. Everything in DuckDB, never row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from demo.vendor_landing import SOURCE_ZONE, add_source

FOLDER = "segment"


def write_segment(out: Path) -> None:
    """Replace every drop's product_usage_daily.csv in `out` by Segment's tracks."""
    for drop in sorted(p for p in out.iterdir() if p.is_dir()):
        contract = drop / "product_usage_daily.csv"
        if not contract.exists():
            continue
        (drop / FOLDER).mkdir()
        with duckdb.connect() as connection:
            _tracks(connection, contract, drop / FOLDER / "tracks.parquet")
        contract.unlink()
    add_source(
        out, FOLDER, {"login_events": ["signed_in"], "key_feature_events": ["report_created"]}
    )


def _tracks(connection, contract: Path, target: Path) -> None:
    connection.execute(
        "create table usage as select *, try_cast(usage_date as date) as day, "
        "try_cast(active_users as integer) as users, try_cast(logins as integer) as signins, "
        "try_cast(key_feature_events as integer) as features "
        "from read_csv(?, header = true, all_varchar = true, auto_detect = false, "
        "columns = {'account_id': 'VARCHAR', 'usage_date': 'VARCHAR', "
        "'active_users': 'VARCHAR', 'logins': 'VARCHAR', 'key_feature_events': 'VARCHAR'})",
        [str(contract)],
    )
    readable = "day is not null and users > 0 and signins >= users and features >= 0"
    connection.execute(
        f"""copy (
            select account_id || '-' || usage_date || '-' || n as id,
                cast(null as varchar) as anonymous_id,
                'u-' || account_id || '-' || (n % users) as user_id,
                case when n < signins then 'signed_in' else 'report_created' end as event,
                cast(timezone(?, day + interval 12 hour) as varchar) as timestamp,
                account_id as context_group_id
            from usage, range(signins + features) as r(n)
            where {readable}
            union all
            select 'unreadable-' || usage_date || '-' || active_users, null,
                'u-' || account_id, 'signed_in',
                'unreadable usage row: ' || usage_date || ', ' || active_users, account_id
            from usage where not coalesce({readable}, false)
            order by id
        ) to ? (format parquet)""",
        [SOURCE_ZONE.key, str(target)],
    )
