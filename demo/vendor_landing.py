"""What the demo's vendor formats share: reading a drop's contract file back, the instant
the contract loader would read from a timestamp, and the landing's sources.yml."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

SOURCE_ZONE = ZoneInfo("Asia/Tokyo")  # the demo's local time: timestamps without offset


def contract_drops(out: Path, export: str, encoding: str = "utf-8-sig") -> Iterator[tuple]:
    """(drop folder, rows with trimmed lower-case names) of each drop holding `export`'s
    file, which is then removed (its rows are written in the vendor's format instead)."""
    for drop in sorted(p for p in out.iterdir() if p.is_dir()):
        contract = drop / f"{export}.csv"
        if not contract.exists():
            continue
        with contract.open(encoding=encoding, newline="") as handle:
            rows = [
                {key.strip().lower(): value for key, value in row.items()}
                for row in csv.DictReader(handle)
            ]
        yield drop, rows
        contract.unlink()


def moment(text: str) -> datetime | str | None:
    """The instant the contract loader reads from `text` (no offset: the source zone), or
    the text itself when it is no ISO 8601 timestamp (the loader quarantines it)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    return value if value.tzinfo else value.replace(tzinfo=SOURCE_ZONE)


def write_lines(path: Path, records: list[dict]) -> None:
    """One JSON object per line (NDJSON)."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def add_source(out: Path, name: str, entry: dict) -> None:
    """Add (or replace) the entry of source `name` in the landing's sources.yml."""
    path = out / "sources.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    config = config or {"version": 1}
    config.setdefault("sources", {})[name] = entry
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
