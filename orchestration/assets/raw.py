"""Raw load assets: one per export file of the contract, built by one factory."""

from pathlib import Path

import dagster as dg

from orchestration.contract import EXPORTS, ExportFile
from orchestration.loading.csv_file import ExportFileError
from orchestration.loading.discovery import Unread, holds_exports, not_read
from orchestration.loading.drops import COMPLETE_MARKER, LandingScan, scan_landing
from orchestration.loading.loader import load_export
from orchestration.loading.metadata_tables import DropLoad, any_load
from orchestration.loading.vendor_load import VendorLoading
from orchestration.operations.retries import TRANSIENT_RETRY, retry_only_lock_errors
from orchestration.resources import WarehouseResource
from orchestration.sources.tables import VendorFileError
from orchestration.sources.yaml_marks import YamlFileError
from orchestration.sql import qualified

RAW_GROUP = "raw"


def raw_asset_key(export: ExportFile) -> dg.AssetKey:
    return dg.AssetKey(["raw", export.name])


def _load_metadata(
    export: ExportFile,
    loads: list[DropLoad],
    row_count: int,
    scan: LandingScan,
    unread: list[Unread],
) -> dict:
    extra = sorted({column for load in loads for column in load.extra_columns})
    return {
        "drops_loaded": dg.MetadataValue.json([load.drop_date for load in loads]),
        "rows_read": sum(load.rows_read for load in loads),
        "rows_loaded": sum(load.rows_loaded for load in loads),
        "rows_quarantined": sum(load.rows_quarantined for load in loads),
        "rows_skipped": sum(load.rows_skipped for load in loads),
        "source_files": dg.MetadataValue.json(sorted({load.source_file for load in loads})),
        "warnings": sum(len(load.warnings) for load in loads),
        "table_rows": row_count,
        "extra_columns_ignored": dg.MetadataValue.json(extra),
        "not_read": dg.MetadataValue.json([entry.line for entry in unread]),
        "incomplete_drops": dg.MetadataValue.json(list(scan.incomplete_folders)),
        "dagster/row_count": row_count,
        "dagster/relation_identifier": f"raw.{export.name}",
    }


def _nothing_to_build(landing: Path, scan: LandingScan, unread: list[Unread]) -> dg.Failure:
    found = "; ".join(entry.line for entry in unread[:5]) or "nothing"
    waiting = (
        f"; drop(s) {', '.join(scan.incomplete_folders)} still wait for their {COMPLETE_MARKER} "
        "marker"
        if scan.incomplete_folders
        else ""
    )
    return dg.Failure(
        description=f"No export drop in the landing folder {landing} (CSA_LANDING_DIR) and "
        "nothing loaded before: a drop is a folder named YYYY-MM-DD holding export files such "
        f"as accounts.csv. Found: {found}{waiting}.",
        allow_retries=False,
    )


# A conversion's warnings beyond this many per file are counted, not logged (raw._warnings
# holds them all).
LOGGED_WARNINGS = 50


def _not_retried(error: Exception, path: Path | None) -> dg.Failure:
    """A contract or configuration violation: retrying cannot fix it."""
    return dg.Failure(
        description=str(error),
        metadata={"file": str(path)} if path else {},
        allow_retries=False,
    )


def _load(
    context: dg.AssetExecutionContext, export: ExportFile, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    landing = warehouse.settings.landing_folder
    try:
        loading = VendorLoading.from_settings(warehouse.settings)
        scan = scan_landing(landing)
        unread = not_read(landing, scan, loading.sources)
    except (YamlFileError, VendorFileError) as error:
        raise _not_retried(error, getattr(error, "path", None)) from error
    for entry in unread:
        context.log.warning(f"Landing {landing}: {entry.line}")
    for folder in scan.incomplete_folders:
        context.log.info(f"Drop {folder} has no {COMPLETE_MARKER} yet: left for a later run.")

    def report(load: DropLoad) -> None:
        skipped = f", skipped {load.rows_skipped}" if load.rows_skipped else ""
        context.log.debug(
            f"{export.name} drop {load.drop_date} {load.source_file}: read {load.rows_read}, "
            f"loaded {load.rows_loaded}, quarantined {load.rows_quarantined}{skipped}"
        )
        for warning in load.warnings[:LOGGED_WARNINGS]:
            context.log.warning(f"{export.name} drop {load.drop_date}: {warning}")
        if len(load.warnings) > LOGGED_WARNINGS:
            context.log.warning(
                f"{export.name} drop {load.drop_date} {load.source_file}: "
                f"{len(load.warnings) - LOGGED_WARNINGS} more warning(s) in raw._warnings"
            )

    with warehouse.session() as connection:
        if not holds_exports(scan, loading.sources) and not any_load(connection):
            raise _nothing_to_build(landing, scan, unread)
        encoding = warehouse.settings.encoding_for(export.name)
        try:
            loads = load_export(connection, export, scan.drops, encoding, report, loading)
        except (ExportFileError, VendorFileError) as error:
            raise _not_retried(error, error.path) from error
        (row_count,) = connection.execute(
            f"select count(*) from {qualified('raw', export.name)}"
        ).fetchone()
    context.log.info(_load_line(export, loads, row_count))
    return dg.MaterializeResult(metadata=_load_metadata(export, loads, row_count, scan, unread))


def _load_line(export: ExportFile, loads: list[DropLoad], row_count: int) -> str:
    """The export's console line: what this run loaded, summed over its drops and files."""
    if not loads:
        return f"{export.name}: no new drop; raw.{export.name} holds {row_count:,} rows"
    drops = len({load.drop_date for load in loads})
    read = sum(load.rows_read for load in loads)
    loaded = sum(load.rows_loaded for load in loads)
    quarantined = sum(load.rows_quarantined for load in loads)
    skipped = sum(load.rows_skipped for load in loads)
    return (
        f"{export.name}: {drops} drop(s), read {read:,}, loaded {loaded:,}, "
        f"quarantined {quarantined:,}"
        + (f", skipped {skipped:,}" if skipped else "")
        + f"; raw.{export.name} holds {row_count:,} rows"
    )


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
