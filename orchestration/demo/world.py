"""The demo company: accounts, billing and everything they do, written as export drops."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from tqdm import tqdm

from orchestration.demo import activity, catalog
from orchestration.demo.config import GeneratorConfig
from orchestration.demo.dirty import make_dirty
from orchestration.demo.subscriptions import PLAN_BY_ID, Life, simulate_life
from orchestration.demo.writer import DropWriter


@dataclass(frozen=True)
class GenerationSummary:
    drops: list[str]
    rows_written: dict[str, dict[str, int]]

    def total_rows(self) -> int:
        return sum(sum(per_drop.values()) for per_drop in self.rows_written.values())


def _name(rng: np.random.Generator, index: int, english: bool) -> str:
    if english:
        return f"{rng.choice(catalog.ENGLISH_NAMES)} {index}, Inc."
    prefix = "㈱" if rng.random() < 0.1 else "株式会社"
    return f"{prefix}{rng.choice(catalog.NAME_STEMS)}{rng.choice(catalog.NAME_SUFFIXES)}{index}"


def _invoice_versions(item, currency: str, end: date, rng) -> list:
    """One invoice per billing period of a paid item: issued (open), then paid."""
    versions, months = [], PLAN_BY_ID[item.plan_id][4]
    period, n = item.started_on, 0
    stop = min(item.ended_on or end, end)
    while period < stop and period <= end:
        n += 1
        invoice_id = f"inv-{item.item_id}-{n}"
        total = round(item.quantity * item.unit_price * (1 - item.discount_pct / 100) * 1.1, 2)
        issued_at = datetime.combine(period, time(9))
        due = period + timedelta(days=30)
        roll = rng.random()
        base = (invoice_id, item.customer_id, period, due, currency, total)
        versions.append((period, invoice_id, (*base, "open", None, issued_at)))
        if roll < 0.96:
            paid = issued_at + timedelta(days=int(rng.integers(1, 45)))
            versions.append((paid.date(), invoice_id, (*base, "paid", paid, paid)))
        elif roll < 0.98:
            written_off = issued_at + timedelta(days=60)
            versions.append(
                (written_off.date(), invoice_id, (*base, "uncollectible", None, written_off))
            )
        year, month = divmod(period.year * 12 + period.month - 1 + months, 12)
        period = date(year, month + 1, min(period.day, 28))
    return versions


def generate(config: GeneratorConfig) -> GenerationSummary:
    """Simulate the company and write `config.drops` drops into `config.out`."""
    rng = np.random.default_rng(config.seed)
    drops, start, end = config.drop_dates(), config.start_date, config.end_date
    writer = DropWriter(config.out, drops, {name: "cp932" for name in config.cp932_files})
    n_reps = max(3, config.accounts // 80)
    reps = [f"csm-{i:03d}" for i in range(1, n_reps + 1)]
    active_reps = reps[: max(1, n_reps - 2)]
    versioned: dict[str, list] = {
        e: []
        for e in (
            "accounts",
            "billing_customers",
            "subscription_items",
            "invoices",
            "support_tickets",
        )
    }
    span = (end - start).days - 10
    for index in tqdm(range(1, config.accounts + 1), desc="accounts", unit="acct", leave=False):
        account_id = f"acc-{index:06d}"
        usd = rng.random() < 0.15
        currency = "USD" if usd else "JPY"
        size = str(rng.choice(catalog.COMPANY_SIZES, p=catalog.COMPANY_SIZE_WEIGHTS))
        signup = start + timedelta(days=int(span * np.sqrt(rng.random())))
        created = datetime.combine(signup - timedelta(days=int(rng.integers(1, 20))), time(10))
        csm = str(rng.choice(active_reps))
        row = [
            account_id,
            _name(rng, index, usd),
            str(rng.choice(catalog.INDUSTRIES)),
            size,
            "US" if usd else "JP",
            csm,
            created,
            created,
        ]
        versioned["accounts"].append((created.date(), account_id, tuple(row)))
        if rng.random() < 0.05:  # the account changes hands later
            moved = created + timedelta(days=int(rng.integers(30, 400)))
            row[5], row[7] = str(rng.choice(active_reps)), moved
            versioned["accounts"].append((moved.date(), account_id, tuple(row)))
        customer_id = f"cus-{index:06d}"
        mapped = rng.random() > 0.005
        versioned["billing_customers"].append(
            (
                created.date(),
                customer_id,
                (
                    customer_id,
                    account_id if mapped else None,
                    currency,
                    f"billing@{account_id}.example.jp",
                    created,
                ),
            )
        )
        low, high = catalog.SEATS_BY_SIZE[size]
        plan = str(
            rng.choice(catalog.PRIMARY_PLANS[currency], p=catalog.PRIMARY_PLAN_WEIGHTS[currency])
        )
        health = float(rng.beta(5, 2))
        life: Life = simulate_life(
            rng,
            index,
            customer_id,
            plan,
            int(rng.integers(low, high)),
            signup,
            end,
            churn_hazard=0.005 + 0.04 * (1 - health),
        )
        second = f"{customer_id}-b" if rng.random() < 0.03 else None
        if second:
            versioned["billing_customers"].append(
                (
                    created.date(),
                    second,
                    (second, account_id, currency, f"ap@{account_id}.example.jp", created),
                )
            )
        for item in life.items:
            if second and PLAN_BY_ID[item.plan_id][1] != "invoicing":
                item.customer_id = second
            known = min(item.started_on, end)
            versioned["subscription_items"].append((known, item.item_id, item.row(as_known=True)))
            if item.ended_on is not None:
                versioned["subscription_items"].append((item.ended_on, item.item_id, item.row()))
            if not item.is_trial:
                versioned["invoices"] += _invoice_versions(item, currency, end, rng)
        versioned["support_tickets"] += activity.ticket_versions(rng, account_id, life, health, end)
        activity.write_usage(writer, rng, account_id, life, health)
        activity.write_nps(writer, rng, account_id, life, health, end)
        activity.write_activities(writer, rng, account_id, csm, life, end)
        activity.write_onboarding(writer, rng, account_id, life, end)
    for export, versions in versioned.items():
        writer.versions(export, versions)
    _write_reference(writer, rng, reps, active_reps, start, end)
    writer.close()
    if config.dirty and len(drops) >= 2:
        make_dirty(config.out, drops)
    return GenerationSummary(
        [d.isoformat() for d in drops], {k: dict(v) for k, v in writer.rows_written.items()}
    )


def _write_reference(writer, rng, reps, active_reps, start: date, end: date) -> None:
    """Price book, CS reps and monthly USD/JPY rates, re-sent whole in every drop."""
    first = start - timedelta(days=60)
    writer.full_copy("plans", [(first, plan) for plan in catalog.PLANS])
    writer.full_copy(
        "cs_reps",
        [
            (
                first,
                (
                    rep,
                    f"担当者 {rep}",
                    str(rng.choice(catalog.TEAMS)),
                    int(rng.integers(40, 90)) * 100,
                    rep in active_reps,
                ),
            )
            for rep in reps
        ],
    )
    rates, day, rate = [], date(first.year, first.month, 1), 150.0
    while day <= end:
        rates.append((day, (day, "USD", "JPY", round(rate, 4))))
        rate = float(np.clip(rate + rng.normal(0, 2.5), 130, 170))
        day = (day + timedelta(days=32)).replace(day=1)
    writer.full_copy("fx_rates", rates)


def prepare_output(config: GeneratorConfig, replace: bool) -> None:
    if config.out.exists():
        if not replace:
            raise SystemExit(f"{config.out} exists; pass --replace to overwrite it")
        shutil.rmtree(config.out)
    config.out.mkdir(parents=True)
