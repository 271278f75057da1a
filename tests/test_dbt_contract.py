"""The dbt project follows the export contract (orchestration/contract.py), read from the dbt
manifest: sources generated from it, the staging models' columns and types, the as-of date's
staging models. Each rule is also shown failing on a manifest with one thing changed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from orchestration import dbt_contract
from orchestration.contract import EXPORTS, RAW_TABLES, Column, ColumnType, ExportFile
from orchestration.dbt_contract import (
    MACRO_PATH,
    ContractError,
    source_files,
    sources_yaml,
    staging_model,
    staging_models_macro,
)
from orchestration.loading.metadata_tables import LINEAGE_COLUMNS
from orchestration.project import dbt_project

DBT_DIR = Path(dbt_project.project_dir)
# to_reporting_time turns an instant into local wall-clock time: TIMESTAMPTZ becomes TIMESTAMP.
STAGING_TYPES = {ColumnType.TIMESTAMP: "timestamp"}
EXPORTS_BY_TABLE = {
    **{export.name: export for export in EXPORTS},
    **{export.versions_table: export for export in EXPORTS if export.keeps_versions},
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))


def staging_type(column: Column) -> str:
    return STAGING_TYPES.get(column.type, column.type.lower())


def meta(column: dict) -> dict:
    return column.get("config", {}).get("meta") or column.get("meta") or {}


def source_problems(manifest: dict) -> list[str]:
    """Every raw table of the contract is a dbt source with its raw asset's key; no other."""
    raw = {s["name"]: s for s in manifest["sources"].values() if s["schema"] == "raw"}
    problems = [f"raw.{name}: not a table of the contract" for name in raw.keys() - RAW_TABLES]
    for table in RAW_TABLES:
        export = EXPORTS_BY_TABLE[table]
        found = raw.get(table)
        if found is None or found["source_name"] != export.source:
            problems.append(f"raw.{table}: no source('{export.source}', '{table}')")
        elif found["meta"].get("dagster", {}).get("asset_key") != ["raw", export.name]:
            problems.append(f"source {table}: asset_key is not ['raw', '{export.name}']")
    return problems


def staging_problems(manifest: dict) -> list[str]:
    """Each staging model over a raw table declares only columns of its export (or lineage),
    with the contract's type as staging gives it, never personal data; the export's own model
    declares every column that is not personal data, and _drop_date."""
    problems = []
    for node in manifest["nodes"].values():
        sources = [n for n in node["depends_on"]["nodes"] if n.startswith("source.")]
        if node["resource_type"] != "model" or node["fqn"][1] != "staging" or not sources:
            continue
        model, table = node["name"], manifest["sources"][sources[0]]["name"]
        export = EXPORTS_BY_TABLE[table]
        contract = {column.name: column for column in export.columns}
        declared = set()
        for name, column in node["columns"].items():
            if name in LINEAGE_COLUMNS:
                declared.add(name)
                continue
            # A staging model may rename a column: `meta: {contract_column: <export's name>}`.
            contract_name = meta(column).get("contract_column", name)
            expected = contract.get(contract_name)
            declared.add(contract_name)
            if expected is None:
                problems.append(f"{model}.{name}: not a column of export {export.name}")
            elif expected.personal_data:
                problems.append(f"{model}.{name}: personal data must not leave raw")
            elif column.get("data_type") != staging_type(expected):
                problems.append(
                    f"{model}.{name}: data_type {column.get('data_type')!r}, the contract's "
                    f"{expected.type.value} is {staging_type(expected)!r}"
                )
        if table == export.name:
            wanted = {c.name for c in export.columns if not c.personal_data} | {"_drop_date"}
            problems += [f"{model}: missing column {name}" for name in sorted(wanted - declared)]
    return problems


def test_sources_yaml_is_generated_from_the_contract() -> None:
    generated = source_files()
    on_disk = set(DBT_DIR.glob("models/**/_*__sources.yml"))
    assert on_disk == set(generated), "a sources file the contract does not generate"
    for path, text in generated.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} differs: run make dbt-sources"


def test_generated_sources_hold_every_raw_table_with_the_contracts_columns() -> None:
    for source in {export.source for export in EXPORTS}:
        (parsed,) = yaml.safe_load(sources_yaml(source))["sources"]
        tables = {table["name"]: table for table in parsed["tables"]}
        assert set(tables) == {t for t in RAW_TABLES if EXPORTS_BY_TABLE[t].source == source}
        for name, table in tables.items():
            export = EXPORTS_BY_TABLE[name]
            columns = {column["name"]: column for column in table["columns"]}
            assert list(columns) == [*export.column_names, *LINEAGE_COLUMNS]
            for column in export.columns:
                assert columns[column.name]["data_type"] == column.type.lower()
                assert (
                    meta(columns[column.name]).get("personal_data", False) == column.personal_data
                )


