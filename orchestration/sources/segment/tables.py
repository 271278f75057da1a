"""Segment's warehouse tables (segmentio/segment-docs, warehouses/schema.md): `tracks` (every
track call; `id` is the message id) and `groups` (group calls: which account a user is in).
Only the columns the conversion reads are listed; the tables have many more."""

from __future__ import annotations

from orchestration.sources.vendor import Kind, VendorColumn, VendorTable

TABLES: tuple[VendorTable, ...] = (
    VendorTable(
        "tracks",
        "product_usage_daily",
        ("id",),
        (
            VendorColumn("id"),
            VendorColumn("anonymous_id", required=False),
            VendorColumn("user_id", required=False),
            VendorColumn("event"),
            VendorColumn("timestamp", Kind.UTC_TIMESTAMP),
            VendorColumn("context_group_id", required=False),
        ),
        duplicates_skipped=True,
    ),
    VendorTable(
        "groups",
        "product_usage_daily",
        ("id",),
        (
            VendorColumn("id"),
            VendorColumn("group_id"),
            VendorColumn("anonymous_id", required=False),
            VendorColumn("user_id", required=False),
            VendorColumn("timestamp", Kind.UTC_TIMESTAMP),
        ),
        duplicates_skipped=True,
    ),
)
