"""A shell as a new user has it: the virtualenv never activated."""

from __future__ import annotations

import os
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def plain_shell_environment(workdir: Path) -> dict[str, str]:
    """os.environ without the virtualenv: no VIRTUAL_ENV, no .venv/bin on PATH, and every
    CSA_* path and DAGSTER_HOME in `workdir`."""
    path = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and Path(entry).resolve() != VENV_BIN.resolve()
    ]
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CSA_", "DAGSTER_", "VIRTUAL_ENV", "PYTHON"))
    }
    return env | {
        "PATH": os.pathsep.join(path),
        "DAGSTER_HOME": str(workdir / "dagster_home"),
        "CSA_LANDING_DIR": str(workdir / "landing"),
        "CSA_WAREHOUSE_PATH": str(workdir / "warehouse.duckdb"),
    }
