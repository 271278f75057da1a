"""The demo generator writes drops that honour the raw export contract (raw-exports.md).

Files are read back with Python's csv module and parsed per the contract's types without
DuckDB, so these tests check the generator, not the loader.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from demo import GeneratorConfig, generate, simulate, world
from demo.__main__ import main
from demo.reference import SNAPSHOT_EXPORTS
from orchestration.contract import EXPORTS, EXPORTS_BY_NAME, ColumnType
from tests.test_demo_columns import contract_text

TOKYO = timezone(timedelta(hours=9))
Row = dict[str, str]


def _timestamp(text: str) -> datetime:
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+09:00)?", text):
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}")
    moment = datetime.fromisoformat(text)
    return moment.astimezone(TOKYO) if moment.tzinfo else moment.replace(tzinfo=TOKYO)


def _matching(pattern: str, parse: Callable[[str], object]) -> Callable[[str], object]:
    def parser(text: str) -> object:
        if not re.fullmatch(pattern, text):
            raise ValueError(f"{text!r} does not match {pattern}")
        return parse(text)

    return parser


PARSERS: dict[ColumnType, Callable[[str], object]] = {
    ColumnType.TEXT: str,
    ColumnType.TIMESTAMP: _timestamp,
    ColumnType.DATE: _matching(r"\d{4}-\d\d-\d\d", date.fromisoformat),
    ColumnType.DECIMAL: _matching(r"-?\d+(\.\d+)?", Decimal),
    ColumnType.RATE: _matching(r"\d+(\.\d+)?", Decimal),
    ColumnType.INTEGER: _matching(r"-?\d+", int),
    ColumnType.BOOLEAN: {"true": True, "false": False}.__getitem__,
}


@dataclass
class File:
    header: list[str]  # as written
    rows: list[Row]  # keyed by the trimmed, lower-cased header names


@dataclass
class Landing:
    config: GeneratorConfig
    files: dict[tuple[date, str], File]

    @property
    def drops(self) -> list[date]:
        return self.config.drop_dates()

    def rows(self, drop: date, export: str) -> list[Row]:
        return self.files[(drop, export)].rows

    def latest(self, export: str, until: date | None = None) -> dict[tuple, Row]:
        """Every key's latest version over the drops up to `until` (latest drop wins)."""
        key = EXPORTS_BY_NAME[export].primary_key
        state: dict[tuple, Row] = {}
        for drop in self.drops:
            if until is None or drop <= until:
                state.update({tuple(row[k] for k in key): row for row in self.rows(drop, export)})
        return state


def read_landing(config: GeneratorConfig) -> Landing:
    files = {}
    for drop in config.drop_dates():
        for export in EXPORTS:
            path = config.out / drop.isoformat() / export.file_name
            encoding = config.encoding_of(export.name)
            with path.open(encoding="utf-8-sig" if encoding == "utf-8" else encoding) as handle:
                reader = csv.reader(handle)
                header = next(reader)
                names = [name.strip().lower() for name in header]
                rows = [dict(zip(names, values, strict=True)) for values in reader]
            files[(drop, export.name)] = File(header, rows)
    return Landing(config, files)


def build(out: Path, **settings) -> Landing:
    config = GeneratorConfig(out=out, **settings)
    generate(config)
    return read_landing(config)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Landing:
    out = tmp_path_factory.mktemp("clean")
    return build(out, accounts=150, months=15, seed=3, dirty=False)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> Landing:
    out = tmp_path_factory.mktemp("dirty")
    return build(out, accounts=60, months=12, seed=5, cp932_files=("accounts", "nps_responses"))


def parsed(row: Row, export: str) -> dict[str, object]:
    columns = EXPORTS_BY_NAME[export].columns
    return {c.name: PARSERS[c.type](row[c.name]) if row[c.name] else None for c in columns}


