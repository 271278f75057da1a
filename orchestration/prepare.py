"""Prepares the dbt manifest Dagster reads: `python -m orchestration.prepare`.

It parses with the same vars and environment as the pipeline's `dbt build`, so the build can
reuse the parse (dbt re-parses everything when vars or the profile change: ~10 s).
`dbt parse` does not open the warehouse, so this is safe while a run is going on.
"""

from __future__ import annotations

import json
import subprocess

from orchestration.config import DBT_EXECUTABLE, DBT_PROJECT_DIR, Settings


def prepare_dbt(settings: Settings) -> None:
    settings.publish()
    subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--vars",
            json.dumps(settings.dbt_vars(), sort_keys=True),
        ],
        cwd=DBT_PROJECT_DIR,
        check=True,
        timeout=600,
    )


def main() -> None:
    prepare_dbt(Settings.from_env())


if __name__ == "__main__":
    main()
