"""`--usage-format amplitude`: the same company's product usage as Amplitude's Export API.

Each drop's `product_usage_daily.csv` becomes one gzipped NDJSON file of events in
`amplitude/` (named as the export's files are, `<project>_<day>_<hour>#<n>.json.gz`), in
Amplitude's field names, of the events of demo/usage_events.py: `event_time` in UTC without
offset (`2026-06-01 03:00:00.000000`), the account as the `account` group in `groups`, a
deterministic `uuid` and `$insert_id` per event.
"""

from __future__ import annotations

from pathlib import Path

from demo.usage_events import write_usage_events

FOLDER = "amplitude"
PROJECT = "100000"
_TIME = "strftime(timezone('UTC', occurred_at), '%Y-%m-%d %H:%M:%S.%f')"
_EVENTS = f"""copy (
    select cast(cast(md5(id) as uuid) as varchar) as uuid, id as "$insert_id",
        event as event_type, coalesce({_TIME}, unreadable) as event_time,
        coalesce({_TIME}, unreadable) as server_upload_time,
        user_id, 'd-' || user_id as device_id, {{'account': account_id}} as groups
    from events order by id
) to ? (format json, compression gzip)"""


def write_amplitude(out: Path) -> None:
    """Replace every drop's product_usage_daily.csv in `out` by Amplitude's export files."""
    write_usage_events(
        out, FOLDER, PROJECT + "_{drop}_0#0.json.gz", _EVENTS, {"group_type": "account"}
    )
