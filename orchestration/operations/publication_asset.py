"""The `analytics_publication` asset: the marts, published for analysts after every gate."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.config import Settings
from orchestration.marts_reader import marts_session
from orchestration.operations.publish import (
    PARQUET_FOLDER,
    PUBLISHED_SCHEMA,
    STORAGE_VERSION,
    publication_folder,
    publish_tables,
)
from orchestration.operations.retries import TRANSIENT_RETRY
from orchestration.resources import WarehouseResource

MARTS_GROUP = "marts"


def mart_keys(dbt_assets: dg.AssetsDefinition) -> list[dg.AssetKey]:
    """Every dbt model in group `marts`, read from the manifest at definition time."""
    groups = dbt_assets.group_names_by_key
    return sorted(key for key in dbt_assets.keys if groups.get(key) == MARTS_GROUP)


def publication_deps(dbt_assets: dg.AssetsDefinition) -> list[dg.AssetKey]:
    """The marts; in a project without marts yet, every dbt model, so it still runs last."""
    return mart_keys(dbt_assets) or sorted(dbt_assets.keys)


def build_publication_asset(dbt_assets: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """Downstream of all marts, so a failed model or blocking check means no publication."""

    tables = [key.path[-1] for key in mart_keys(dbt_assets)]

    @dg.asset(
        key="analytics_publication",
        group_name="reports",
        kinds={"duckdb"},
        deps=publication_deps(dbt_assets),
        pool="duckdb",
        retry_policy=TRANSIENT_RETRY,
        owners=["team:data-engineering"],
        tags={"audience": "analysts"},
    )
    def analytics_publication(
        context: dg.AssetExecutionContext, settings: Settings, warehouse: WarehouseResource
    ):
        """Copies the marts schema to the analysts' DuckDB file (readable by DuckDB 1.4) and to
        one Parquet file per mart beside it, and switches both in atomically."""
        target = settings.publication_path
        with marts_session(warehouse, settings, read_only=False) as connection:
            counts = publish_tables(connection, target, tables)
            # Fold the WAL into the warehouse file: WAL replay after a crash has had bugs.
            connection.execute("checkpoint")
        parquet = publication_folder(target) / PARQUET_FOLDER
        context.log.info(
            f"Published {len(counts)} tables of `{PUBLISHED_SCHEMA}` to {target} and {parquet}."
        )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(target)),
                "parquet_folder": dg.MetadataValue.path(str(parquet)),
                "storage_version": STORAGE_VERSION,
                "tables": dg.MetadataValue.json(sorted(counts)),
                "row_counts": dg.MetadataValue.json(counts),
                "published_at": dg.MetadataValue.timestamp(datetime.now(UTC)),
                "dagster/row_count": sum(counts.values()),
            }
        )

    return analytics_publication
