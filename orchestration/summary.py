"""Prints where the results of a run are and the headline numbers of the as-of month.

Run after the pipeline: `python -m orchestration.summary` (the last step of `make demo`).
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.config import Settings
from orchestration.warehouse import session

_HEADLINES = (
    ("MRR", "mrr", "money"),
    ("ARR", "arr", "money"),
    ("Customers", "customers", "count"),
    ("ARPA", "arpa", "money"),
    ("Customer churn (解約率)", "customer_churn_rate_pct", "pct"),
    ("Gross MRR churn", "gross_mrr_churn_rate_pct", "pct"),
    ("NRR (monthly)", "nrr_pct", "pct"),
    ("NRR (12 months)", "nrr_12m_pct", "pct"),
    ("NPS", "nps", "number"),
)


def _format(value: object, kind: str, currency: str) -> str:
    if value is None:
        return "n/a"
    number = Decimal(str(value))
    if kind == "money":
        return f"{number:,.0f} {currency}"
    if kind == "pct":
        return f"{number:.1f} %"
    return f"{number:,.0f}" if kind == "count" else f"{number:.1f}"


def _existing_columns(connection, schema: str, table: str) -> list[str]:
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [row[0] for row in rows]


def summary_lines(settings: Settings) -> list[str]:
    lines = [f"Warehouse: {settings.warehouse_path}"]
    if settings.publication_path.exists():
        lines.append(f"Analyst copy (open read-only): {settings.publication_path}")
    with session(settings.warehouse_path, read_only=True) as connection:
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
        columns = _existing_columns(connection, "marts", "kpi_monthly")
        if columns:
            wanted = [item for item in _HEADLINES if item[1] in columns]
            select = ", ".join(["month", *(column for _, column, _ in wanted)])
            row = connection.execute(
                f"select {select} from marts.kpi_monthly order by month desc limit 1"
            ).fetchone()
            if row:
                lines.append(f"Headline KPIs for {row[0]:%Y-%m} (month to date):")
                for (label, _, kind), value in zip(wanted, row[1:], strict=True):
                    formatted = _format(value, kind, settings.reporting_currency)
                    lines.append(f"  {label:<24} {formatted}")
    return lines


def main() -> None:
    print("\n".join(summary_lines(Settings.from_env())))


if __name__ == "__main__":
    main()
