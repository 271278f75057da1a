"""Segment (warehouse `tracks` and `groups` tables, as Parquet or CSV, and Spec messages
as NDJSON): product usage per account and day. Rules and sources: docs/sources.md, section
Segment."""

from __future__ import annotations

from orchestration.sources.conversion import Conversion, ConversionContext
from orchestration.sources.segment.tables import TABLES
from orchestration.sources.statements import sql_file
from orchestration.sources.usage import UsageOptions, daily_usage
from orchestration.sources.vendor import Vendor


class SegmentOptions(UsageOptions):
    """login_events and key_feature_events name tracks' `event` values."""


def product_usage_daily(context: ConversionContext) -> None:
    daily_usage(context, sql_file(__package__, "usage"))


VENDOR = Vendor(
    "segment",
    TABLES,
    SegmentOptions,
    {"product_usage_daily": Conversion(("tracks", "groups", "messages"), product_usage_daily)},
)
