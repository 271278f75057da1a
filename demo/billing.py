"""Billing exports of one account as versions: customers, subscription items and invoices.

A version is (known_on, key, row): the day the billing system knew that state of the record.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np

from demo.model import Item, Life, Profile
from demo.timeline import add_months, month_end, office_time, styled

Version = tuple[date, str, tuple[object, ...]]
TAX = {"JPY": Decimal("1.10"), "USD": Decimal(1)}  # consumption tax on domestic sales
CREDIT_NOTE_SHARE = 0.7  # items ended mid-period that get the unused part credited
VOID_SHARE = 0.008


def customer_versions(
    rng: np.random.Generator, life: Life, account_id: str | None, currency: str
) -> list[Version]:
    """billing_customers.csv rows; `account_id` None makes them unmapped."""
    versions = []
    for customer_id, created_on in life.customers.items():
        created = office_time(rng, created_on)
        email = f"billing@{customer_id}.example.jp"
        row = (customer_id, account_id, currency, email, styled(created, rng.random()))
        versions.append((created_on, customer_id, row))
    return versions


def item_versions(life: Life) -> list[Version]:
    """Each item as started (no end known), then, once it ended, with `ended_on`."""
    versions = []
    for item in life.items:
        versions.append((item.started_on, item.item_id, item.row(None)))
        if item.ended_on is not None:
            versions.append((item.ended_on, item.item_id, item.row(item.ended_on)))
    return versions


def _amount(value: Decimal, currency: str) -> Decimal:
    return value.quantize(Decimal(1) if currency == "JPY" else Decimal("0.01"))


def _due(issued: date, currency: str) -> date:
    """Japanese customers pay at the end of the next month (翌月末払い), others in 30 days."""
    return month_end(add_months(issued, 1)) if currency == "JPY" else issued + timedelta(days=30)


class InvoiceBook:
    """Invoices of one account: one per billing period of every paid item, credit notes for
    the unused part of items that end mid-period, then paid, late, void or written off."""

    def __init__(self, rng: np.random.Generator, profile: Profile, end: date) -> None:
        self.rng, self.profile, self.end = rng, profile, end
        self.versions: list[Version] = []
        self.count = 0

    def add_item(self, item: Item) -> None:
        """Every billing period of one paid item that starts on or before the end date."""
        months = item.plan.billing_period_months
        currency = item.plan.currency
        net = item.quantity * item.unit_price * (1 - item.discount_pct / 100)
        total = _amount(net * TAX[currency], currency)
        stop = item.ended_on or self.end + timedelta(days=1)
        starts: list[date] = []
        while (start := add_months(item.started_on, len(starts) * months)) < stop:
            starts.append(start)
            self.invoice(item.customer_id, start, currency, total)
        next_start = add_months(item.started_on, len(starts) * months)
        ended_mid_period = item.ended_on is not None and next_start > item.ended_on
        if ended_mid_period and self.rng.random() < CREDIT_NOTE_SHARE:
            unused = Decimal((next_start - item.ended_on).days) / (next_start - starts[-1]).days
            self.credit_note(item.customer_id, item.ended_on, currency, -total * unused)

    def _new(self, customer_id: str, issued: date, currency: str) -> tuple[str, tuple]:
        self.count += 1
        invoice_id = f"in-{self.profile.key}-{self.count:04d}"
        return invoice_id, (invoice_id, customer_id, issued, _due(issued, currency), currency)

    def credit_note(self, customer_id: str, issued: date, currency: str, total: Decimal) -> None:
        """A negative invoice, applied (paid) at once."""
        invoice_id, head = self._new(customer_id, issued, currency)
        at = styled(datetime.combine(issued, time(12)), self.rng.random())
        row = (*head, _amount(total, currency), "paid", at, at)
        self.versions.append((issued, invoice_id, row))

    def invoice(self, customer_id: str, issued: date, currency: str, total: Decimal) -> None:
        """An invoice issued open, then settled as the account's health suggests."""
        invoice_id, head = self._new(customer_id, issued, currency)
        head = (*head, total)
        roll = self.rng.random()
        issued_at = office_time(self.rng, issued)
        self.versions.append((issued, invoice_id, (*head, "open", None, styled(issued_at, roll))))
        health = self.profile.health_at(issued)
        outcome = self.rng.random()
        unpaid = 0.004 + 0.05 * (1 - health) ** 2
        if outcome < VOID_SHARE:
            status, at = "void", issued_at + timedelta(days=int(self.rng.integers(1, 4)))
        elif outcome < VOID_SHARE + unpaid:
            if self.rng.random() < 0.4:
                return  # still open, past due
            written_off = timedelta(days=int(self.rng.integers(100, 150)))
            status, at = "uncollectible", issued_at + written_off
        else:
            status, at = "paid", issued_at + timedelta(days=self._payment_days(health), hours=2)
        paid_at = styled(at, roll) if status == "paid" else None
        self.versions.append((at.date(), invoice_id, (*head, status, paid_at, styled(at, roll))))

    def _payment_days(self, health: float) -> int:
        if self.rng.random() < 0.04 + 0.25 * (1 - health):
            return int(self.rng.integers(35, 95))  # late
        return int(self.rng.integers(1, 30))
