"""Finding export drops in the landing folder: `<landing>/<YYYY-MM-DD>/<export>.csv`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_DROP_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The convention of Hadoop/Spark exporters: the file is written last, after every export file
# of the drop is closed, so its presence means the drop folder is complete.
COMPLETE_MARKER = "_SUCCESS"


@dataclass(frozen=True)
class Drop:
    drop_date: date
    path: Path


@dataclass(frozen=True)
class LandingScan:
    drops: tuple[Drop, ...]  # the drops to read
    ignored_folders: tuple[str, ...]  # not named YYYY-MM-DD: never read
    incomplete_folders: tuple[str, ...] = ()  # no marker yet, in a landing that uses markers


def _drop_date(name: str) -> date | None:
    if not _DROP_NAME.match(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def is_complete(drop: Drop) -> bool:
    return (drop.path / COMPLETE_MARKER).is_file()


def scan_landing(landing_dir: Path) -> LandingScan:
    """Drop folders in date order; folders whose name is not a valid date are reported, not read.

    A landing folder whose exporter writes `_SUCCESS` markers (any drop holds one) has its
    drops read only once complete: a drop without the marker is still being written and waits
    for a later run. A landing without any marker (files copied in by hand) is read whole."""
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
    drops.sort(key=lambda d: d.drop_date)
    if any(is_complete(drop) for drop in drops):
        incomplete = tuple(drop.path.name for drop in drops if not is_complete(drop))
        return LandingScan(tuple(d for d in drops if is_complete(d)), tuple(ignored), incomplete)
    return LandingScan(tuple(drops), tuple(ignored))
