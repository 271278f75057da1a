"""Raw load assets: one per export file of the contract, built by one factory."""

import dagster as dg

from orchestration.contract import EXPORTS, ExportFile
from orchestration.loading.csv_file import ExportFileError
from orchestration.loading.drops import LandingScan, scan_landing
from orchestration.loading.loader import DropLoad, load_export
from orchestration.operations.retries import TRANSIENT_RETRY, retry_only_lock_errors
from orchestration.resources import WarehouseResource
from orchestration.sql import qualified

RAW_GROUP = "raw"


def raw_asset_key(export: ExportFile) -> dg.AssetKey:
    return dg.AssetKey(["raw", export.name])


def _load_metadata(
    export: ExportFile, loads: list[DropLoad], row_count: int, scan: LandingScan
) -> dict:
    extra = sorted({column for load in loads for column in load.extra_columns})
    return {
        "drops_loaded": dg.MetadataValue.json([load.drop_date for load in loads]),
        "rows_read": sum(load.rows_read for load in loads),
        "rows_loaded": sum(load.rows_loaded for load in loads),
        "rows_quarantined": sum(load.rows_quarantined for load in loads),
        "table_rows": row_count,
        "extra_columns_ignored": dg.MetadataValue.json(extra),
        "ignored_folders": dg.MetadataValue.json(list(scan.ignored_folders)),
        "incomplete_drops": dg.MetadataValue.json(list(scan.incomplete_folders)),
        "dagster/row_count": row_count,
        "dagster/relation_identifier": f"raw.{export.name}",
    }


def _load(
    context: dg.AssetExecutionContext, export: ExportFile, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    scan = scan_landing(warehouse.settings.landing_folder)
    for folder in scan.ignored_folders:
        context.log.warning(f"Ignored landing folder {folder!r}: not named YYYY-MM-DD.")
    for folder in scan.incomplete_folders:
        context.log.info(f"Drop {folder} has no _SUCCESS marker yet: left for a later run.")

    def report(load: DropLoad) -> None:
        context.log.info(
            f"{export.file_name} drop {load.drop_date}: read {load.rows_read}, "
            f"loaded {load.rows_loaded}, quarantined {load.rows_quarantined}"
        )

    with warehouse.session() as connection:
        try:
            loads = load_export(
                connection, export, scan.drops, warehouse.settings.encoding_for(export.name), report
            )
        except ExportFileError as error:
            raise dg.Failure(  # a contract violation: retrying cannot fix it
                description=str(error), metadata={"file": str(error.path)}, allow_retries=False
            ) from error
        (row_count,) = connection.execute(
            f"select count(*) from {qualified('raw', export.name)}"
        ).fetchone()
    return dg.MaterializeResult(metadata=_load_metadata(export, loads, row_count, scan))


def build_raw_asset(export: ExportFile) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(export),
        group_name=RAW_GROUP,
        kinds={"duckdb", "csv"},
        pool="duckdb",
        retry_policy=TRANSIENT_RETRY,
        description=f"Loads {export.file_name} from every pending drop into raw.{export.name}. "
        f"{export.description}",
        owners=["team:data-engineering"],
        tags={"source": export.source},
    )
    def _raw_asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        # Only a lock held by another process is worth the retry policy's 30/60/120 s waits.
        with retry_only_lock_errors():
            return _load(context, export, warehouse)

    return _raw_asset


raw_assets = [build_raw_asset(export) for export in EXPORTS]
