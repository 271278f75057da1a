"""Stripe's options in sources.yml (docs/sources.md): every one has a default."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from orchestration.sources.vendor import SourceOptions


class StripeOptions(SourceOptions):
    account_id_key: str = Field(
        "account_id",
        min_length=1,
        description="customers_metadata key whose value is the CRM account_id",
    )
    tier_key: str | None = Field(
        None,
        min_length=1,
        description="prices_metadata key whose value is the plan's tier; none: tier 1",
    )
    currency_exponents: dict[str, int] = Field(
        default_factory=dict,
        description="currencies to add to (or correct in) Stripe's list: code -> exponent",
    )

    @field_validator("currency_exponents")
    @classmethod
    def _valid_exponents(cls, value: dict[str, int]) -> dict[str, int]:
        for code, exponent in value.items():
            if not re.fullmatch(r"[A-Za-z]{3}", code):
                raise ValueError(f"{code!r} is not a three-letter currency code")
            if not 0 <= exponent <= 4:
                raise ValueError(f"{code}: exponent {exponent} is not between 0 and 4")
        return value