def test_every_drop_holds_every_file_with_the_contract_header(clean: Landing) -> None:
    for (drop, export), file in clean.files.items():
        assert file.header == list(EXPORTS_BY_NAME[export].column_names), (drop, export)
    assert all(clean.rows(clean.drops[0], export.name) for export in EXPORTS)
    for export in ("cs_reps", "plans", "fx_rates", "product_usage_daily"):
        assert all(clean.rows(drop, export) for drop in clean.drops), export


def test_every_value_parses_as_its_contract_type(clean: Landing) -> None:
    for (_, export), file in clean.files.items():
        for row in file.rows:
            values = parsed(row, export)
            for column in EXPORTS_BY_NAME[export].columns:
                assert column.nullable or values[column.name] is not None, (export, row)


def test_primary_keys_are_unique_within_each_file(clean: Landing) -> None:
    for (drop, export), file in clean.files.items():
        key = EXPORTS_BY_NAME[export].primary_key
        keys = [tuple(row[k] for k in key) for row in file.rows]
        assert len(keys) == len(set(keys)), (drop, export)


REFERENCES = (
    ("accounts", "csm_id", "cs_reps"),
    ("cs_activities", "csm_id", "cs_reps"),
    ("cs_activities", "account_id", "accounts"),
    ("onboarding_milestones", "account_id", "accounts"),
    ("nps_responses", "account_id", "accounts"),
    ("support_tickets", "account_id", "accounts"),
    ("product_usage_daily", "account_id", "accounts"),
    ("billing_customers", "account_id", "accounts"),
    ("subscription_items", "customer_id", "billing_customers"),
    ("subscription_items", "plan_id", "plans"),
    ("invoices", "customer_id", "billing_customers"),
)


def test_references_resolve_in_the_same_or_an_earlier_drop(clean: Landing) -> None:
    for drop in clean.drops:
        for export, column, target in REFERENCES:
            known = {key[0] for key in clean.latest(target, until=drop)}
            values = {row[column] for row in clean.rows(drop, export)} - {""}
            assert values <= known, (drop, export, column, sorted(values - known)[:3])


def test_nothing_is_dated_after_its_drop_except_due_dates(clean: Landing) -> None:
    for (drop, export), file in clean.files.items():
        for row in file.rows:
            for name, value in parsed(row, export).items():
                if name == "due_on" or not isinstance(value, date):
                    continue
                day = value.astimezone(TOKYO).date() if isinstance(value, datetime) else value
                assert day <= drop, (drop, export, name, row)


def test_later_drops_update_records_of_earlier_drops(clean: Landing) -> None:
    updated = defaultdict(int)
    for export in ("accounts", "subscription_items", "support_tickets", "invoices"):
        key = EXPORTS_BY_NAME[export].primary_key
        for drop in clean.drops[1:]:
            before = clean.latest(export, until=drop - timedelta(days=1))
            for row in clean.rows(drop, export):
                old = before.get(tuple(row[k] for k in key))
                updated[export] += old is not None and old != row
    assert all(updated.values()) and len(updated) == 4, updated
    first = clean.rows(clean.drops[0], "subscription_items")
    running = {r["item_id"] for r in first if not r["ended_on"]}
    later = [r for d in clean.drops[1:] for r in clean.rows(d, "subscription_items")]
    assert any(r["item_id"] in running and r["ended_on"] for r in later), "no item ends later"


def _items(landing: Landing) -> list[dict[str, object]]:
    rows = landing.latest("subscription_items").values()
    return [parsed(row, "subscription_items") for row in rows]


