"""The bad-input matrix: each bad export runs through the real raw layer (Dagster raw assets,
the quality gates and the reconciliation checks) on top of the worked example.

Every case adds a second drop (2026-10-16) holding one file with one new good row and the bad
input, and states the outcome a data engineer sees: loaded, quarantined with a reason, a
warning, a blocking gate naming file, line and column, or the file rejected naming the file
and column. In every case no good row is lost: the example's rows and the new good row are in
raw (a rejected file loads nothing of itself, atomically), and the reconciliation check
balances. What a blocking gate does downstream is proved in test_quality_gates.py and
test_quality_reruns.py.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.checks.reconciliation import file_balances, reconciliation_result
from orchestration.contract import EXPORTS_BY_NAME
from tests.conftest import EXAMPLES_DIR
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

SMALL = EXAMPLES_DIR / "small" / "landing"
BAD_DROP = "2026-10-16"

ITEMS = "item_id,subscription_id,customer_id,plan_id,quantity,unit_price,discount_pct,started_on,ended_on,is_trial\n"  # noqa: E501
GOOD_ITEM = "i90,s90,c1,exp-m,2,800,0,2026-09-01,,false\n"
NPS = "response_id,account_id,contact_email,responded_at,score,comment\n"
GOOD_NPS = "r90,a1,q@example.jp,2026-09-01T10:00:00,8,\n"
TICKETS = "ticket_id,account_id,channel,priority,category,created_at,first_response_at,resolved_at,updated_at\n"  # noqa: E501
GOOD_TICKET = (
    "t90,a1,email,normal,billing,2026-09-01T10:00:00,2026-09-01T11:00:00,,2026-09-01T11:00:00\n"
)
FX = "rate_date,from_currency,to_currency,rate\n"


@dataclass(frozen=True)
class Case:
    id: str
    table: str
    text: str | bytes  # the whole file of the bad drop
    outcome: str  # loaded | quarantined | warning | blocked | rejected
    says: tuple[str, ...]  # what the reason, finding or error names
    new_good_rows: int = 1


CASES = [
    Case(
        "malformed_line",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,exp-m,2\n",
        "quarantined",
        ("line 3", "MISSING COLUMNS"),
    ),
    Case(
        "wrong_type_numeric",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,exp-m,two,800,0,2026-09-01,,false\n",
        "quarantined",
        ("line 3", "quantity", "two"),
    ),
    Case(
        "unparseable_date",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,exp-m,2,800,0,2026-09-31,,false\n",
        "quarantined",
        ("line 3", "started_on", "2026-09-31"),
    ),
    Case(
        "duplicate_key_in_drop",
        "subscription_items",
        ITEMS + "i90,s90,c1,exp-m,1,800,0,2026-09-01,,false\n" + GOOD_ITEM,
        "quarantined",
        ("line 2", "duplicate primary key", "line 3 wins"),
    ),
    Case(
        "shift_jis_not_configured",
        "nps_responses",
        (NPS + GOOD_NPS + "r91,a1,q@example.jp,2026-09-02T10:00:00,9,髙橋です\n").encode("cp932"),
        "quarantined",
        ("line 3", "CSA_SOURCE_ENCODINGS=nps_responses=cp932"),
    ),
    Case(
        "missing_required_column",
        "subscription_items",
        ITEMS.replace(",quantity", "") + "i90,s90,c1,exp-m,800,0,2026-09-01,,false\n",
        "rejected",
        ("subscription_items.csv", "missing required column", "quantity"),
        new_good_rows=0,
    ),
    Case(
        "renamed_column",
        "subscription_items",
        ITEMS.replace(",quantity,", ",qty,") + GOOD_ITEM,
        "rejected",
        ("subscription_items.csv", "missing required column", "quantity", "qty"),
        new_good_rows=0,
    ),
    Case(
        "empty_file",
        "subscription_items",
        "",
        "rejected",
        ("subscription_items.csv", "file is empty"),
        new_good_rows=0,
    ),
    Case("header_only_file", "subscription_items", ITEMS, "loaded", (), new_good_rows=0),
    Case(
        "extra_column",
        "subscription_items",
        ITEMS.replace("\n", ",sales_rep\n") + GOOD_ITEM.replace("\n", ",tanaka\n"),
        "warning",
        ("no unknown columns", "sales_rep"),
    ),
    Case(
        "utf8_bom",
        "subscription_items",
        ("\ufeff" + ITEMS + GOOD_ITEM).encode("utf-8"),
        "loaded",
        (),
    ),
    Case(
        "quoted_newline_in_comment",
        "nps_responses",
        NPS + GOOD_NPS.replace(",8,\n", ',8,"使いやすい\n二行目, too"\n'),
        "loaded",
        (),
    ),
    Case(
        "future_dated_rows",
        "nps_responses",
        NPS + GOOD_NPS + "r91,a1,q@example.jp,2027-01-05T10:00:00,9,\n",
        "warning",
        ("responded_at is not after the drop date", "1 row"),
        new_good_rows=2,
    ),
    Case(
        "negative_quantity",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,exp-m,-2,800,0,2026-09-01,,false\n",
        "blocked",
        ("raw.subscription_items.quantity", "quantity >= 1", "'_source_line': 3"),
        new_good_rows=2,
    ),
    Case(
        "discount_over_100",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,exp-m,2,800,120,2026-09-01,,false\n",
        "blocked",
        ("raw.subscription_items.discount_pct", "'_source_line': 3"),
        new_good_rows=2,
    ),
    Case(
        "ended_before_started",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,exp-m,2,800,0,2026-09-01,2026-08-01,false\n",
        "blocked",
        ("raw.subscription_items.ended_on", "'_source_line': 3"),
        new_good_rows=2,
    ),
    Case(
        "unknown_plan",
        "subscription_items",
        ITEMS + GOOD_ITEM + "i91,s91,c1,gold-m,2,800,0,2026-09-01,,false\n",
        "blocked",
        ("raw.subscription_items.plan_id", "gold-m"),
        new_good_rows=2,
    ),
    Case(
        "ticket_for_unknown_account",
        "support_tickets",
        TICKETS + GOOD_TICKET + GOOD_TICKET.replace("t90,a1", "t91,a99"),
        "blocked",
        ("raw.support_tickets.account_id", "a99"),
        new_good_rows=2,
    ),
    Case(
        "missing_fx_rate",
        "subscription_items",
        ITEMS + "i91,s91,c2,pro-y-usd,1,240,0,2025-11-01,2026-01-01,false\n",
        "blocked",
        ("raw.fx_rates.rate", "no USD -> JPY rate on or before 2025-11-30"),
    ),
]


def run_raw_layer(landing: Path, workdir: Path) -> PipelineRun:
    return run_pipeline(landing, workdir, selection="group:raw", raise_on_error=False)


def raw_counts(run: PipelineRun) -> dict[str, int]:
    tables = run.query(
        "select table_name from information_schema.tables "
        "where table_schema = 'raw' and table_name not like '\\_%' escape '\\'"
    )
    return {t: run.query(f"select count(*) from raw.{t}")[0][0] for (t,) in tables}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, int]:
    """Rows per raw table after loading the worked example alone."""
    run = run_raw_layer(SMALL, tmp_path_factory.mktemp("baseline"))
    assert run.result.success
    return raw_counts(run)


@pytest.fixture(params=CASES, ids=[case.id for case in CASES])
def case_run(request, tmp_path: Path, monkeypatch) -> Iterator[tuple[Case, PipelineRun]]:
    case: Case = request.param
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    (landing / BAD_DROP).mkdir()
    path = landing / BAD_DROP / f"{case.table}.csv"
    data = case.text if isinstance(case.text, bytes) else case.text.encode("utf-8")
    path.write_bytes(data)
    yield case, run_raw_layer(landing, tmp_path / "work")


def quarantined(run: PipelineRun, table: str) -> list[str]:
    rows = run.query(
        "select 'line ' || line || ' ' || coalesce(columns, '') || ' ' || error_type || ': ' "
        "|| reason from raw._quarantine where export = ? and cast(drop_date as varchar) = ?",
        [table, BAD_DROP],
    )
    return [row[0] for row in rows]


def failure_message(run: PipelineRun, table: str) -> str:
    [failure] = [
        event
        for event in run.result.all_events
        if event.is_step_failure and event.step_key == f"raw__{table}"
    ]
    return str(failure.step_failure_data.user_failure_data.description)


def test_bad_input_outcome_and_no_good_row_lost(case_run, baseline: dict[str, int]) -> None:
    case, run = case_run
    counts = raw_counts(run)
    checks = run.raw_checks(case.table)
    # Nothing lost: every other table as in the example, this one with the new good rows.
    expected = dict(baseline, **{case.table: baseline.get(case.table, 0) + case.new_good_rows})
    assert counts == expected

    if case.outcome == "rejected":
        message = failure_message(run, case.table)
        assert all(text in message for text in case.says), message
        assert not checks, "the checks of a file that failed to load must not run"
        return

    gate, reconciliation = checks["quality_gate"], checks["reconciliation"]
    assert reconciliation.passed, reconciliation.description
    reasons = quarantined(run, case.table)
    if case.outcome == "quarantined":
        [reason] = reasons
        assert all(text in reason for text in case.says), reason
        assert gate.passed and "no row was quarantined" in gate.description
    else:
        assert reasons == []
    if case.outcome == "loaded":
        assert gate.passed and gate.metadata["warnings"].value == 0, gate.description
    if case.outcome == "warning":
        assert gate.passed and gate.severity == dg.AssetCheckSeverity.WARN
        assert all(text in gate.description for text in case.says), gate.description
    if case.outcome == "blocked":
        blocked = {
            e.asset_key.path[-1]: e
            for e in run.result.get_asset_check_evaluations()
            if e.check_name == "quality_gate" and not e.passed
        }
        failed = " ".join(e.description for e in blocked.values())
        assert blocked and all(e.severity == dg.AssetCheckSeverity.ERROR for e in blocked.values())
        assert all(text in failed for text in case.says), failed
    else:
        assert run.result.success


def test_a_badly_named_drop_folder_is_not_read_and_is_reported(
    tmp_path: Path, baseline: dict[str, int]
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    (landing / "2026-10-16-fix").mkdir()
    (landing / "2026-10-16-fix" / "subscription_items.csv").write_text(ITEMS + GOOD_ITEM)

    run = run_raw_layer(landing, tmp_path / "work")

    assert run.result.success and raw_counts(run) == baseline
    reconciliation = run.raw_checks("subscription_items")["reconciliation"]
    assert reconciliation.passed and reconciliation.severity == dg.AssetCheckSeverity.WARN
    assert "2026-10-16-fix/ not read: a landing folder not named YYYY-MM-DD" in (
        reconciliation.description
    )
    assert [entry["path"] for entry in reconciliation.metadata["not_read"].value] == [
        "2026-10-16-fix/"
    ]


def test_every_file_and_folder_of_a_drop_is_loaded_or_named_in_a_warning(
    tmp_path: Path, baseline: dict[str, int]
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    drop = landing / BAD_DROP
    # A file in a vendor folder that is no table of the vendor (Amplitude's events are
    # *.json and *.json.gz).
    (drop / "amplitude").mkdir(parents=True)
    (drop / "amplitude" / "events.csv").write_text("event_type\nlogin\n")
    (drop / "ACCOUNTS.CSV").write_text(
        (SMALL / "2026-10-15" / "accounts.csv").read_text().splitlines()[0]
        + "\na90,新規株式会社,retail,smb,JP,m1,2026-10-01T10:00:00,2026-10-01T10:00:00\n"
    )
    (drop / "Subscription-Items.csv").write_text(ITEMS + GOOD_ITEM)

    with dg.DagsterInstance.ephemeral() as instance:
        run = run_pipeline(landing, tmp_path / "work", selection="group:raw", instance=instance)
        warnings = [
            entry.user_message.split(": ", 1)[1]
            for entry in instance.all_logs(run.result.run_id)
            if entry.level == logging.WARNING and entry.step_key == "raw__accounts"
        ]

    assert run.result.success
    added = {table: baseline[table] + 1 for table in ("accounts", "accounts__versions")}
    assert raw_counts(run) == dict(baseline, **added)
    assert run.query("select source_file from raw._loads where drop_date = ?", [BAD_DROP]) == [
        ("ACCOUNTS.CSV",)
    ]
    expected = [
        f"{BAD_DROP}/Subscription-Items.csv not read: not the file name of an export "
        "(did you mean subscription_items.csv?)",
        f"{BAD_DROP}/amplitude/events.csv not read: not a table of amplitude (docs/sources.md)",
    ]
    for table in ("accounts", "subscription_items"):
        reconciliation = run.raw_checks(table)["reconciliation"]
        assert reconciliation.passed and reconciliation.severity == dg.AssetCheckSeverity.WARN
        assert reconciliation.description == "; ".join(expected)
        assert [
            f"{e['path']} {e['reason']}" for e in reconciliation.metadata["not_read"].value
        ] == (expected)
    assert all(line in warnings for line in expected), warnings


def test_reconciliation_fails_on_a_file_that_was_never_loaded(tmp_path: Path, monkeypatch) -> None:
    """A drop whose load record exists without its rows, or a file that never got a load
    record, is lost data: the check blocks and names file and drop."""
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    run = run_raw_layer(landing, tmp_path / "work")
    assert run.result.success
    # A second drop arrives, and a load record of the first is tampered with.
    (landing / BAD_DROP).mkdir()
    (landing / BAD_DROP / "plans.csv").write_text((SMALL / "2026-10-15" / "plans.csv").read_text())
    with duckdb.connect(str(run.settings.warehouse_file)) as connection:
        connection.execute(
            "update raw._loads set rows_loaded = rows_loaded - 1 where export = 'accounts'"
        )
    with duckdb.connect(str(run.settings.warehouse_file), read_only=True) as connection:
        accounts = file_balances(connection, EXPORTS_BY_NAME["accounts"], landing)
        plans = file_balances(connection, EXPORTS_BY_NAME["plans"], landing)
    accounts_result = reconciliation_result(EXPORTS_BY_NAME["accounts"], accounts, ())
    plans_result = reconciliation_result(EXPORTS_BY_NAME["plans"], plans, ())
    assert not accounts_result.passed
    assert "accounts.csv drop 2026-10-15: read" in accounts_result.description
    assert not plans_result.passed
    assert "plans.csv drop 2026-10-16: in the landing folder but never loaded" in (
        plans_result.description
    )