def test_a_contract_change_changes_the_generated_sources(monkeypatch) -> None:
    before = sources_yaml("helpdesk")
    tickets = next(export for export in EXPORTS if export.name == "support_tickets")
    changed = ExportFile(
        tickets.name,
        tickets.source,
        tickets.description,
        tickets.primary_key,
        (*tickets.columns, Column("sla_minutes", ColumnType.INTEGER)),
    )
    monkeypatch.setattr(dbt_contract, "EXPORTS", (changed,))

    after = yaml.safe_load(sources_yaml("helpdesk"))["sources"][0]["tables"][0]["columns"]

    assert {"name": "sla_minutes", "data_type": "bigint"} in after
    assert sources_yaml("helpdesk") != before


def test_every_raw_table_is_a_source_with_its_raw_asset_key(manifest: dict) -> None:
    assert source_problems(manifest) == []


def test_a_wrong_asset_key_or_a_missing_source_is_reported(manifest: dict) -> None:
    changed = copy.deepcopy(manifest)
    changed["sources"]["source.cs_analytics.crm.accounts"]["meta"]["dagster"]["asset_key"] = [
        "raw",
        "account",
    ]
    del changed["sources"]["source.cs_analytics.billing.plans"]

    assert source_problems(changed) == [
        "source accounts: asset_key is not ['raw', 'accounts']",
        "raw.plans: no source('billing', 'plans')",
    ]


def test_staging_columns_and_types_follow_the_contract(manifest: dict) -> None:
    assert staging_problems(manifest) == []


def test_staging_drift_is_reported_by_model_and_column(manifest: dict) -> None:
    changed = copy.deepcopy(manifest)
    nodes = changed["nodes"]
    nodes["model.cs_analytics.stg_billing__invoices"]["columns"]["total"]["data_type"] = "double"
    del nodes["model.cs_analytics.stg_crm__accounts"]["columns"]["country"]
    nodes["model.cs_analytics.stg_crm__cs_reps"]["columns"]["name"] = {"name": "name"}
    nodes["model.cs_analytics.stg_survey__nps_responses"]["columns"]["mood"] = {"name": "mood"}

    assert sorted(staging_problems(changed)) == [
        "stg_billing__invoices.total: data_type 'double', the contract's DECIMAL(18,4) is "
        "'decimal(18,4)'",
        "stg_crm__accounts: missing column country",
        "stg_crm__cs_reps.name: personal data must not leave raw",
        "stg_survey__nps_responses.mood: not a column of export nps_responses",
    ]


def test_a_renamed_staging_column_names_its_contract_column(manifest: dict) -> None:
    changed = copy.deepcopy(manifest)
    columns = changed["nodes"]["model.cs_analytics.stg_billing__plans"]["columns"]
    columns["price"] = {**columns.pop("list_price"), "name": "price"}
    assert staging_problems(changed) == [
        "stg_billing__plans.price: not a column of export plans",
        "stg_billing__plans: missing column list_price",
    ]

    columns["price"]["config"] = {"meta": {"contract_column": "list_price"}}
    assert staging_problems(changed) == []


def test_the_as_of_date_reads_the_staging_model_of_every_export(manifest: dict) -> None:
    assert MACRO_PATH.read_text(encoding="utf-8") == staging_models_macro(manifest), (
        f"{MACRO_PATH} differs from the dbt graph: run make dbt-sources"
    )
    as_of = manifest["nodes"]["model.cs_analytics.int_as_of_date"]
    expected = {f"model.cs_analytics.{staging_model(manifest, e)}" for e in EXPORTS}
    assert set(as_of["depends_on"]["nodes"]) == expected
    assert len(expected) == len(EXPORTS)


def test_an_export_without_or_with_two_staging_models_is_an_error(manifest: dict) -> None:
    export = next(export for export in EXPORTS if export.name == "plans")
    changed = copy.deepcopy(manifest)
    plans = changed["nodes"]["model.cs_analytics.stg_billing__plans"]
    changed["nodes"]["model.cs_analytics.stg_billing__plans_copy"] = {
        **plans,
        "name": "stg_billing__plans_copy",
    }
    with pytest.raises(ContractError, match=r"plans: 2 staging models .*stg_billing__plans_copy"):
        staging_model(changed, export)

    plans["depends_on"] = {"nodes": []}
    del changed["nodes"]["model.cs_analytics.stg_billing__plans_copy"]
    with pytest.raises(ContractError, match=r"plans: 0 staging models .*\(none\)"):
        staging_model(changed, export)
