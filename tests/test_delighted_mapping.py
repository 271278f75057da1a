"""Delighted's survey responses (the API's JSON, `expand[]=person`) -> nps_responses through
the shipped mapping, on a fixture in Delighted's own field names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.configuration import load_sources
from orchestration.sources.mapping.engine import convert_declared

FIXTURE = Path(__file__).parent / "fixtures" / "delighted" / "2026-11-30" / "delighted"


def test_nps_responses_epoch_seconds_and_the_account_key(tmp_path: Path) -> None:
    (tmp_path / "sources.yml").write_text(
        "sources:\n  delighted:\n    account_property: account_id\n"
    )
    mapping = load_sources(tmp_path / "sources.yml").mapping_for("delighted")
    with duckdb.connect() as connection:
        ledgers = convert_declared(
            connection, FIXTURE, mapping, EXPORTS_BY_NAME["nps_responses"], zone="Asia/Tokyo"
        )
        cursor = connection.execute("select * from csa_vendor_rows")
        names = [column[0] for column in cursor.description]
        rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
        outcomes = connection.execute(
            "select line, outcome, reason from csa_ledger order by line"
        ).fetchall()
        warnings = connection.execute("select line, message from csa_warnings").fetchall()

    assert set(rows) == {"5435", "5436"}
    first = rows["5435"]
    assert first["responded_at"] == datetime.fromtimestamp(1796079000, UTC)
    assert (first["account_id"], first["score"], first["contact_email"]) == (
        "ACC-001",
        9,
        "taro@example.co.jp",
    )
    assert first["comment"] == "とても使いやすい, 特に請求書"
    # Without the account key: loaded (it counts in the company's NPS) and reported.
    assert (rows["5436"]["account_id"], rows["5436"]["contact_email"]) == (None, None)
    assert warnings == [
        (
            2,
            "account_id is empty: the response's person_properties have no account key; it "
            "counts in the company's NPS but in no account's",
        )
    ]
    assert outcomes == [
        (3, "skipped", "left out by the row filter: source.\"survey_type\" ->> '$' = 'nps'"),
        (4, "quarantined", "responded_at: not a timestamp in the format epoch: '1796089800000'"),
    ]
    assert [(f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers] == [(4, 2, 1, 1)]
