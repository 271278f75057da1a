"""Benchmark input: demo data at a scale, and one more daily drop for the incremental run."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from demo import GeneratorConfig, generate

END_DATE = date(2026, 10, 31)


def generate_landing(
    landing: Path,
    accounts: int,
    months: int,
    billing: str = "contract",
    stripe_files: str = "csv",
    usage: str = "contract",
) -> int:
    """Four weekly drops ending at END_DATE, the billing exports as contract files or as
    Stripe's tables (demo/stripe.py), the product usage as the contract file or as Segment's
    tracks (demo/segment.py); returns the rows written (of the contract files)."""
    config = GeneratorConfig(
        out=landing,
        accounts=accounts,
        months=months,
        end_date=END_DATE,
        billing_format=billing,
        stripe_files=stripe_files,
        usage_format=usage,
    )
    return generate(config).total_rows()


def add_daily_drop(landing: Path) -> int:
    """The next day's drop: the last day's product usage repeated one day later (usage is
    the export that grows every day), as the contract file or as Segment's tracks, whichever
    the landing has; returns its rows."""
    next_day = END_DATE + timedelta(days=1)
    folder = landing / next_day.isoformat()
    folder.mkdir(exist_ok=True)
    tracks = landing / END_DATE.isoformat() / "segment" / "tracks.parquet"
    if tracks.exists():
        return _next_day_tracks(tracks, folder / "segment" / "tracks.parquet")
    source = landing / END_DATE.isoformat() / "product_usage_daily.csv"
    with duckdb.connect() as connection:
        target = str(folder / "product_usage_daily.csv")
        connection.execute(
            """copy (
                select account_id, cast(usage_date as date) + 1 as usage_date, active_users, logins,
                       key_feature_events
                from read_csv(?, header = true, auto_detect = false,
                    columns = {'account_id': 'VARCHAR', 'usage_date': 'VARCHAR',
                               'active_users': 'VARCHAR', 'logins': 'VARCHAR',
                               'key_feature_events': 'VARCHAR'})
                where usage_date = ?
            ) to ? (header)""",
            [str(source), END_DATE.isoformat(), target],
        )
        return connection.execute("select count(*) from read_csv(?)", [target]).fetchone()[0]


def _next_day_tracks(source: Path, target: Path) -> int:
    """The tracks of the last day (demo/segment.py times a day's events alike) one day
    later, with new message ids."""
    target.parent.mkdir()
    with duckdb.connect() as connection:
        connection.execute(
            """create table tracks as
            select *, try_cast("timestamp" as timestamptz) as occurred_at from read_parquet(?)""",
            [str(source)],
        )
        connection.execute(
            """copy (
                select 'next-' || id as id, anonymous_id, user_id, event,
                       cast(occurred_at + interval 1 day as varchar) as "timestamp",
                       context_group_id
                from tracks where occurred_at = (select max(occurred_at) from tracks)
            ) to ? (format parquet)""",
            [str(target)],
        )
        query = "select count(*) from read_parquet(?)"
        return connection.execute(query, [str(target)]).fetchone()[0]
