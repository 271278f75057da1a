"""The report as one HTML file: plotly.js inlined, so it opens without a network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from orchestration.reports import charts
from orchestration.reports.data import ReportData
from orchestration.reports.formatting import format_change, format_money, format_value
from orchestration.reports.headlines import HEADLINES
from orchestration.reports.labels import labels_for

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("orchestration.reports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    change: str
    raw: float | None  # the unformatted value, as data-value for tests and scrapers


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    html: str


def _cards(data: ReportData, labels, currency: str) -> list[Card]:
    previous = data.headlines.previous or {}
    cards = []
    for headline in HEADLINES:
        value = data.headlines.values[headline.column]
        cards.append(
            Card(
                key=headline.column,
                label=labels[headline.column],
                value=format_value(value, headline.kind, currency),
                change=format_change(value, previous.get(headline.column), headline.kind, currency),
                raw=None if value is None else float(value),
            )
        )
    return cards


def _charts(data: ReportData, labels, currency: str) -> list[Chart]:
    figures: list[tuple[str, str, Callable[[], go.Figure]]] = [
        ("mrr-bridge", "bridge_title", lambda: charts.mrr_bridge(data, labels, currency)),
        ("mrr-trend", "mrr_trend_title", lambda: charts.mrr_trend(data, labels, currency)),
        ("nrr-trend", "nrr_trend_title", lambda: charts.nrr_trend(data, labels)),
        ("cohort-retention", "cohort_title", lambda: charts.cohort_heatmap(data, labels)),
        ("nps-trend", "nps_trend_title", lambda: charts.nps_trend(data, labels)),
        (
            "health-bands",
            "health_title",
            lambda: charts.health_distribution(data, labels, currency),
        ),
    ]
    return [
        Chart(
            key=key,
            title=labels[title],
            html=build().to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"chart-{key}",
                config=_PLOTLY_CONFIG,
            ),
        )
        for key, title, build in figures
    ]


def _queue(
    data: ReportData, labels, currency: str, language: str
) -> dict[str, list[dict[str, str]]]:
    """Per CSM (keyed by csm_id, '' for accounts without one) its actions, formatted, with the
    reason in the report's language (the mart has English and Japanese)."""
    return {
        csm or "": [
            {
                "account_name": row["account_name"],
                "playbook": labels[row["playbook"]],
                "playbook_key": row["playbook"],
                "priority": str(row["priority"]),
                "reason": row["reason_ja"] if language == "ja" else row["reason"],
                "mrr": format_money(row["mrr"], currency),
            }
            for row in rows
        ]
        for csm, rows in data.queue.items()
    }


def _segments(data: ReportData, labels, currency: str) -> dict[str, list[dict[str, str]]]:
    """Per dimension (its label) the as-of month's segments: customers, MRR, churn, NRR, GRR."""
    return {
        labels[f"dimension_{dimension}"]: [
            {
                "segment": labels.get(row["segment"], row["segment"]),
                "customers": format_value(row["customers"], "count", currency),
                "mrr": format_value(row["mrr"], "money", currency),
                "customer_churn_rate_pct": format_value(
                    row["customer_churn_rate_pct"], "pct", currency
                ),
                "nrr_pct": format_value(row["nrr_pct"], "pct", currency),
                "grr_pct": format_value(row["grr_pct"], "pct", currency),
            }
            for row in rows
        ]
        for dimension, rows in data.segments.items()
    }


def _books(data: ReportData, labels, currency: str) -> list[dict[str, str]]:
    """Each CSM's book in the as-of month: its bridge with transfers, NRR, red accounts."""
    money = ("starting_mrr", "transfer_in_mrr", "transfer_out_mrr", "churned_mrr", "mrr")
    return [
        {
            "csm_id": row["csm_id"] if row["csm_id"] != "unassigned" else labels["unassigned"],
            "accounts": format_value(row["accounts"], "count", currency),
            **{column: format_value(row[column], "money", currency) for column in money},
            "nrr_pct": format_value(row["nrr_pct"], "pct", currency),
            "accounts_red": format_value(row["accounts_red"], "count", currency),
            "open_queue_items": format_value(row["open_queue_items"], "count", currency),
        }
        for row in data.books
    ]


def render_report(
    data: ReportData,
    *,
    language: str,
    currency: str,
    queue_per_csm: int,
    generated_at: datetime,
) -> str:
    labels = labels_for(language)
    return _TEMPLATES.get_template("kpi_report.html.j2").render(
        language=language,
        labels=labels,
        currency=currency,
        month=data.headlines.month,
        as_of_date=data.as_of_date,
        generated_at=generated_at,
        cards=_cards(data, labels, currency),
        charts=_charts(data, labels, currency),
        queue=_queue(data, labels, currency, language),
        segments=_segments(data, labels, currency),
        books=_books(data, labels, currency),
        queue_title=labels["queue_title"].format(n=queue_per_csm),
        plotly_js=get_plotlyjs(),
    )
