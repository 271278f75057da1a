"""Settings of the demo data generator and the calendar they imply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from demo.timeline import day_number, month_number
from orchestration.contract import EXPORTS_BY_NAME

DROP_INTERVAL_DAYS = 7
CRM_FORMATS = ("contract", "salesforce")
HELPDESK_FORMATS = ("contract", "zendesk")
SURVEY_FORMATS = ("contract", "delighted")
BILLING_FORMATS = ("contract", "stripe")
STRIPE_FILES = ("csv", "parquet")
USAGE_FORMATS = ("contract", "segment", "amplitude")


@dataclass(frozen=True)
class Calendar:
    """The simulated period in day numbers (days from 1970-01-01): `months` calendar months
    from `start` to `end`, and the days of the export drops."""

    start: int
    end: int
    months: int
    drops: np.ndarray

    @property
    def start_month(self) -> int:
        """Month number (demo.timeline) of the first simulated month."""
        return int(month_number(np.array(self.start)))

    def month_index(self, days: np.ndarray) -> np.ndarray:
        """The simulated month of each day, 0 .. months - 1 (clipped at both ends)."""
        return np.clip(month_number(days) - self.start_month, 0, self.months - 1)


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate: `accounts` companies simulated over the `months` calendar months that
    end with `end_date`, written as `drops` weekly export drops (the last one on `end_date`).
    """

    out: Path
    accounts: int = 2000
    months: int = 36
    drops: int = 4
    seed: int = 42
    end_date: date = date(2026, 10, 31)
    dirty: bool = True
    cp932_files: tuple[str, ...] = field(default_factory=tuple)
    progress: bool = False
    # `salesforce`: accounts, cs_reps, cs_activities (and support_tickets, unless the help
    # desk is zendesk) as Salesforce's Data Export in <drop>/salesforce/ (demo/salesforce.py).
    crm_format: str = "contract"
    # `zendesk`: support_tickets as Zendesk's incremental export in <drop>/zendesk/
    # (demo/zendesk.py).
    helpdesk_format: str = "contract"
    # `delighted`: nps_responses as Delighted's API responses (demo/delighted.py).
    survey_format: str = "contract"
    # `stripe`: the billing exports as Stripe's tables in <drop>/stripe/ (demo/stripe.py),
    # written as `stripe_files` (csv or parquet).
    billing_format: str = "contract"
    stripe_files: str = "csv"
    # `segment`: product_usage_daily as Segment's tracks table (demo/segment.py);
    # `amplitude`: as Amplitude's Export API NDJSON (demo/amplitude.py).
    usage_format: str = "contract"

    def __post_init__(self) -> None:
        for name in ("accounts", "months", "drops"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be 1 or more, got {getattr(self, name)}")
        if self.crm_format not in CRM_FORMATS:
            raise ValueError(
                f"CRM format {self.crm_format!r} is not one of {', '.join(CRM_FORMATS)}"
            )
        if self.helpdesk_format not in HELPDESK_FORMATS:
            raise ValueError(
                f"help desk format {self.helpdesk_format!r} is not one of "
                f"{', '.join(HELPDESK_FORMATS)}"
            )
        if self.survey_format not in SURVEY_FORMATS:
            raise ValueError(
                f"survey format {self.survey_format!r} is not one of {', '.join(SURVEY_FORMATS)}"
            )
        if self.billing_format not in BILLING_FORMATS:
            raise ValueError(
                f"billing format {self.billing_format!r} is not one of {', '.join(BILLING_FORMATS)}"
            )
        if self.stripe_files not in STRIPE_FILES:
            raise ValueError(
                f"Stripe files are {' or '.join(STRIPE_FILES)}, not {self.stripe_files}"
            )
        if self.usage_format not in USAGE_FORMATS:
            raise ValueError(
                f"usage format {self.usage_format!r} is not one of {', '.join(USAGE_FORMATS)}"
            )
        unknown = sorted(set(self.cp932_files) - set(EXPORTS_BY_NAME))
        if unknown:
            raise ValueError(
                f"unknown export(s) for cp932: {', '.join(unknown)} "
                f"(known: {', '.join(EXPORTS_BY_NAME)})"
            )

    @property
    def start_date(self) -> date:
        """First day of the first simulated month."""
        index = self.end_date.year * 12 + self.end_date.month - self.months
        return date(index // 12, index % 12 + 1, 1)

    def drop_dates(self) -> list[date]:
        """Weekly export dates ending at `end_date`: the first drop is a full snapshot, the
        later ones hold what changed since the previous drop."""
        return [
            self.end_date - timedelta(days=DROP_INTERVAL_DAYS * back)
            for back in range(self.drops - 1, -1, -1)
        ]

    def calendar(self) -> Calendar:
        """The simulated period and the drop days, as day numbers."""
        drops = np.array([day_number(day) for day in self.drop_dates()])
        return Calendar(day_number(self.start_date), day_number(self.end_date), self.months, drops)

    def encoding_of(self, export: str) -> str:
        """The file encoding of one export: cp932 when asked for, else UTF-8."""
        return "cp932" if export in self.cp932_files else "utf-8"
