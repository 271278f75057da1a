"""Prepares the dbt manifest Dagster reads: `python -m orchestration.prepare`.

It parses with the same vars and environment as the pipeline's `dbt build`, so the build can
reuse the parse. `dbt parse` does not open the warehouse, so this is safe while a run is going on.
A parse is skipped when nothing it reads changed since the last one (the project's files, the
vars and variables dbt gets, the dbt version): `make run`, the test session and the benchmark
start with it, and even a parse that finds nothing changed costs dbt's whole start (about 5 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.metadata import version
from pathlib import Path

from orchestration.config import ConfigurationError, Settings
from orchestration.project import PARSE_FINGERPRINT_FILE, dbt_project, dbt_resource

# Written by dbt and dagster-dbt, not read by a parse.
NOT_PARSED = {"target", "logs", "dbt_packages"}


def parse_fingerprint(settings: Settings, project_dir: Path) -> str:
    """Changes whenever `dbt parse` could produce another manifest."""
    digest = hashlib.sha256()
    inputs = {
        "dbt": [version("dbt-core"), version("dbt-duckdb")],
        "vars": settings.dbt_vars(),
        "environment": settings.dbt_environment(),
        "dbt_variables": {k: v for k, v in os.environ.items() if k.startswith("DBT_")},
    }
    digest.update(json.dumps(inputs, sort_keys=True).encode())
    for path in sorted(project_dir.rglob("*")):
        relative = path.relative_to(project_dir)
        if relative.parts[0] in NOT_PARSED or not path.is_file():
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def prepare_dbt(settings: Settings) -> bool:
    """`dbt parse` unless the last parse had the same inputs; whether it parsed."""
    project_dir = Path(dbt_project.project_dir)
    target = project_dir / dbt_project.target_path
    marker = target / PARSE_FINGERPRINT_FILE
    fingerprint = parse_fingerprint(settings, project_dir)
    prepared = (target / "manifest.json").exists() and (target / "partial_parse.msgpack").exists()
    if prepared and marker.exists() and marker.read_text() == fingerprint:
        return False
    dbt_resource(settings).parse()  # drops the old fingerprint first
    marker.write_text(fingerprint)
    return True


def main() -> None:
    try:
        prepare_dbt(Settings.from_env())
    except ConfigurationError as error:  # a setting to fix, not a bug: no traceback
        sys.exit(f"cs-analytics: {error}")


if __name__ == "__main__":
    main()
