"""The `kpi_report` asset: the HTML report, written after the marts it reads pass their checks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from orchestration.config import Settings
from orchestration.files import write_atomically
from orchestration.marts_reader import marts_session
from orchestration.reports.data import REPORT_MARTS, ReportData, load_report_data
from orchestration.reports.headlines import HEADLINES
from orchestration.reports.render import render_report
from orchestration.resources import WarehouseResource

QUEUE_PER_CSM = 5  # actions shown per Customer Success manager
COHORT_MONTHS = 24  # the most recent cohorts in the heatmap


def build_report(connection, settings: Settings) -> ReportData:
    """Read the marts and write the report to `settings.report_path`; returns what it showed."""
    data = load_report_data(connection, queue_per_csm=QUEUE_PER_CSM, cohort_months=COHORT_MONTHS)
    html = render_report(
        data,
        language=settings.report_language,
        currency=settings.reporting_currency,
        queue_per_csm=QUEUE_PER_CSM,
        generated_at=datetime.now(ZoneInfo(settings.reporting_timezone)),
    )
    write_atomically(settings.report_path, html)
    return data


def _headline_metadata(data: ReportData) -> dict[str, float | None]:
    values = data.headlines.values
    return {
        headline.column: None if values[headline.column] is None else float(values[headline.column])
        for headline in HEADLINES
    }


def build_kpi_report_asset(mart_keys: dict[str, dg.AssetKey]) -> dg.AssetsDefinition:
    """`mart_keys` maps each mart the report reads to its asset key (from the dbt manifest)."""
    missing = sorted(set(REPORT_MARTS) - set(mart_keys))
    if missing:
        raise ValueError(f"the KPI report reads marts that the dbt project lacks: {missing}")

    @dg.asset(
        key="kpi_report",
        group_name="reports",
        kinds={"html", "plotly"},
        deps=[mart_keys[name] for name in REPORT_MARTS],
        pool="duckdb",
        owners=["team:data-engineering"],
        tags={"audience": "customer-success"},
    )
    def kpi_report(
        context: dg.AssetExecutionContext, settings: Settings, warehouse: WarehouseResource
    ):
        """Headline KPIs of the as-of month against the month before, MRR bridge, MRR and NRR
        trends, cohort retention, NPS, health bands and the top of each CSM's action queue, in
        one HTML file that opens without a network (CSA_REPORT_PATH, CSA_REPORT_LANGUAGE)."""
        with marts_session(warehouse, settings, read_only=True) as connection:
            data = build_report(connection, settings)
        path = settings.report_path
        context.log.info(f"KPI report for {data.headlines.month:%Y-%m} written to {path}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(path)),
                "url": dg.MetadataValue.url(path.as_uri()),
                "as_of_month": f"{data.headlines.month:%Y-%m}",
                "language": settings.report_language,
                "currency": settings.reporting_currency,
                "headlines": dg.MetadataValue.json(_headline_metadata(data)),
                "mrr": float(data.headlines.values["mrr"] or 0),
                "customers": int(data.headlines.values["customers"] or 0),
                "size_bytes": path.stat().st_size,
            }
        )

    return kpi_report
