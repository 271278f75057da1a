"""The same company from Stripe's tables: the demo generator writes one seed's billing
exports as contract files and as Stripe tables (`--billing-format stripe`, CSV and Parquet);
every mart built from the Stripe landing equals, row for row, the mart built from the
contract landing. The expected rows are the contract build's, never written down here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from demo import GeneratorConfig, generate
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

SMALL = {"accounts": 300, "months": 14, "drops": 3, "seed": 7}


def build(tmp_path: Path, name: str, **config: object) -> PipelineRun:
    landing = tmp_path / name / "landing"
    generate(GeneratorConfig(out=landing, **SMALL, **config), workers=1)
    workdir = tmp_path / name / "work"
    workdir.mkdir()
    return run_pipeline(landing, workdir)


def marts(run: PipelineRun) -> dict[str, list[tuple]]:
    with duckdb.connect(str(run.settings.warehouse_file), read_only=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            name: connection.execute(f'select * from marts."{name}" order by all').fetchall()
            for name in names
        }


@pytest.fixture(scope="module")
def contract_marts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    return marts(build(tmp_path_factory.mktemp("contract"), "contract"))


@pytest.mark.parametrize("files", ["csv", "parquet"])
def test_every_mart_from_stripe_tables_equals_the_contract_build(
    contract_marts: dict[str, list[tuple]], tmp_path: Path, files: str
) -> None:
    run = build(tmp_path, "stripe", billing_format="stripe", stripe_files=files)
    landing = Path(run.settings.landing_dir)
    assert not list(landing.glob("*/invoices.csv"))  # billing came from stripe/ alone
    assert list(landing.glob(f"*/stripe/invoices.{files}"))

    from_stripe = marts(run)

    assert set(from_stripe) == set(contract_marts)
    assert all(contract_marts.values())  # a build that made no rows would prove nothing
    for name, rows in contract_marts.items():
        assert from_stripe[name] == rows, name
    # Every Stripe file balances, and the draft invoices were skipped with their reason.
    assert run.query(
        "select count(*) from raw._loads where rows_read <> rows_loaded + rows_quarantined "
        "+ rows_skipped"
    ) == [(0,)]
    drafts = run.query("select count(*), min(reason) from raw._skipped where export = 'invoices'")
    assert drafts[0][0] > 0 and drafts[0][1].startswith("draft")
    assert run.query(
        "select count(*) from raw.subscription_items where _source_file <> "
        "'stripe/subscription_items." + files + "'"
    ) == [(0,)]
