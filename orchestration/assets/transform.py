"""dbt models (staging, intermediate, marts) as Dagster assets; dbt tests become asset checks."""

import shutil
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import redirect_stdout
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslatorSettings, dbt_assets
from dagster_dbt.dagster_dbt_translator import DagsterDbtTranslator

from orchestration.assets.parquet import RAW_PARQUET_KEY
from orchestration.operations.retries import TRANSIENT_RETRY, retry_only_lock_errors
from orchestration.project import DbtCli, dbt_project

KEPT_DBT_INVOCATIONS = 30


def prune_dbt_invocations(
    target: Path, pattern: str, keep: int = KEPT_DBT_INVOCATIONS
) -> list[Path]:
    """dagster-dbt gives every dbt step its own folder under target/ (log, run results,
    compiled SQL: about 10 MB); keep the newest `keep` so nightly runs do not fill the disk."""
    folders = sorted(
        (path for path in target.glob(pattern) if path.is_dir()),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)
    return folders[keep:]


class CsAnalyticsTranslator(DagsterDbtTranslator):
    """dbt sources are the raw assets; models that read a source also wait for `raw_parquet`,
    the Parquet copy of raw that the Spark engine's sources read (docs/spark.md)."""

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id, {})
        reads_a_source = any(
            upstream.startswith("source.")
            for upstream in node.get("depends_on", {}).get("nodes", [])
        )
        if node.get("resource_type") == "model" and reads_a_source:
            return spec.merge_attributes(deps=[RAW_PARQUET_KEY])
        return spec


translator = CsAnalyticsTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_source_tests_as_checks=True,
        # raw.<export> and raw.<export>__versions are both written by the raw asset of the export.
        enable_duplicate_source_asset_keys=True,
    )
)


def built_key(context: dg.AssetExecutionContext, event: object) -> dg.AssetKey | None:
    """The model a dbt event reports built, if it is a materialization."""
    if isinstance(event, dg.Output):
        return context.assets_def.keys_by_output_name[event.output_name]
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return None


def fail_on_unbuilt(selected: AbstractSet[dg.AssetKey], built: AbstractSet[dg.AssetKey]) -> None:
    """Fails naming each selected model that dbt's event stream never reported as built.

    dbt exits 0 only when every selected node succeeded, so a model missing here lost its
    result event (on Spark, the console progress bar once landed on the same line as
    `marts.accounts`' JSON event): Dagster would skip everything downstream of it and still
    call the run a success."""
    missing = sorted(key.to_user_string() for key in selected - built)
    if missing:
        raise dg.Failure(
            description=f"dbt build succeeded, but its event stream reported no result for "
            f"{len(missing)} selected model(s): {', '.join(missing)}. Something else wrote on "
            "dbt's output and broke those events; the assets downstream were not built.",
            metadata={"models_without_result": dg.MetadataValue.json(missing)},
            allow_retries=False,
        )


class DbtProgress:
    """Logs how many of the step's models and tests dbt has finished, at each quarter."""

    def __init__(self, context: dg.AssetExecutionContext, quarters: int = 4) -> None:
        self.context = context
        self.total = len(context.selected_asset_keys) + len(context.selected_asset_check_keys)
        self.done = 0
        self.marks = {self.total * quarter // quarters for quarter in range(1, quarters)}

    def count(self, event: object) -> None:
        if isinstance(event, dg.Output | dg.AssetMaterialization | dg.AssetCheckResult):
            self.done += 1
            if self.done in self.marks:
                self.context.log.info(f"dbt build: {self.done} of {self.total} models and tests")


def dbt_output_file(context: dg.AssetExecutionContext) -> Path:
    """Where the step writes dbt's console output: beside the run's compute logs."""
    folder = Path(context.instance.storage_directory()) / context.run_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{context.op.name}.dbt.log"


def build_events(context: dg.AssetExecutionContext, dbt: DbtCli) -> Iterator[object]:
    """dbt build's Dagster events; dbt's own console lines (one per node, which dagster-dbt
    writes on stdout) go to a file instead of the run's console."""
    output = dbt_output_file(context)
    context.log.info(f"dbt build started; dbt's own output: {output}")
    progress = DbtProgress(context)
    with output.open("w", encoding="utf-8") as log, redirect_stdout(log):
        for event in dbt.cli(dbt.build_args(), context=context).stream():
            progress.count(event)
            yield event


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool="duckdb",
    retry_policy=TRANSIENT_RETRY,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCli):
    """Builds and tests every dbt model; a failing test blocks the models downstream of it."""
    built: set[dg.AssetKey] = set()
    # A failing test is not retried; a DuckDB lock held by another process is.
    try:
        with retry_only_lock_errors():
            for event in build_events(context, dbt):
                if (key := built_key(context, event)) is not None:
                    built.add(key)
                yield event
    finally:
        target = Path(dbt_project.project_dir) / dbt_project.target_path
        removed = prune_dbt_invocations(target, f"{context.op.name}-*")
        if removed:
            context.log.info(f"Removed {len(removed)} old dbt target folder(s) from {target}")
    fail_on_unbuilt(context.selected_asset_keys, built)
