"""The demo company: every account simulated in turn and streamed into the export drops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from tqdm import tqdm

from demo import billing, crm, helpdesk, reference
from demo.config import GeneratorConfig
from demo.dirty import dirty_layouts, write_unreadable_rows
from demo.life import simulate_life
from demo.model import Life, Profile
from demo.reps import CsTeam
from demo.usage import UsageRenderer
from demo.writer import DropWriter
from orchestration.contract import EXPORTS

BATCH_ACCOUNTS = 500  # accounts simulated between two flushes to disk
ACCOUNTS_PER_UNMAPPED = 400  # billing customers created without a CRM account


@dataclass(frozen=True)
class GenerationSummary:
    """What a run wrote: the drop dates and the rows of every export per drop."""

    out: Path
    drops: list[str]
    rows_written: dict[str, dict[str, int]]

    def total_rows(self) -> int:
        """All rows of all files of all drops."""
        return sum(sum(per_drop.values()) for per_drop in self.rows_written.values())

    def table(self) -> str:
        """Rows per export and drop, as a plain-text table."""
        lines = [f"{'export':<24}" + "".join(f"{drop:>12}" for drop in self.drops)]
        for export in EXPORTS:
            counts = self.rows_written[export.name]
            lines.append(f"{export.name:<24}" + "".join(f"{counts[d]:>12,}" for d in self.drops))
        return "\n".join(lines)


class World:
    """Calendar, team and writers shared by every account of one run."""

    def __init__(self, config: GeneratorConfig) -> None:
        self.config = config
        self.start, self.end = config.start_date, config.end_date
        self.months = config.months
        drops = config.drop_dates()
        self.team = CsTeam.hire(self.rng(0), config.accounts, self.start, drops)
        self.usage = UsageRenderer(self.start, self.end, drops)
        encodings = {name: config.encoding_of(name) for name in config.cp932_files}
        layouts = dirty_layouts(len(drops), encodings) if config.dirty else {}
        self.writer = DropWriter(config, layouts)
        self.first_account: crm.Account | None = None

    def rng(self, *stream: int) -> np.random.Generator:
        """An independent random stream per account (or purpose), fixed by the seed."""
        return np.random.default_rng([self.config.seed, *stream])

    def add_account(self, index: int) -> None:
        """Simulate account `index` and write everything it did."""
        rng, writer, end = self.rng(1, index), self.writer, self.end
        account = crm.draw_account(rng, index, self.team, self.start, end, self.months)
        profile = account.profile
        life = simulate_life(rng, profile, end)
        writer.write_versions("accounts", account.versions(rng))
        self.add_billing(rng, profile, life, account.account_id)
        writer.write_versions("onboarding_milestones", crm.milestones(rng, account, life, end))
        writer.write_versions("cs_activities", crm.activities(rng, account, life, end))
        writer.write_versions("nps_responses", helpdesk.nps(rng, account, life, end))
        writer.write_versions("support_tickets", helpdesk.tickets(rng, account, life, end))
        for drop, text, rows in self.usage.render(rng, account.account_id, profile, life):
            writer.write_text("product_usage_daily", drop, text, rows)
        self.first_account = self.first_account or account

    def add_billing(
        self, rng: np.random.Generator, profile: Profile, life: Life, account_id: str | None
    ) -> None:
        """Billing customers, subscription items and invoices of one life."""
        customers = billing.customer_versions(rng, life, account_id, profile.currency)
        self.writer.write_versions("billing_customers", customers)
        self.writer.write_versions("subscription_items", billing.item_versions(life))
        book = billing.InvoiceBook(rng, profile, self.end)
        for item in life.items:
            if not item.is_trial:
                book.add_item(item)
        self.writer.write_versions("invoices", book.versions)

    def add_unmapped(self, number: int) -> None:
        """A billing customer nobody linked to a CRM account (its `account_id` is empty)."""
        rng = self.rng(2, number)
        signup = self.start + timedelta(days=int((self.end - self.start).days * rng.random()))
        health = np.full(self.months, 0.8)
        profile = Profile(f"u{number:04d}", "smb", "JPY", signup, health, self.start)
        self.add_billing(rng, profile, simulate_life(rng, profile, self.end), None)

    def add_reference(self) -> None:
        """Price book, CS reps and exchange rates, whole in every drop."""
        since = self.team.known_since
        self.writer.write_snapshots("plans", reference.plan_versions(since))
        self.writer.write_snapshots("cs_reps", self.team.versions())
        rates = reference.fx_versions(self.rng(3), self.start, self.end)
        self.writer.write_snapshots("fx_rates", rates)


def generate(config: GeneratorConfig) -> GenerationSummary:
    """Simulate the company and write `config.drops` drops into `config.out`."""
    world = World(config)
    unmapped = max(2, config.accounts // ACCOUNTS_PER_UNMAPPED)
    with tqdm(
        total=config.accounts, unit="acct", desc="accounts", disable=not config.progress
    ) as bar:
        for first in range(1, config.accounts + 1, BATCH_ACCOUNTS):
            last = min(first + BATCH_ACCOUNTS, config.accounts + 1)
            for index in range(first, last):
                world.add_account(index)
                bar.update()
            world.writer.flush()
    for number in range(1, unmapped + 1):
        world.add_unmapped(number)
    world.add_reference()
    if config.dirty and world.first_account:
        sample = world.first_account
        write_unreadable_rows(world.writer, sample.account_id, sample.created.date())
    world.writer.flush()
    drops = [day.isoformat() for day in config.drop_dates()]
    return GenerationSummary(config.out, drops, world.writer.rows_written)
