"""The dbt side of the export contract, generated: `python -m orchestration.dbt_contract`
(`make dbt-sources`).

- `models/staging/<source>/_<source>__sources.yml`: every raw table of `contract.py` (the
  exports and their version histories) as a dbt source with its Dagster asset key and columns.
- `macros/export_staging_models.sql`: the staging model of every export, read from the dbt
  graph (the one model under models/staging that selects from the export's source), for
  int_as_of_date. dbt resolves `ref()` while parsing, before its `graph` variable is filled,
  so the list must be written down; it is written here, from the manifest, not by hand.

tests/test_dbt_contract.py fails when a committed file differs from what this writes, or when
a staging model's columns and types drift from the contract.
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.config import DBT_PROJECT_DIR, Settings
from orchestration.contract import EXPORTS, ExportFile
from orchestration.loading.metadata_tables import LINEAGE_COLUMNS
from orchestration.project import dbt_project, dbt_resource

HEADER = "# Generated from orchestration/contract.py by `make dbt-sources`: edit the contract."
LINEAGE_DESCRIPTIONS = {
    "_drop_date": "Export date of the drop this row came from.",
    "_source_file": "The file of that drop the row was read from.",
    "_source_line": "The row's line in that file.",
    "_loaded_at": "When the loader wrote the row.",
}
MACRO_PATH = DBT_PROJECT_DIR / "macros" / "export_staging_models.sql"


class ContractError(ValueError):
    """The dbt project does not match the contract; the message names the export."""


def sources_path(source: str) -> Path:
    return DBT_PROJECT_DIR / "models" / "staging" / source / f"_{source}__sources.yml"


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _table(name: str, description: str, export: ExportFile) -> list[str]:
    lines = [
        f"      - name: {name}",
        f"        description: {_text(description)}",
        "        meta:",
        "          dagster:",
        f"            asset_key: {json.dumps(['raw', export.name])}",
        "        columns:",
    ]
    for column in export.columns:
        lines += [
            f"          - name: {column.name}",
            f"            data_type: {column.type.lower()}",
        ]
        if column.personal_data:
            lines += [
                f"            description: {_text('Personal data: staging does not select it.')}",
                "            meta: {personal_data: true}",
            ]
    for name in LINEAGE_COLUMNS:
        lines += [
            f"          - name: {name}",
            f"            description: {_text(LINEAGE_DESCRIPTIONS[name])}",
        ]
    return lines


def sources_yaml(source: str) -> str:
    exports = [export for export in EXPORTS if export.source == source]
    description = (
        f"Raw {source} exports loaded by the Dagster raw assets (orchestration/assets/raw.py): "
        "raw.<export> holds one row per primary key, the latest drop's"
    )
    if any(export.keeps_versions for export in exports):
        description += "; raw.<export>__versions every version a drop delivered"
    lines = [HEADER, "version: 2", "", "sources:", f"  - name: {source}", "    schema: raw"]
    lines += [f"    description: {_text(description + '.')}", "    tables:"]
    for export in exports:
        lines += _table(export.name, export.description, export)
    for export in (export for export in exports if export.keeps_versions):
        history = (
            f"Every version of raw.{export.name} a drop delivered (the loader appends each "
            f"drop's rows; raw.{export.name} keeps only the latest)."
        )
        lines += _table(export.versions_table, history, export)
    return "\n".join(lines) + "\n"


def source_files() -> dict[Path, str]:
    sources = dict.fromkeys(export.source for export in EXPORTS)
    return {sources_path(source): sources_yaml(source) for source in sources}


def staging_model(manifest: dict, export: ExportFile) -> str:
    """The name of the one staging model that selects from `export`'s dbt source."""
    source_id = f"source.cs_analytics.{export.source}.{export.name}"
    if source_id not in manifest["sources"]:
        raise ContractError(
            f"export {export.name}: no dbt source {source_id}: run make dbt-sources"
        )
    readers = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["fqn"][1:2] == ["staging"]
        and source_id in node["depends_on"]["nodes"]
    ]
    if len(readers) != 1:
        raise ContractError(
            f"export {export.name}: {len(readers)} staging models select from "
            f"source('{export.source}', '{export.name}') ({', '.join(readers) or 'none'}); "
            f"exactly one must, in models/staging/{export.source}/"
        )
    return readers[0]


def staging_models_macro(manifest: dict) -> str:
    names = ",\n".join(f"        {_text(staging_model(manifest, e))}" for e in EXPORTS)
    return (
        "{#- Generated by `make dbt-sources` (orchestration/dbt_contract.py) from the dbt graph:\n"
        "    the staging model of every export of orchestration/contract.py, in its order. -#}\n"
        "{% macro export_staging_models() -%}\n"
        f"    {{{{ return([\n{names},\n    ]) }}}}\n"
        "{%- endmacro %}\n"
    )


def _write(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(DBT_PROJECT_DIR.parent)}")
    return True


def main() -> None:
    for path, text in source_files().items():
        _write(path, text)
    dbt = dbt_resource(Settings.from_env())
    # The sources first, so that a staging model of a new export parses; then the graph.
    dbt.parse()
    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    if _write(MACRO_PATH, staging_models_macro(manifest)):
        dbt.parse()


if __name__ == "__main__":
    main()
