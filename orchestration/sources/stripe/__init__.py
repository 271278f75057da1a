"""Stripe (Sigma query downloads as CSV, or Stripe Data Pipeline's Parquet): the billing
exports from Stripe's own tables. Rules and sources: docs/sources.md, section Stripe."""

from orchestration.sources.stripe.conversions import CONVERSIONS
from orchestration.sources.stripe.options import StripeOptions
from orchestration.sources.stripe.tables import TABLES
from orchestration.sources.vendor import Vendor

VENDOR = Vendor("stripe", TABLES, StripeOptions, CONVERSIONS)
