"""The demo company, cohort by cohort: what every export knew, as versions (`simulate`),
written as contract drops (`generate`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from demo import billing, crm, helpdesk
from demo.activities import activities
from demo.cohort import Cohort, unmapped_cohort
from demo.config import GeneratorConfig
from demo.dirty import dirty_layouts, write_unreadable_rows
from demo.invoices import invoices
from demo.life import simulate_life
from demo.presence import presence
from demo.reference import SNAPSHOT_EXPORTS, fx_versions, plan_versions, rep_versions
from demo.reps import CsTeam
from demo.tables import Versions
from demo.timeline import to_date
from demo.usage import usage
from demo.writer import DropWriter
from orchestration.contract import EXPORTS

# Accounts simulated together. Output depends on it (each cohort has its own random stream),
# so it is fixed; 5,000 accounts over 36 months keep the largest arrays near 50 MB.
COHORT_ACCOUNTS = 5000
ACCOUNTS_PER_UNMAPPED = 400  # billing customers created without a CRM account


@dataclass(frozen=True)
class Batch:
    """Versions of every export one cohort (or the reference data) produced; `accounts`
    counts its CRM accounts."""

    accounts: int
    versions: dict[str, Versions]


def cohort_versions(
    rng: np.random.Generator, cohort: Cohort, accounts: crm.CrmAccounts | None
) -> dict[str, Versions]:
    """Everything a cohort did; billing only for customers without a CRM account."""
    life = simulate_life(rng, cohort)
    versions = {
        "billing_customers": billing.customers(rng, cohort, life),
        "subscription_items": billing.item_versions(cohort, life.items),
        "invoices": invoices(rng, cohort, life.items),
    }
    if accounts is None:
        return versions
    cells = presence(life, len(cohort), cohort.calendar.end)
    return versions | {
        "accounts": crm.account_versions(rng, cohort, accounts),
        "onboarding_milestones": crm.milestones(rng, cohort, life),
        "cs_activities": activities(rng, cohort, accounts, life.items, cells),
        "nps_responses": helpdesk.nps(rng, cohort, life, cells),
        "support_tickets": helpdesk.tickets(rng, cohort, cells),
        "product_usage_daily": usage(rng, cohort, life, cells),
    }


def simulate(config: GeneratorConfig) -> Iterator[Batch]:
    """The reference data, then every cohort of accounts, then the unmapped customers."""
    calendar = config.calendar()

    def rng(*stream: int) -> np.random.Generator:
        return np.random.default_rng([config.seed, *stream])

    team = CsTeam.hire(rng(0), config.accounts, config.start_date, config.drop_dates())
    reference = (plan_versions(team.known_since), rep_versions(team), fx_versions(rng(3), calendar))
    yield Batch(0, dict(zip(SNAPSHOT_EXPORTS, reference, strict=True)))
    for number, first in enumerate(range(1, config.accounts + 1, COHORT_ACCOUNTS)):
        count, stream = min(COHORT_ACCOUNTS, config.accounts + 1 - first), rng(1, number)
        cohort, accounts = crm.draw_cohort(stream, first, count, team, calendar)
        yield Batch(count, cohort_versions(stream, cohort, accounts))
    unmapped = max(2, config.accounts // ACCOUNTS_PER_UNMAPPED)
    for number, first in enumerate(range(1, unmapped + 1, COHORT_ACCOUNTS)):
        count, stream = min(COHORT_ACCOUNTS, unmapped + 1 - first), rng(2, number)
        cohort = unmapped_cohort(stream, first, count, calendar)
        yield Batch(0, cohort_versions(stream, cohort, None))


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


def generate(config: GeneratorConfig) -> GenerationSummary:
    """Simulate the company and write `config.drops` drops into `config.out`."""
    encodings = {name: config.encoding_of(name) for name in config.cp932_files}
    layouts = dirty_layouts(len(config.drop_dates()), encodings) if config.dirty else {}
    first_account: tuple[str, int] | None = None
    with (
        DropWriter(config, layouts) as writer,
        tqdm(
            total=config.accounts, unit="acct", desc="accounts", disable=not config.progress
        ) as bar,
    ):
        for batch in simulate(config):
            for export, versions in batch.versions.items():
                if export in SNAPSHOT_EXPORTS:
                    writer.write_snapshots(versions)
                else:
                    writer.write(versions)
            if first_account is None and "accounts" in batch.versions:
                accounts = batch.versions["accounts"]
                [account_id] = accounts.table.columns["account_id"].take(np.arange(1)).values()
                first_account = (str(account_id), int(accounts.known_on[0]))
            bar.update(batch.accounts)
        if config.dirty and first_account:
            write_unreadable_rows(writer, first_account[0], to_date(first_account[1]))
    drops = [day.isoformat() for day in config.drop_dates()]
    return GenerationSummary(config.out, drops, writer.rows_written)
