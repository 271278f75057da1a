"""The headline KPIs of the as-of month, read from marts.kpi_monthly with the month before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orchestration.reports.formatting import Kind


@dataclass(frozen=True)
class Headline:
    column: str  # a column of marts.kpi_monthly, also the label key
    kind: Kind


HEADLINES = (
    Headline("mrr", "money"),
    Headline("arr", "money"),
    Headline("customers", "count"),
    Headline("arpa", "money"),
    Headline("customer_churn_rate_pct", "pct"),
    Headline("gross_mrr_churn_rate_pct", "pct"),
    Headline("nrr_pct", "pct"),
    Headline("nrr_12m_pct", "pct"),
    Headline("grr_pct", "pct"),
    Headline("quick_ratio", "ratio"),
    Headline("nps", "number"),
)


@dataclass(frozen=True)
class HeadlineMonth:
    month: date
    values: dict[str, Decimal | int | None]
    previous: dict[str, Decimal | int | None] | None  # None when the month before has no row


def read_headlines(connection) -> HeadlineMonth | None:
    """The latest month of marts.kpi_monthly (the as-of month) and the month before it."""
    columns = ", ".join(headline.column for headline in HEADLINES)
    rows = connection.execute(
        f"select month, {columns} from marts.kpi_monthly order by month desc limit 2"
    ).fetchall()
    if not rows:
        return None

    def values(row: tuple) -> dict[str, Decimal | int | None]:
        return dict(zip((headline.column for headline in HEADLINES), row[1:], strict=True))

    latest = rows[0]
    before = rows[1] if len(rows) > 1 and _is_month_before(rows[1][0], latest[0]) else None
    return HeadlineMonth(latest[0], values(latest), values(before) if before else None)


def _is_month_before(candidate: date, month: date) -> bool:
    return (candidate.year * 12 + candidate.month) + 1 == month.year * 12 + month.month
