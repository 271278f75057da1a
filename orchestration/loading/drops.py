"""Finding export drops in the landing folder: `<landing>/<YYYY-MM-DD>/<export>.csv`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_DROP_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Drop:
    drop_date: date
    path: Path


@dataclass(frozen=True)
class LandingScan:
    drops: tuple[Drop, ...]
    ignored_folders: tuple[str, ...]


def _drop_date(name: str) -> date | None:
    if not _DROP_NAME.match(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def scan_landing(landing_dir: Path) -> LandingScan:
    """Drop folders in date order; folders whose name is not a valid date are reported, not read."""
    if not landing_dir.is_dir():
        raise FileNotFoundError(
            f"Landing folder {landing_dir} does not exist; set CSA_LANDING_DIR or run `make demo`."
        )
    drops: list[Drop] = []
    ignored: list[str] = []
    for child in sorted(landing_dir.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        drop_date = _drop_date(child.name)
        if drop_date is None:
            ignored.append(child.name)
        else:
            drops.append(Drop(drop_date, child))
    return LandingScan(tuple(sorted(drops, key=lambda d: d.drop_date)), tuple(ignored))
