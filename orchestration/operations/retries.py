"""Retrying only what is transient: DuckDB's single-writer lock held by another process."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

# DuckDB says `Could not set lock on file ...: Conflicting lock is held in <process>` when
# another process (a run, a `dbt docs generate`, an analyst on the warehouse) has the file.
_LOCK_ERROR = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)

# The warehouse connection already waits 5 x 2 s for the lock; a step that still fails waits
# 30 s, then about 60 s and 120 s (exponential, +-jitter) before giving up: about 4 minutes.
TRANSIENT_RETRY = dg.RetryPolicy(
    max_retries=3, delay=30, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def is_transient(error: BaseException) -> bool:
    """True when the error is (or was caused by) a DuckDB lock conflict."""
    while error is not None:
        if _LOCK_ERROR.search(str(error)):
            return True
        error = error.__cause__ or error.__context__
    return False


@contextmanager
def retry_only_lock_errors() -> Iterator[None]:
    """Let the step's RetryPolicy retry lock conflicts; any other failure fails at once. A
    `dg.Failure(allow_retries=False)` raised inside passes unchanged (with its metadata);
    other Failures, such as dagster-dbt's DagsterDbtCliRuntimeError, are retried no more
    than any other error."""
    try:
        yield
    except Exception as error:
        if is_transient(error):
            raise
        if isinstance(error, dg.Failure) and not error.allow_retries:
            raise
        raise dg.Failure(description=str(error), allow_retries=False) from error
