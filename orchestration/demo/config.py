"""Settings of the demo data generator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate: `accounts` companies over `months` months ending at `end_date`."""

    out: Path
    accounts: int = 2000
    months: int = 36
    drops: int = 4
    seed: int = 42
    end_date: date = date(2026, 10, 31)
    dirty: bool = True
    cp932_files: tuple[str, ...] = field(default_factory=tuple)

    @property
    def start_date(self) -> date:
        year, month = divmod(self.end_date.year * 12 + self.end_date.month - 1 - self.months, 12)
        return date(year, month + 1, 1) + timedelta(days=0)

    def drop_dates(self) -> list[date]:
        """Weekly drops ending at `end_date`: the first is a full snapshot, later ones changes."""
        return [self.end_date - timedelta(days=7 * back) for back in range(self.drops - 1, -1, -1)]
