"""Segment's warehouse tables (segmentio/segment-docs, warehouses/schema.md): `tracks` (every
track call; `id` is the message id) and `groups` (group calls: which account a user is in);
and `messages`, the same calls as Segment Spec messages in NDJSON files (one message per
line, Segment's camelCase field names). Only the columns the conversion reads are listed; the
tables and messages have many more."""

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
    # Spec messages, any type (track and group are read, the others skipped), one per line
    # of `*.ndjson` / `*.jsonl` files (gzipped or not): names no warehouse table file can
    # have (`tracks.csv`, `groups.parquet`). `messageId` is the id `tracks.id` copies.
    VendorTable(
        "messages",
        "product_usage_daily",
        ("messageId",),
        (
            VendorColumn("messageId"),
            VendorColumn("type"),
            VendorColumn("event", required=False),  # track calls only
            VendorColumn("userId", required=False),
            VendorColumn("anonymousId", required=False),
            VendorColumn("groupId", required=False),  # group calls only
            VendorColumn("timestamp", Kind.UTC_TIMESTAMP),
            VendorColumn("context", Kind.JSON, required=False),  # context.groupId: the account
        ),
        duplicates_skipped=True,
        files=("*.ndjson", "*.ndjson.gz", "*.jsonl", "*.jsonl.gz"),
    ),
)
