"""Writing files that other processes may be reading."""

from __future__ import annotations

import os
from pathlib import Path


def partial_path(path: Path) -> Path:
    """Where `path` is written before it is renamed into place (hidden: readers such as Spark
    skip names starting with a dot)."""
    return path.with_name(f".{path.name}.writing")


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
