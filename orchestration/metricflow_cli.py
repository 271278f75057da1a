"""MetricFlow's `mf` with the pipeline's settings: `python -m orchestration.metricflow_cli <mf
command and flags>` (`make metrics MF='query --metrics nrr_pct --group-by ...'`).

`mf` reads the dbt project and profiles.yml of its working directory (or of DBT_PROJECT_DIR and
DBT_PROFILES_DIR), the semantic manifest `dbt parse` writes to target/semantic_manifest.json,
and the warehouse through the profile. This runs it on this repo's dbt project with the
variables profiles.yml reads from Settings (the same warehouse as the pipeline's dbt steps),
after the same parse as `make dbt-parse`, from any working directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from orchestration.config import DBT_PROJECT_DIR, ConfigurationError, Settings
from orchestration.prepare import prepare_dbt

MF_EXECUTABLE = str(Path(sys.executable).parent / "mf")


def run_mf(
    settings: Settings,
    args: Sequence[str],
    *,
    capture: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`mf <args>` on the parsed project with `settings`' warehouse (`extra_env` last), its
    output captured or on this process's console."""
    env = {
        **os.environ,
        **settings.dbt_environment(),
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        **(extra_env or {}),
    }
    return subprocess.run(
        [MF_EXECUTABLE, *args],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=capture,
        text=True,
        check=False,
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        settings = Settings.from_env()
    except ConfigurationError as error:  # a setting to fix, not a bug: no traceback
        sys.exit(f"cs-analytics: {error}")
    prepare_dbt(settings)
    return run_mf(settings, args).returncode


if __name__ == "__main__":
    raise SystemExit(main())
