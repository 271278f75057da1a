"""The KPI report: one self-contained HTML file built from the marts (docs/report.md)."""
