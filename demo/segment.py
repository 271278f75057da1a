"""`--usage-format segment`: the same company's product usage as Segment's `tracks` table.

Each drop's `product_usage_daily.csv` becomes `segment/tracks.parquet` (Segment's warehouse
column names) of the events of demo/usage_events.py, the account as `context_group_id`.
"""

from __future__ import annotations

from pathlib import Path

from demo.usage_events import write_usage_events

FOLDER = "segment"
_TRACKS = """copy (
    select id, cast(null as varchar) as anonymous_id, user_id, event,
        coalesce(cast(occurred_at as varchar), unreadable) as timestamp,
        account_id as context_group_id
    from events order by id
) to ? (format parquet)"""


def write_segment(out: Path) -> None:
    """Replace every drop's product_usage_daily.csv in `out` by Segment's tracks."""
    write_usage_events(out, FOLDER, "tracks.parquet", _TRACKS, {})
