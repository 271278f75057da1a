"""The run's console: one line per finished step, the assets' own messages, warnings and errors.

Dagster's default console logger prints every event of a run at DEBUG (about 600 lines for the
demo); the event log in the Dagster instance and the UI keeps all of them whatever the console
shows, so the console keeps only what a person watching a run acts on."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

import dagster as dg

# Dagster initialises a job's own loggers only for the loggers its run config names.
RUN_CONSOLE_CONFIG = {"loggers": {"console": {}}}

# A step's end is logged at DEBUG by Dagster, yet it is the progress line of a run.
QUIET_STEP_MS = 1000
STEP_END_EVENTS = {"STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}


def _dagster_event(record: logging.LogRecord):
    return (getattr(record, "dagster_meta", None) or {}).get("dagster_event")


def _duration_ms(record: logging.LogRecord) -> float:
    return getattr(_dagster_event(record).event_specific_data, "duration_ms", None) or 0.0


def _step_end(record: logging.LogRecord) -> str | None:
    event = _dagster_event(record)
    return STEP_END_EVENTS.get(event.event_type_value) if event is not None else None


class RunConsoleFilter(logging.Filter):
    """Passes the messages the assets log themselves at `level` or above, every framework event
    at WARNING or above, and the end of a step that failed or was skipped. A step that succeeded
    gets a line of its own only when it said nothing and took a second or more: the twenty-odd
    checks that pass in a tenth of a second each are the check summary's business."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level
        self.steps_that_spoke: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        step = (getattr(record, "dagster_meta", None) or {}).get("step_key")
        outcome = _step_end(record)
        if outcome == STEP_END_EVENTS["STEP_SUCCESS"]:
            return step not in self.steps_that_spoke and _duration_ms(record) >= QUIET_STEP_MS
        if outcome is not None or record.levelno >= logging.WARNING:
            return True
        if record.levelno >= self.level and _dagster_event(record) is None:
            self.steps_that_spoke.add(step)
            return True
        return False


def _failure_reason(record: logging.LogRecord) -> str:
    """`: <description>` of a step failure (a dg.Failure's description, else the error)."""
    data = _dagster_event(record).event_specific_data
    user_failure = getattr(data, "user_failure_data", None)
    error = getattr(data, "error", None)
    if user_failure is not None and user_failure.description:
        return f": {user_failure.description}"
    if error is not None:
        return f": {error.message.strip()}"
    return ""


class RunConsoleFormatter(logging.Formatter):
    """`05:44:49  raw__accounts  done (0.8 s)` or `05:44:49  raw__accounts  <message>`."""

    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, "dagster_meta", None) or {}
        clock = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        source = meta.get("step_key") or meta.get("job_name") or "run"
        outcome = _step_end(record)
        if outcome is None:
            text = meta.get("orig_message") or record.getMessage()
            if record.levelno >= logging.WARNING:
                text = f"{record.levelname}: {text}"
            return f"{clock}  {source}  {text}"
        duration = _duration_ms(record)
        took = f" ({duration / 1000:.1f} s)" if duration else ""
        return f"{clock}  {source}  {outcome}{took}{_failure_reason(record)}"


@dg.logger(
    config_schema={
        "log_level": dg.Field(
            str, default_value="INFO", description="lowest level of the assets' own messages"
        )
    },
    description="One line per finished step, the assets' messages, warnings and errors.",
)
def run_console(init_context: dg.InitLoggerContext) -> logging.Logger:
    level = logging.getLevelName(init_context.logger_config["log_level"].upper())
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RunConsoleFilter(level))
    handler.setFormatter(RunConsoleFormatter())
    console = logging.Logger("cs_analytics_console", level=logging.DEBUG)
    console.addHandler(handler)
    return console
