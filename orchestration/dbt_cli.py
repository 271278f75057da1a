"""dbt with the pipeline's settings: `python -m orchestration.dbt_cli <dbt command and flags>`.

For the dbt commands a user runs by hand (`make docs`): the same vars and profile variables
as the pipeline's dbt steps, so nothing is re-parsed and the same warehouse is opened.
"""

from __future__ import annotations

import sys

from orchestration.config import Settings
from orchestration.project import dbt_project, dbt_resource


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dbt = dbt_resource(Settings.from_env())
    invocation = dbt.cli(
        [*args, *dbt.vars_args()], target_path=dbt_project.target_path, raise_on_error=False
    )
    for event in invocation.stream_raw_events():
        message = event.raw_event.get("info", {}).get("msg")
        if message:
            print(message, flush=True)
    return 0 if invocation.is_successful() else 1


if __name__ == "__main__":
    raise SystemExit(main())
