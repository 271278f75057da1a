"""The report's plotly figures, one function per chart, all from `ReportData`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import plotly.graph_objects as go

from orchestration.reports.data import ReportData
from orchestration.reports.formatting import currency_format, format_money

BAND_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}
BRIDGE_STEPS = (
    ("fx_adjustment", 1),
    ("new_mrr", 1),
    ("reactivation_mrr", 1),
    ("expansion_mrr", 1),
    ("contraction_mrr", -1),
    ("churned_mrr", -1),
)
MONTH_TICKS = "%Y-%m"
_LAYOUT = {
    "height": 380,
    "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
    "template": "plotly_white",
    "font": {"family": "'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif"},
    "legend": {"orientation": "h", "y": -0.2},
}


def _floats(values) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


def mrr_bridge(data: ReportData, labels: Mapping[str, str], currency: str) -> go.Figure:
    """Starting MRR, each movement (contraction and churn as decreases), ending MRR."""
    steps = [(labels["starting_mrr"], data.bridge["starting_mrr"], "absolute")]
    steps += [
        (labels[column], data.bridge[column] * sign, "relative") for column, sign in BRIDGE_STEPS
    ]
    steps.append((labels["ending_mrr"], data.bridge["mrr"], "total"))
    names, amounts, measures = zip(*steps, strict=True)
    figure = go.Figure(
        go.Waterfall(
            x=list(names),
            y=_floats(amounts),
            measure=list(measures),
            text=[format_money(Decimal(amount), currency) for amount in amounts],
            textposition="outside",
            increasing={"marker": {"color": BAND_COLOURS["green"]}},
            decreasing={"marker": {"color": BAND_COLOURS["red"]}},
            totals={"marker": {"color": "#1565c0"}},
            connector={"line": {"color": "#9e9e9e"}},
        )
    )
    figure.update_layout(**_LAYOUT, showlegend=False)
    figure.update_yaxes(**currency_format(currency).plotly_axis())
    return figure


def mrr_trend(data: ReportData, labels: Mapping[str, str], currency: str) -> go.Figure:
    months = [row["month"] for row in data.trend]
    figure = go.Figure(
        go.Scatter(
            x=months,
            y=_floats(row["mrr"] for row in data.trend),
            name=labels["mrr"],
            mode="lines+markers",
            line={"color": "#1565c0"},
        )
    )
    figure.update_layout(**_LAYOUT, xaxis_title=labels["month"])
    figure.update_xaxes(tickformat=MONTH_TICKS)
    figure.update_yaxes(**currency_format(currency).plotly_axis(), rangemode="tozero")
    return figure


def nrr_trend(data: ReportData, labels: Mapping[str, str]) -> go.Figure:
    months = [row["month"] for row in data.trend]
    figure = go.Figure()
    for column, colour in (
        ("nrr_pct", "#1565c0"),
        ("grr_pct", "#6a1b9a"),
        ("nrr_12m_pct", "#00838f"),
    ):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=_floats(row[column] for row in data.trend),
                name=labels[column],
                mode="lines",
                line={"color": colour},
            )
        )
    figure.update_layout(**_LAYOUT, xaxis_title=labels["month"])
    figure.update_xaxes(tickformat=MONTH_TICKS)
    figure.update_yaxes(ticksuffix="%", title=labels["percent"])
    return figure


def cohort_heatmap(data: ReportData, labels: Mapping[str, str]) -> go.Figure:
    """Logo retention by cohort (rows) and months since start (columns)."""
    cohort_months = sorted({cohort for cohort, _, _ in data.cohorts})
    width = max((offset for _, offset, _ in data.cohorts), default=-1) + 1
    grid: list[list[float | None]] = [[None] * width for _ in cohort_months]
    row_of = {cohort: index for index, cohort in enumerate(cohort_months)}
    for cohort, offset, pct in data.cohorts:
        grid[row_of[cohort]][offset] = None if pct is None else float(pct)
    figure = go.Figure(
        go.Heatmap(
            z=grid,
            x=list(range(width)),
            y=[f"{cohort:%Y-%m}" for cohort in cohort_months],
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar={"title": {"text": labels["logo_retention_pct"]}, "ticksuffix": "%"},
            hovertemplate="%{y} +%{x}: %{z:.1f}%<extra></extra>",
        )
    )
    layout = {**_LAYOUT, "height": max(380, 18 * len(cohort_months) + 120)}
    figure.update_layout(
        **layout, xaxis_title=labels["months_since_start"], yaxis_title=labels["cohort_month"]
    )
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def nps_trend(data: ReportData, labels: Mapping[str, str]) -> go.Figure:
    months = [row["month"] for row in data.nps]
    figure = go.Figure(
        [
            go.Bar(
                x=months,
                y=_floats(row["nps"] for row in data.nps),
                name=labels["nps"],
                marker={"color": "#90caf9"},
                customdata=[row["responses"] for row in data.nps],
                hovertemplate="%{x|%Y-%m}: %{y:.1f} (n=%{customdata})<extra></extra>",
            ),
            go.Scatter(
                x=months,
                y=_floats(row["nps_trailing_3m"] for row in data.nps),
                name=labels["nps_trailing_3m"],
                mode="lines",
                line={"color": "#0d47a1"},
            ),
        ]
    )
    figure.update_layout(**_LAYOUT, xaxis_title=labels["month"])
    figure.update_xaxes(tickformat=MONTH_TICKS)
    figure.update_yaxes(range=[-100, 100])
    return figure


def health_distribution(data: ReportData, labels: Mapping[str, str], currency: str) -> go.Figure:
    bands = [band for band in BAND_COLOURS if band in data.health_bands]
    figure = go.Figure(
        go.Bar(
            x=[labels[band] for band in bands],
            y=[data.health_bands[band][0] for band in bands],
            marker={"color": [BAND_COLOURS[band] for band in bands]},
            text=[data.health_bands[band][0] for band in bands],
            textposition="outside",
            customdata=[format_money(data.health_bands[band][1] or 0, currency) for band in bands],
            hovertemplate="%{x}: %{y} (MRR %{customdata})<extra></extra>",
        )
    )
    figure.update_layout(**_LAYOUT, showlegend=False, xaxis_title=labels["health_band"])
    figure.update_yaxes(title=labels["accounts"])
    return figure
