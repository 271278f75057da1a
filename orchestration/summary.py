"""Prints where the results of a run are and the headline numbers of the as-of month.

Run after the pipeline: `python -m orchestration.summary` (the last step of `make demo`).
"""

from __future__ import annotations

from orchestration.config import Settings
from orchestration.reports.formatting import format_value
from orchestration.reports.headlines import HEADLINES, read_headlines
from orchestration.reports.labels import labels_for
from orchestration.warehouse import session


def summary_lines(settings: Settings) -> list[str]:
    lines = [f"Warehouse: {settings.warehouse_file}"]
    if settings.publication_path.exists():
        lines.append(f"Analyst copy (open read-only): {settings.publication_path}")
    if settings.report_path.exists():
        lines.append(f"KPI report (open in a browser): {settings.report_path}")
    with session(settings.warehouse_file, read_only=True) as connection:
        loads = connection.execute(
            "select count(distinct drop_date), sum(rows_read), sum(rows_loaded), "
            "sum(rows_quarantined) from raw._loads"
        ).fetchone()
        lines.append(
            f"Loaded {loads[0]} drop(s): {loads[1]:,} rows read, {loads[2]:,} loaded, "
            f"{loads[3]:,} quarantined (raw._quarantine)"
        )
        marts = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        lines.append(f"Marts (schema marts): {', '.join(marts) or 'none'}")
        headlines = read_headlines(connection) if "kpi_monthly" in marts else None
        if headlines:
            labels = labels_for("en")
            lines.append(f"Headline KPIs for {headlines.month:%Y-%m} (month to date):")
            for headline in HEADLINES:
                value = headlines.values[headline.column]
                formatted = format_value(value, headline.kind, settings.reporting_currency)
                lines.append(f"  {labels[headline.column]:<24} {formatted}")
    return lines


def main() -> None:
    print("\n".join(summary_lines(Settings.from_env())))


if __name__ == "__main__":
    main()
