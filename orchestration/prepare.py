"""Prepares the dbt manifest Dagster reads: `python -m orchestration.prepare`.

It parses with the same vars and environment as the pipeline's `dbt build`, so the build can
reuse the parse. `dbt parse` does not open the warehouse, so this is safe while a run is going on.
"""

from __future__ import annotations

import sys

from orchestration.config import ConfigurationError, Settings
from orchestration.project import dbt_resource


def prepare_dbt(settings: Settings) -> None:
    dbt_resource(settings).parse()


def main() -> None:
    try:
        prepare_dbt(Settings.from_env())
    except ConfigurationError as error:  # a setting to fix, not a bug: no traceback
        sys.exit(f"cs-analytics: {error}")


if __name__ == "__main__":
    main()
