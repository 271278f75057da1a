"""What the product-analytics vendors (Segment, Amplitude) share: the options naming the
login and key-feature events, and the per-account-day aggregation with its bookkeeping.

A vendor's SQL fills `csa_usage_events`, one row per event it read (file, line, event name,
instant, person, account, or why the event is skipped); `sql/daily.sql` then makes
`product_usage_daily` of it: one row per account and day in the reporting time zone,
`active_users` the distinct persons, `logins` and `key_feature_events` the configured events.
"""

from __future__ import annotations

from pydantic import Field

from orchestration.sources.conversion import ConversionContext, define_reporting_day
from orchestration.sources.statements import run_script, sql_file
from orchestration.sources.vendor import SourceOptions

EVENTS_DDL = """create or replace temp table csa_usage_events (
    _source_file varchar, _line bigint,
    event varchar,          -- the event's name, compared with the configured ones
    occurred_at timestamptz,
    person varchar,         -- a user, else the anonymous visitor or device
    account_id varchar,
    skip_columns varchar,   -- an event that belongs to no account: the fields it lacks ...
    skip_reason varchar     -- ... and why (NULL: the event counts)
)"""


class UsageOptions(SourceOptions):
    login_events: list[str] = Field(
        default_factory=lambda: ["signed_in", "logged_in"],
        description="event names (Segment `event`, Amplitude `event_type`) counted as logins",
    )
    key_feature_events: list[str] = Field(
        default_factory=list, description="event names that count as uses of the key features"
    )


def daily_usage(context: ConversionContext, events_sql: str, **params: object) -> None:
    """Run the vendor's `events_sql` (it fills `csa_usage_events`; `params` are its bound
    values), then aggregate into `csa_vendor_rows` with the ledger of skipped events."""
    connection = context.connection
    options = context.options
    assert isinstance(options, UsageOptions)
    define_reporting_day(connection, context.reporting_timezone)
    connection.execute(EVENTS_DDL)
    run_script(connection, events_sql, **params)
    run_script(
        connection,
        sql_file(__package__, "daily"),
        login_events=options.login_events,
        key_feature_events=options.key_feature_events,
    )
