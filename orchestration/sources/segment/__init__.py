"""Segment (warehouse `tracks` and `groups` tables, as Parquet or CSV): product usage per
account and day. Rules and sources: docs/sources.md, section Segment."""

from __future__ import annotations

from pydantic import Field

from orchestration.sources.conversion import Conversion, ConversionContext, define_reporting_day
from orchestration.sources.segment.tables import TABLES
from orchestration.sources.statements import run_script, sql_file
from orchestration.sources.vendor import SourceOptions, Vendor


class SegmentOptions(SourceOptions):
    login_events: list[str] = Field(
        default_factory=lambda: ["signed_in", "logged_in"],
        description="track event names (the `event` column) that count as logins",
    )
    key_feature_events: list[str] = Field(
        default_factory=list,
        description="track event names that count as uses of the key features",
    )


def product_usage_daily(context: ConversionContext) -> None:
    connection = context.connection
    define_reporting_day(connection, context.reporting_timezone)
    run_script(
        connection,
        sql_file(__package__, "usage"),
        login_events=context.options.login_events,
        key_feature_events=context.options.key_feature_events,
    )


VENDOR = Vendor(
    "segment",
    TABLES,
    SegmentOptions,
    {"product_usage_daily": Conversion(("tracks", "groups"), product_usage_daily)},
)
