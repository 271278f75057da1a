"""The one place that reads configuration: `CSA_*` environment variables with their defaults.

dbt reads the same variables through `env_var()` in `dbt_project/profiles.yml`;
`Settings.publish()` writes the resolved (absolute) values back so both agree.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# The dbt of this interpreter's environment, so it works without an activated venv.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def _encodings(value: str) -> dict[str, str]:
    """Parse `accounts=cp932,nps_responses=cp932` into {file: encoding}."""
    pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
    return {name.strip(): encoding.strip() for name, encoding in pairs}


REPORT_LANGUAGES = ("ja", "en")


def _report_language(value: str) -> str:
    language = value.strip().lower() or "ja"
    if language not in REPORT_LANGUAGES:
        raise ValueError(
            f"CSA_REPORT_LANGUAGE={value!r} is not supported; "
            f"use one of {', '.join(REPORT_LANGUAGES)}"
        )
    return language


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_path: Path
    as_of_date: date | None = None
    reporting_currency: str = "JPY"
    reporting_timezone: str = "Asia/Tokyo"
    source_timezone: str = "Asia/Tokyo"
    source_encodings: Mapping[str, str] = field(default_factory=dict)
    # DuckDB's default (80 % of RAM) let a 25-million-row load peak at 6.2 GiB; with a limit
    # it spills to disk instead.
    duckdb_memory_limit: str = "4GB"
    # Operations (docs/operations.md): the published copy analysts read, and automation.
    analytics_path: Path | None = None  # None = analytics.duckdb beside the warehouse
    nightly_cron: str = "0 2 * * *"
    nightly_timezone: str = "Asia/Tokyo"
    automation_running: bool = False  # schedules and sensors start STOPPED unless true
    alert_webhook_url: str | None = None
    # Scale-out (docs/spark.md): the dbt target, and where raw tables are published as Parquet.
    engine: str = "duckdb"  # CSA_ENGINE=duckdb|spark
    parquet_dir: Path | None = None  # None = parquet/ beside the warehouse
    spark_method: str = "session"  # CSA_SPARK_METHOD: session (local), thrift or http
    spark_local_dir: Path | None = None  # local Spark's warehouse + metastore; None = spark/
    # The KPI report (docs/report.md): one HTML file, labels in Japanese or English.
    report_file: Path | None = None  # None = reports/kpi_report.html beside the warehouse
    report_language: str = "ja"  # CSA_REPORT_LANGUAGE=ja|en

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        as_of = env.get("CSA_AS_OF_DATE", "").strip()
        return cls(
            landing_dir=_path(env.get("CSA_LANDING_DIR", "data/landing")),
            warehouse_path=_path(env.get("CSA_WAREHOUSE_PATH", "data/warehouse.duckdb")),
            as_of_date=date.fromisoformat(as_of) if as_of else None,
            reporting_currency=env.get("CSA_REPORTING_CURRENCY", "JPY").strip().upper(),
            reporting_timezone=env.get("CSA_REPORTING_TIMEZONE", "Asia/Tokyo").strip(),
            source_timezone=env.get("CSA_SOURCE_TIMEZONE", "Asia/Tokyo").strip(),
            source_encodings=_encodings(env.get("CSA_SOURCE_ENCODINGS", "")),
            duckdb_memory_limit=env.get("CSA_DUCKDB_MEMORY_LIMIT", "4GB").strip(),
            analytics_path=_path(analytics)
            if (analytics := env.get("CSA_ANALYTICS_PATH"))
            else None,
            nightly_cron=env.get("CSA_NIGHTLY_CRON", "0 2 * * *").strip(),
            nightly_timezone=env.get("CSA_NIGHTLY_TIMEZONE", "Asia/Tokyo").strip(),
            automation_running=env.get("CSA_AUTOMATION_RUNNING", "").strip().lower()
            in {"1", "true", "yes"},
            alert_webhook_url=env.get("CSA_ALERT_WEBHOOK_URL", "").strip() or None,
            engine=env.get("CSA_ENGINE", "duckdb").strip().lower() or "duckdb",
            parquet_dir=_path(parquet) if (parquet := env.get("CSA_PARQUET_DIR")) else None,
            spark_method=env.get("CSA_SPARK_METHOD", "session").strip().lower() or "session",
            spark_local_dir=_path(local) if (local := env.get("CSA_SPARK_LOCAL_DIR")) else None,
            report_file=_path(report) if (report := env.get("CSA_REPORT_PATH")) else None,
            report_language=_report_language(env.get("CSA_REPORT_LANGUAGE", "ja")),
        )

    @property
    def publication_path(self) -> Path:
        """The analysts' DuckDB file: CSA_ANALYTICS_PATH, else analytics.duckdb by the warehouse."""
        return self.analytics_path or self.warehouse_path.parent / "analytics.duckdb"

    @property
    def raw_parquet_dir(self) -> Path:
        """Where raw tables are published as Parquet for Spark: CSA_PARQUET_DIR or data/parquet."""
        return self.parquet_dir or self.warehouse_path.parent / "parquet"

    @property
    def spark_home(self) -> Path:
        """Local Spark (session method): CSA_SPARK_LOCAL_DIR, else spark/ by the warehouse."""
        return self.spark_local_dir or self.warehouse_path.parent / "spark"

    def local_spark_submit_args(self) -> str:
        """PYSPARK_SUBMIT_ARGS that keep a local Spark's tables and Derby metastore in
        `spark_home` instead of the dbt subprocess's working directory."""
        home = self.spark_home
        metastore = f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true"
        return shlex.join(
            [
                "--conf",
                f"spark.sql.warehouse.dir={home / 'warehouse'}",
                "--conf",
                f"spark.hadoop.javax.jdo.option.ConnectionURL={metastore}",
                "--driver-java-options",
                f"-Dderby.system.home={home}",
                "pyspark-shell",
            ]
        )

    @property
    def report_path(self) -> Path:
        """The KPI report: CSA_REPORT_PATH, else reports/kpi_report.html by the warehouse."""
        return self.report_file or self.warehouse_path.parent / "reports" / "kpi_report.html"

    def encoding_for(self, export_name: str) -> str:
        return self.source_encodings.get(export_name, "utf-8")

    def dbt_vars(self) -> dict[str, str]:
        """Values the dbt models need, passed with `--vars`."""
        values = {
            "reporting_currency": self.reporting_currency,
            "reporting_timezone": self.reporting_timezone,
        }
        if self.as_of_date:
            values["as_of_date"] = self.as_of_date.isoformat()
        return values

    def publish(self) -> None:
        """Export the resolved paths so dbt subprocesses open the same warehouse file."""
        os.environ["CSA_WAREHOUSE_PATH"] = str(self.warehouse_path)
        os.environ["CSA_LANDING_DIR"] = str(self.landing_dir)
        os.environ["CSA_DBT_TARGET"] = self.engine
        os.environ["CSA_PARQUET_DIR"] = str(self.raw_parquet_dir)
        if self.engine == "spark" and self.spark_method == "session":
            os.environ["PYSPARK_SUBMIT_ARGS"] = self.local_spark_submit_args()