def test_subscription_history_is_consistent_and_varied(clean: Landing) -> None:
    items = _items(clean)
    plans = {k[0]: parsed(r, "plans") for k, r in clean.latest("plans").items()}
    for item in items:
        assert item["quantity"] >= 1 and 0 <= item["discount_pct"] <= 30
        assert item["ended_on"] is None or item["ended_on"] > item["started_on"]
    by_subscription = defaultdict(list)
    for item in items:
        by_subscription[item["subscription_id"]].append(item)
    handovers = sum(
        1
        for group in by_subscription.values()
        for old in group
        for new in group
        if old["ended_on"] == new["started_on"] and not old["is_trial"] and not new["is_trial"]
    )
    trials = [g for g in by_subscription.values() if any(i["is_trial"] for i in g)]
    assert handovers >= 10 and len(trials) >= 10
    assert any(all(i["is_trial"] and i["ended_on"] for i in g) for g in trials), "no lost trial"
    assert {plans[i["plan_id"]]["billing_period_months"] for i in items} == {1, 3, 6, 12}
    assert any(i["unit_price"] != plans[i["plan_id"]]["list_price"] for i in items)
    customers = [parsed(r, "billing_customers") for r in clean.latest("billing_customers").values()]
    usd = sum(c["currency"] == "USD" for c in customers) / len(customers)
    assert 0.05 < usd < 0.3
    assert any(c["account_id"] is None for c in customers), "no unmapped billing customer"
    owners = [c["account_id"] for c in customers if c["account_id"]]
    assert len(owners) > len(set(owners)), "no account with several billing customers"


def _last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def test_fx_rates_cover_every_month_with_foreign_revenue(clean: Landing) -> None:
    rates = [parsed(r, "fx_rates") for r in clean.latest("fx_rates").values()]
    assert all(Decimal(140) <= r["rate"] <= Decimal(160) for r in rates)
    usd_days = {r["rate_date"] for r in rates if r["from_currency"] == "USD"}
    plans = {k[0]: r for k, r in clean.latest("plans").items()}
    end = clean.config.end_date
    usd_items = [i for i in _items(clean) if plans[i["plan_id"]]["currency"] == "USD"]
    assert usd_items
    first_needed = min(i["started_on"] for i in usd_items)
    assert min(usd_days) <= first_needed
    for item in usd_items:
        month = item["started_on"].replace(day=1)
        while month <= min(item["ended_on"] or end, end):
            assert any(month <= day <= _last_day(month) for day in usd_days), month
            month = _last_day(month) + timedelta(days=1)


def test_usage_fits_the_seats_and_falls_before_a_cancellation(clean: Landing) -> None:
    customers = {k[0]: r["account_id"] for k, r in clean.latest("billing_customers").items()}
    items_by_account = defaultdict(list)
    for item in _items(clean):
        items_by_account[customers[item["customer_id"]]].append(item)

    def in_force(items: list, day: date, trials: bool = True) -> list:
        return [
            i
            for i in items
            if i["started_on"] <= day
            and (i["ended_on"] is None or day < i["ended_on"])
            and (trials or not i["is_trial"])
        ]

    logins: dict[tuple[str, date], int] = {}
    for row in clean.latest("product_usage_daily").values():
        usage = parsed(row, "product_usage_daily")
        account, day = usage["account_id"], usage["usage_date"]
        seats = sum(i["quantity"] for i in in_force(items_by_account[account], day))
        assert 1 <= usage["active_users"] <= seats, usage
        assert usage["logins"] >= usage["active_users"] and usage["key_feature_events"] >= 0
        logins[(account, day)] = usage["logins"]
    before, long_before = 0, 0
    for account, items in items_by_account.items():
        for end in {i["ended_on"] for i in items if i["ended_on"] and not i["is_trial"]}:
            churned = not in_force(items, end, trials=False)
            if not churned or not in_force(items, end - timedelta(days=121), trials=False):
                continue
            days = [end - timedelta(days=n) for n in range(1, 121)]
            before += sum(logins.get((account, day), 0) for day in days[:30])
            long_before += sum(logins.get((account, day), 0) for day in days[90:])
    assert long_before > 0 and before < 0.6 * long_before, (before, long_before)


