"""The built-in vendors, by folder name. The next vendor is one more entry here."""

from __future__ import annotations

from orchestration.sources import amplitude, segment, stripe
from orchestration.sources.vendor import SourceOptions, Vendor

VENDORS: dict[str, Vendor] = {
    vendor.name: vendor for vendor in (stripe.VENDOR, segment.VENDOR, amplitude.VENDOR)
}


def options_model(name: str) -> type[SourceOptions] | None:
    """The schema of source `name`'s entry in sources.yml; None for a name no vendor has.
    (Declared mappings, for tools without built-in support, are the other kind of entry.)"""
    vendor = VENDORS.get(name)
    return vendor.options_model if vendor else None
