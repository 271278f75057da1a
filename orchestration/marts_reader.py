"""A DuckDB connection in which `marts.<table>` are the marts of the configured engine.

The analysts' copy and the KPI report read the marts through it. On DuckDB it is the warehouse
itself. On local Spark (method `session`) the marts are Parquet tables in Spark's warehouse
folder, which DuckDB reads in place; a Spark cluster keeps its tables to itself, and analysts
query its `marts` database there (docs/spark.md).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from orchestration.config import Settings
from orchestration.resources import WarehouseResource
from orchestration.sql import literal, qualified


class MartsNotReachable(RuntimeError):
    """The engine's marts cannot be read from this machine."""


@contextmanager
def marts_session(
    warehouse: WarehouseResource, settings: Settings, *, read_only: bool
) -> Iterator[duckdb.DuckDBPyConnection]:
    if settings.engine != "spark":
        with warehouse.session(read_only=read_only) as connection:
            yield connection
        return
    if settings.spark_method != "session":
        raise MartsNotReachable(
            f"CSA_ENGINE=spark with CSA_SPARK_METHOD={settings.spark_method}: the marts live on "
            "the cluster; query its `marts` database there (docs/spark.md)"
        )
    marts_dir = settings.spark_home / "warehouse" / "marts.db"
    if not marts_dir.is_dir():
        raise MartsNotReachable(f"no Spark marts at {marts_dir}: has `dbt build` run on Spark?")
    with duckdb.connect() as connection:
        connection.execute("create schema marts")
        for table in sorted(path for path in marts_dir.iterdir() if path.is_dir()):
            # A view keeps its SQL text, so DuckDB cannot prepare it: the path is a literal.
            connection.execute(
                f"create view {qualified('marts', table.name)} as "
                f"select * from read_parquet({literal(str(table / '*.parquet'))})"
            )
        yield connection