def test_onboarding_milestones_follow_each_other(clean: Landing) -> None:
    reached = defaultdict(dict)
    for row in clean.latest("onboarding_milestones").values():
        reached[row["account_id"]][row["milestone"]] = _timestamp(row["completed_at"])
    order = ("kickoff", "setup", "training", "go_live")
    days = []
    for milestones in reached.values():
        assert list(milestones) == list(order[: len(milestones)])
        times = [milestones[m] for m in order if m in milestones]
        assert times == sorted(times)
        if "go_live" in milestones:
            days.append((milestones["go_live"] - milestones["kickoff"]).days)
    assert len(days) < len(reached), "every onboarding completed"
    assert sum(d <= 60 for d in days) > 0.7 * len(days)
    assert any(d > 60 for d in days), "no slow onboarding"


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*.csv")):
        sha.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return sha.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    digests = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate(GeneratorConfig(out=tmp_path / name, accounts=40, months=6, seed=seed))
        digests.append(digest(tmp_path / name))
    assert digests[0] == digests[1] != digests[2]


def test_dirty_variations_are_ones_the_loader_accepts(dirty: Landing) -> None:
    drops = dirty.drops
    contract = list(EXPORTS_BY_NAME["support_tickets"].column_names)
    tickets = dirty.files[(drops[1], "support_tickets")].header
    assert tickets != contract and [n.strip().lower() for n in tickets] == contract
    nps = dirty.files[(drops[2], "nps_responses")].header
    assert nps == list(reversed(EXPORTS_BY_NAME["nps_responses"].column_names))
    assert dirty.files[(drops[3], "accounts")].header[-1] == "segment"
    bom = dirty.config.out / drops[1].isoformat() / "cs_activities.csv"
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    unreadable = []
    for (drop, export), file in dirty.files.items():
        for row in file.rows:
            try:
                parsed(row, export)
            except ValueError:
                unreadable.append((drop, export))
    expected = [(drops[1], "support_tickets")] + [(drops[3], "product_usage_daily")] * 2
    assert sorted(unreadable) == sorted(expected)


def test_cp932_files_are_shift_jis(dirty: Landing) -> None:
    path = dirty.config.out / dirty.drops[0].isoformat() / "accounts.csv"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    names = " ".join(row["account_name"] for row in dirty.rows(dirty.drops[0], "accounts"))
    assert "株式会社" in names and ("髙" in names or "㈱" in names)


def test_cli_writes_a_summary_and_replaces_only_drop_folders(tmp_path: Path, capsys) -> None:
    out = tmp_path / "landing"
    arguments = ["--accounts", "20", "--months", "3", "--drops", "2", "--out", str(out)]
    main(arguments)
    assert "Wrote 2 drops" in capsys.readouterr().out
    assert len(list(out.glob("*/*.csv"))) == 2 * len(EXPORTS)
    with pytest.raises(SystemExit, match="--replace"):
        main(arguments)
    main([*arguments, "--replace", "--no-dirty"])
    (out / "notes.txt").write_text("not a drop")
    with pytest.raises(SystemExit, match="refusing"):
        main([*arguments, "--replace"])
    with pytest.raises(SystemExit):
        main([*arguments, "--cp932", "no_such_export"])


def test_worker_processes_write_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(world, "COHORT_ACCOUNTS", 15)  # three cohorts of CRM accounts
    settings = {"accounts": 40, "months": 6, "seed": 7}
    generate(GeneratorConfig(out=tmp_path / "one", **settings), workers=1)
    generate(GeneratorConfig(out=tmp_path / "two", **settings), workers=2)
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_simulate_gives_the_rows_generate_writes(clean: Landing) -> None:
    """The interface a converter to another export format reads: the same rows per drop."""
    drop_days = clean.config.calendar().drops
    from_simulation: dict[tuple[date, str], list[tuple]] = defaultdict(list)
    for batch in simulate(clean.config):
        for export, versions in batch.versions.items():
            per_drop = (
                versions.snapshot(drop_days)
                if export in SNAPSHOT_EXPORTS
                else versions.latest_per_drop(drop_days)
            )
            for drop, table in per_drop:
                from_simulation[(clean.drops[drop], export)] += [
                    tuple(contract_text(value) for value in row) for row in table.rows()
                ]
    for (drop, export), file in clean.files.items():
        names = EXPORTS_BY_NAME[export].column_names
        written = [tuple(row[name] for name in names) for row in file.rows]
        assert written == from_simulation[(drop, export)], (drop, export)
