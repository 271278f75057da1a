"""How the report and the CLI summary write money, rates and changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.reports.formatting import format_change, format_money, format_value
from orchestration.reports.labels import labels_for


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("78291152.16806053"), "JPY", "¥78,291,152"),
        (Decimal("-891167.4"), "JPY", "-¥891,167"),
        (Decimal("1234.565"), "USD", "$1,234.57"),
        (Decimal("-0.004"), "EUR", "€0.00"),
        (Decimal("1234.5"), "chf", "1,234.50 CHF"),
    ],
)
def test_money_in_the_reporting_currency(amount: Decimal, currency: str, shown: str) -> None:
    assert format_money(amount, currency) == shown


def test_missing_values_and_changes_are_a_dash() -> None:
    assert format_value(None, "pct", "JPY") == "—"
    assert format_change(Decimal("99.2"), None, "pct", "JPY") == "—"


def test_changes_are_relative_for_money_and_points_for_rates() -> None:
    assert format_change(Decimal("110"), Decimal("100"), "money", "JPY") == "+¥10 (+10.0%)"
    assert format_change(Decimal("90"), Decimal("100"), "count", "JPY") == "-10 (-10.0%)"
    assert format_change(Decimal("5"), Decimal("0"), "count", "JPY") == "+5"
    assert format_change(Decimal("1.13"), Decimal("1.30"), "pct", "JPY") == "-0.2 pt"
    assert format_change(Decimal("2.25"), Decimal("3.63"), "ratio", "JPY") == "-1.38"


def test_every_label_exists_in_both_languages() -> None:
    assert set(labels_for("ja")) == set(labels_for("en"))
    with pytest.raises(ValueError, match="report language 'de' is not supported"):
        labels_for("de")
