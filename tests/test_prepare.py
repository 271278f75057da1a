"""`make dbt-parse` parses only when something dbt reads changed (a parse costs dbt's start)."""

from __future__ import annotations

import shutil
from pathlib import Path

from orchestration.config import DBT_PROJECT_DIR, Settings
from orchestration.prepare import parse_fingerprint, prepare_dbt
from orchestration.project import dbt_project


def test_a_second_prepare_with_the_same_inputs_does_not_parse() -> None:
    settings = Settings.from_env({})
    # Other tests parse with their own settings into the same target/: start from this one's.
    prepare_dbt(settings)
    manifest = Path(dbt_project.manifest_path)
    before = manifest.stat().st_mtime_ns

    assert prepare_dbt(settings) is False
    assert manifest.stat().st_mtime_ns == before


def test_the_fingerprint_follows_every_input_of_the_parse(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    settings = Settings.from_env({})
    first = parse_fingerprint(settings, project)

    assert parse_fingerprint(settings, project) == first
    # dbt's own output is not an input.
    (project / "target").mkdir()
    (project / "target" / "run_results.json").write_text("{}")
    assert parse_fingerprint(settings, project) == first
    # Another var, another warehouse (in the profile) or a changed model: parse again.
    assert parse_fingerprint(Settings.from_env({"CSA_AS_OF_DATE": "2026-01-31"}), project) != first
    other = Settings.from_env({"CSA_WAREHOUSE_PATH": str(tmp_path / "other.duckdb")})
    assert parse_fingerprint(other, project) != first
    model = next((project / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- changed\n")
    assert parse_fingerprint(settings, project) != first
