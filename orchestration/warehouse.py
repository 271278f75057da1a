"""Opening the DuckDB warehouse: one writer at a time, so lock conflicts are retried."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

CONNECT_ATTEMPTS = 5
RETRY_SECONDS = 2.0


def connect(
    path: Path,
    *,
    read_only: bool = False,
    timezone: str | None = None,
    memory_limit: str | None = None,
    temp_directory: Path | None = None,
):
    """Open the warehouse, waiting for another process's lock to clear (5 tries, 2 s apart);
    beyond `memory_limit` DuckDB spills to `temp_directory`."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            connection = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or attempt == CONNECT_ATTEMPTS:
                raise
            time.sleep(RETRY_SECONDS)
    if timezone:
        connection.execute("set TimeZone = ?", [timezone])
    if memory_limit:
        connection.execute("set memory_limit = ?", [memory_limit])
    if temp_directory:
        connection.execute("set temp_directory = ?", [str(temp_directory)])
    return connection


@contextmanager
def session(
    path: Path,
    *,
    read_only: bool = False,
    timezone: str | None = None,
    memory_limit: str | None = None,
    temp_directory: Path | None = None,
) -> Iterator:
    connection = connect(
        path,
        read_only=read_only,
        timezone=timezone,
        memory_limit=memory_limit,
        temp_directory=temp_directory,
    )
    try:
        yield connection
    finally:
        connection.close()
