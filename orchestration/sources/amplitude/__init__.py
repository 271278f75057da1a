"""Amplitude (the Export API's NDJSON event files, unzipped into the drop's `amplitude/`):
product usage per account and day. Rules and sources: docs/sources.md, section Amplitude."""

from __future__ import annotations

from pydantic import Field

from orchestration.sources.conversion import Conversion, ConversionContext
from orchestration.sources.ndjson import field_path
from orchestration.sources.statements import sql_file
from orchestration.sources.usage import UsageOptions, daily_usage
from orchestration.sources.vendor import Kind, Vendor, VendorColumn, VendorTable

# One record per event (amplitude.com/docs/apis/analytics/export); only the fields the
# conversion reads. `uuid` is Amplitude's id of the stored event: a uuid given again is the
# same event exported twice. `$insert_id` is the sender's id, deduplicated in the SQL.
EVENTS = VendorTable(
    "events",
    "product_usage_daily",
    ("uuid",),
    (
        VendorColumn("uuid"),
        VendorColumn("$insert_id", required=False),
        VendorColumn("event_type"),
        VendorColumn("event_time", Kind.UTC_TIMESTAMP),
        VendorColumn("user_id", required=False),
        VendorColumn("device_id", required=False),
        VendorColumn("groups", Kind.JSON, required=False),
    ),
    duplicates_skipped=True,
    files=("*.json", "*.json.gz"),
)


class AmplitudeOptions(UsageOptions):
    """login_events and key_feature_events name events' `event_type` values."""

    group_type: str = Field(
        "account", min_length=1, description="the group type in `groups` whose name is the account"
    )
    group_from_earlier_events: bool = Field(
        True,
        description="an event without the group type takes it from the same person's latest "
        "earlier event in the drop that has it",
    )


def product_usage_daily(context: ConversionContext) -> None:
    options = context.options
    assert isinstance(options, AmplitudeOptions)
    daily_usage(
        context,
        sql_file(__package__, "events"),
        group_type=options.group_type,
        group_path=field_path(options.group_type),
        inherit=options.group_from_earlier_events,
    )


VENDOR = Vendor(
    "amplitude",
    (EVENTS,),
    AmplitudeOptions,
    {"product_usage_daily": Conversion(("events",), product_usage_daily)},
)
