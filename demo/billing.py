"""Billing exports of a cohort as versions: customers, subscription items and invoices."""

from __future__ import annotations

import numpy as np

from demo.catalog import CURRENCIES, CURRENCY_EXPONENT, PLAN_CURRENCY, PLAN_IDS
from demo.cohort import Cohort
from demo.columns import Decimals, Integers
from demo.dated import Days, Moments
from demo.items import Items
from demo.labels import Flags, Labels, Text, text
from demo.life import Life
from demo.tables import Table, Versions
from demo.timeline import office_seconds, styles

CUSTOMER_SUFFIX = ("", "-2")  # an account's first billing customer, and its second


def customer_id(cohort: Cohort, account: np.ndarray, customer: np.ndarray) -> Text:
    """`cus-<key>`, or `cus-<key>-2` for the second billing customer of an account."""
    return text("cus-", *cohort.key_of(account), Labels(customer, CUSTOMER_SUFFIX))


def customers(rng: np.random.Generator, cohort: Cohort, life: Life) -> Versions:
    """billing_customers.csv; the customers of an unmapped cohort have no `account_id`."""
    account, customer = np.nonzero(life.customers >= 0)
    created_on = life.customers[account, customer]
    count = len(account)
    linked = cohort.account_id(account)
    id_ = customer_id(cohort, account, customer)
    columns = {
        "customer_id": id_,
        "account_id": linked if cohort.mapped else text(*linked.pieces, null=np.ones(count, bool)),
        "currency": Labels(cohort.currency[account], CURRENCIES),
        "email": text("billing@", *id_.pieces, ".example.jp"),
        "created_at": Moments(office_seconds(rng, created_on), styles(rng.random(count))),
    }
    return Versions(created_on, None, Table("billing_customers", columns))


def item_versions(cohort: Cohort, items: Items) -> Versions:
    """Each item as started (no end known), then, once it ended, with `ended_on`."""
    item, state = np.nonzero(np.stack([np.ones(len(items), bool), items.ended >= 0], axis=1))
    rows = items.take(item)
    currency = PLAN_CURRENCY[rows.plan]
    key = cohort.key_of(rows.account)
    columns = {
        "item_id": text("si-", *key, "-", Integers(rows.number, least=3)),
        "subscription_id": text("sub-", *key, "-", Integers(rows.subscription, least=2)),
        "customer_id": customer_id(cohort, rows.account, rows.customer),
        "plan_id": Labels(rows.plan, PLAN_IDS),
        "quantity": Integers(rows.quantity),
        "unit_price": Decimals(rows.unit_price, CURRENCY_EXPONENT[currency]),
        "discount_pct": Decimals.tenths(rows.discount),
        "started_on": Days(rows.started),
        "ended_on": Days(rows.ended, null=state == 0),
        "is_trial": Flags(rows.trial.astype(np.int64)),
    }
    known_on = np.where(state == 0, rows.started, rows.ended)
    return Versions(known_on, item, Table("subscription_items", columns))
