"""The one place that reads configuration: `CSA_*` environment variables become `Settings`.

`Settings` is a Dagster resource: assets, checks and the dbt resource receive it, tests pass
one through `resources=`, and nothing else reads `os.environ`. The dbt subprocess gets what it
needs from `Settings.dbt_environment()`, written by the dbt resource just before it starts dbt
(orchestration/project.py). Every variable is listed once in `VARIABLES`; the README's
configuration table is checked against it (tests/test_definitions.py).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
from pydantic import Field, field_validator

from orchestration.contract import EXPORTS_BY_NAME

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SPARK_LOG_CONFIG = DBT_PROJECT_DIR / "spark" / "log4j2.properties"
# The dbt of this interpreter's environment, so it works without an activated venv.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

REPORT_LANGUAGES = ("ja", "en")
ENGINES = ("duckdb", "spark")
SPARK_METHODS = ("session", "thrift", "http")


class ConfigurationError(ValueError):
    """A setting that cannot be used; the message names the variable."""


def resolve_path(value: str) -> Path:
    """A configured path: absolute as given, relative ones from the repository root."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def _encodings(value: str) -> dict[str, str]:
    """Parse `accounts=cp932,nps_responses=cp932` into {export: encoding}."""
    pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
    try:
        return {name.strip(): encoding.strip() for name, encoding in pairs}
    except ValueError as error:
        raise ConfigurationError(
            f"CSA_SOURCE_ENCODINGS={value!r}: write export=encoding pairs separated by commas, "
            "e.g. accounts=cp932,nps_responses=cp932"
        ) from error


def _names(value: str) -> list[str]:
    """Parse `Region,plan_tier` into ["Region", "plan_tier"] (spaces around names dropped)."""
    return [name.strip() for name in value.split(",") if name.strip()]


def _days_by_export(value: str) -> dict[str, float]:
    """Parse `plans=35,fx_rates=8` into {export: days}."""
    pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
    try:
        return {name.strip(): float(days) for name, days in pairs}
    except ValueError as error:
        raise ConfigurationError(
            f"CSA_FRESHNESS_DAYS_BY_EXPORT={value!r}: write export=days pairs separated by "
            "commas, e.g. plans=35,fx_rates=8"
        ) from error


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes"}


def _text(value: str) -> str:
    return value.strip()


def _lower(value: str) -> str:
    return value.strip().lower()


@dataclass(frozen=True)
class Variable:
    """One environment variable: the `Settings` field it sets and how its text is parsed."""

    name: str
    field: str
    meaning: str
    parse: Callable[[str], object] = _text
    # A path or folder: set but empty is an error (it would silently mean the current folder).
    path: bool = False


VARIABLES: tuple[Variable, ...] = (
    Variable("CSA_LANDING_DIR", "landing_dir", "folder of export drops", path=True),
    Variable(
        "CSA_WAREHOUSE_PATH",
        "warehouse_path",
        "the DuckDB warehouse (one writer at a time)",
        path=True,
    ),
    Variable(
        "CSA_SOURCES_FILE",
        "sources_file",
        "the vendor sources' configuration (docs/sources.md)",
        path=True,
    ),
    Variable("CSA_AS_OF_DATE", "as_of_date", "the date the marts are measured at"),
    Variable(
        "CSA_REPORTING_CURRENCY",
        "reporting_currency",
        "currency of every money column",
        lambda value: value.strip().upper(),
    ),
    Variable("CSA_REPORTING_TIMEZONE", "reporting_timezone", "months and days are counted here"),
    Variable(
        "CSA_SOURCE_TIMEZONE",
        "source_timezone",
        "time zone of timestamps exported without an offset",
    ),
    Variable(
        "CSA_SOURCE_ENCODINGS",
        "source_encodings",
        "e.g. `accounts=cp932,nps_responses=cp932` for Shift-JIS exports",
        _encodings,
    ),
    Variable(
        "CSA_DUCKDB_MEMORY_LIMIT",
        "duckdb_memory_limit",
        "DuckDB's memory limit (loads, gates and dbt); beyond it DuckDB spills to disk",
    ),
    Variable(
        "CSA_DUCKDB_TEMP_DIRECTORY",
        "duckdb_temp_directory",
        "where DuckDB spills what exceeds its memory limit",
        path=True,
    ),
    Variable(
        "CSA_ANALYTICS_PATH",
        "analytics_path",
        "the analysts' published copy of the marts",
        path=True,
    ),
    Variable("CSA_NIGHTLY_CRON", "nightly_cron", "when the nightly job runs"),
    Variable("CSA_NIGHTLY_TIMEZONE", "nightly_timezone", "time zone of CSA_NIGHTLY_CRON"),
    Variable(
        "CSA_NIGHTLY_MAX_RUNTIME_SECONDS",
        "nightly_max_runtime_seconds",
        "a nightly run still going after this long is stopped, failed and alerted",
        int,
    ),
    Variable(
        "CSA_AUTOMATION_RUNNING",
        "automation_running",
        "`true`: the schedule and sensors start RUNNING instead of STOPPED",
        _flag,
    ),
    Variable(
        "CSA_ALERT_WEBHOOK_URL",
        "alert_webhook_url",
        "Slack-compatible webhook for failed runs and late exports",
    ),
    Variable(
        "CSA_FRESHNESS_DAYS",
        "freshness_days",
        "an export whose latest drop is older warns (its `freshness` check)",
        float,
    ),
    Variable(
        "CSA_FRESHNESS_DAYS_BY_EXPORT",
        "freshness_days_by_export",
        "other allowances per export, e.g. `plans=35,fx_rates=8`",
        _days_by_export,
    ),
    Variable("CSA_ENGINE", "engine", "`duckdb` or `spark` (docs/spark.md)", _lower),
    Variable(
        "CSA_PARQUET_DIR",
        "parquet_dir",
        "where raw tables are published as Parquet for Spark",
        path=True,
    ),
    Variable(
        "CSA_SPARK_METHOD",
        "spark_method",
        "`session` (local pyspark), `thrift` or `http`",
        _lower,
    ),
    Variable("CSA_SPARK_HOST", "spark_host", "Spark Thrift server or Databricks host"),
    Variable("CSA_SPARK_PORT", "spark_port", "its port", int),
    Variable("CSA_SPARK_TOKEN", "spark_token", "access token (method http)"),
    Variable("CSA_SPARK_CLUSTER", "spark_cluster", "cluster id (method http)"),
    Variable("CSA_SPARK_SCHEMA", "spark_schema", "Spark's default schema"),
    Variable(
        "CSA_SPARK_LOCAL_DIR",
        "spark_local_dir",
        "local Spark's tables and metastore (method session)",
        path=True,
    ),
    Variable("CSA_REPORT_PATH", "report_file", "the KPI report (HTML, opens offline)", path=True),
    Variable(
        "CSA_REPORT_LANGUAGE", "report_language", "labels of the report: `ja` or `en`", _lower
    ),
    Variable(
        "CSA_SEGMENT_EXTRA_DIMENSIONS",
        "segment_extra_dimensions",
        "more dimensions of kpi_segments_monthly: columns of accounts.csv, e.g. `Region,plan_tier`",
        _names,
    ),
)

VARIABLES_BY_FIELD = {variable.field: variable for variable in VARIABLES}


class Settings(dg.ConfigurableResource):
    """Every setting of cs-analytics (README, Configuration). Paths are as configured;
    relative ones are resolved from the repository root by the `*_folder`/`*_file` properties."""

    landing_dir: str = Field(default="data/landing", description="Folder of export drops.")
    warehouse_path: str = Field(default="data/warehouse.duckdb", description="DuckDB warehouse.")
    # Vendor folders in the drops (docs/sources.md) are configured in one YAML file.
    sources_file: str | None = None  # None = sources.yml at the landing folder's root
    as_of_date: str | None = Field(default=None, description="YYYY-MM-DD; default: latest drop.")
    reporting_currency: str = "JPY"
    reporting_timezone: str = "Asia/Tokyo"
    source_timezone: str = "Asia/Tokyo"
    source_encodings: dict[str, str] = Field(default_factory=dict)
    # DuckDB's default (80 % of RAM) let a 25-million-row load peak at 6.2 GiB; with a limit
    # it spills to disk instead.
    duckdb_memory_limit: str = "4GB"
    duckdb_temp_directory: str | None = None  # None = <warehouse>.tmp beside the warehouse
    # Operations (docs/operations.md): the published copy analysts read, and automation.
    analytics_path: str | None = None  # None = analytics.duckdb beside the warehouse
    nightly_cron: str = "0 2 * * *"
    nightly_timezone: str = "Asia/Tokyo"
    # The nightly run takes about 25 s at the `large` benchmark scale and a full build 100 s;
    # an hour means it hangs. Dagster's run monitoring (dagster.yaml) enforces it.
    nightly_max_runtime_seconds: int = 3600
    automation_running: bool = False  # schedules and sensors start STOPPED unless true
    alert_webhook_url: str | None = None
    # Freshness (docs/operations.md): a daily drop missed for one night makes its export's
    # latest drop more than 2 days old at the next 02:00 run (counted from the drop date's
    # start), so the default warns after one missed night.
    freshness_days: float = 2.0
    freshness_days_by_export: dict[str, float] = Field(default_factory=dict)
    # Scale-out (docs/spark.md): the dbt target, and where raw tables are published as Parquet.
    engine: str = "duckdb"
    parquet_dir: str | None = None  # None = parquet/ beside the warehouse
    spark_method: str = "session"
    spark_host: str = "localhost"
    spark_port: int = 10000
    spark_token: str = ""
    spark_cluster: str = ""
    spark_schema: str = "default"
    spark_local_dir: str | None = None  # local Spark's warehouse + metastore; None = spark/
    # The KPI report (docs/report.md): one HTML file, labels in Japanese or English.
    report_file: str | None = None  # None = reports/kpi_report.html beside the warehouse
    report_language: str = "ja"
    # Segments (metrics.md): more dimensions, each an extra column of accounts.csv that the
    # loader keeps under its exact header; an account is in the value it had at month start.
    segment_extra_dimensions: list[str] = Field(default_factory=list)

    @field_validator("as_of_date")
    @classmethod
    def _valid_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise ConfigurationError(
                f"CSA_AS_OF_DATE={value!r} is not a YYYY-MM-DD date"
            ) from error

    @field_validator("reporting_currency")
    @classmethod
    def _valid_currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ConfigurationError(
                f"CSA_REPORTING_CURRENCY={value!r} is not an ISO 4217 code such as JPY or USD"
            )
        return value

    @field_validator("freshness_days")
    @classmethod
    def _positive_days(cls, value: float) -> float:
        if not value > 0:
            raise ConfigurationError(f"CSA_FRESHNESS_DAYS={value!r} must be a number of days > 0")
        return value

    @field_validator("freshness_days_by_export")
    @classmethod
    def _known_exports(cls, value: dict[str, float]) -> dict[str, float]:
        for name, days in value.items():
            if name not in EXPORTS_BY_NAME or not days > 0:
                raise ConfigurationError(
                    f"CSA_FRESHNESS_DAYS_BY_EXPORT: {name}={days!r} needs an export of the "
                    f"contract ({', '.join(EXPORTS_BY_NAME)}) and a number of days > 0"
                )
        return value

    @field_validator("report_language")
    @classmethod
    def _valid_language(cls, value: str) -> str:
        return _one_of("CSA_REPORT_LANGUAGE", value, REPORT_LANGUAGES)

    @field_validator("engine")
    @classmethod
    def _valid_engine(cls, value: str) -> str:
        return _one_of("CSA_ENGINE", value, ENGINES)

    @field_validator("spark_method")
    @classmethod
    def _valid_spark_method(cls, value: str) -> str:
        return _one_of("CSA_SPARK_METHOD", value, SPARK_METHODS)

    @field_validator("landing_dir", "warehouse_path")
    @classmethod
    def _not_empty(cls, value: str, info) -> str:
        if not value.strip():
            name = VARIABLES_BY_FIELD[info.field_name].name
            raise ConfigurationError(f"{name} is empty: set it to a path or unset it")
        return value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from `CSA_*` variables (os.environ unless `env` is given); an unset or
        empty variable takes the default, except a path, where empty is an error."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for variable in VARIABLES:
            if variable.name not in env:
                continue
            text = env[variable.name]
            if not text.strip():
                if variable.path:
                    raise ConfigurationError(
                        f"{variable.name} is set but empty, which would mean the current "
                        "folder: set it to a path or unset it"
                    )
                continue
            try:
                values[variable.field] = variable.parse(text)
            except ConfigurationError:
                raise
            except ValueError as error:
                raise ConfigurationError(f"{variable.name}={text!r}: {error}") from error
        return cls(**(values | overrides))

    # Resolved paths.

    @property
    def landing_folder(self) -> Path:
        return resolve_path(self.landing_dir)

    @property
    def warehouse_file(self) -> Path:
        return resolve_path(self.warehouse_path)

    @property
    def sources_path(self) -> Path:
        """The sources' configuration: CSA_SOURCES_FILE, else sources.yml in the landing folder
        (a landing without one uses every vendor's defaults)."""
        if self.sources_file:
            return resolve_path(self.sources_file)
        return self.landing_folder / "sources.yml"

    @property
    def as_of(self) -> date | None:
        return date.fromisoformat(self.as_of_date) if self.as_of_date else None

    @property
    def publication_path(self) -> Path:
        """The analysts' DuckDB file: CSA_ANALYTICS_PATH, else analytics.duckdb by the warehouse."""
        if self.analytics_path:
            return resolve_path(self.analytics_path)
        return self.warehouse_file.parent / "analytics.duckdb"

    @property
    def duckdb_temp_folder(self) -> Path:
        """Where DuckDB spills: CSA_DUCKDB_TEMP_DIRECTORY, else `<warehouse>.tmp` beside the
        warehouse (DuckDB's own default for a database file, set explicitly so the loads, the
        gates and dbt all spill to the same place)."""
        if self.duckdb_temp_directory:
            return resolve_path(self.duckdb_temp_directory)
        return self.warehouse_file.with_name(self.warehouse_file.name + ".tmp")

    @property
    def raw_parquet_dir(self) -> Path:
        """Where raw tables are published as Parquet for Spark: CSA_PARQUET_DIR or parquet/
        beside the warehouse."""
        if self.parquet_dir:
            return resolve_path(self.parquet_dir)
        return self.warehouse_file.parent / "parquet"

    @property
    def spark_home(self) -> Path:
        """Local Spark (session method): CSA_SPARK_LOCAL_DIR, else spark/ by the warehouse."""
        if self.spark_local_dir:
            return resolve_path(self.spark_local_dir)
        return self.warehouse_file.parent / "spark"

    @property
    def report_path(self) -> Path:
        """The KPI report: CSA_REPORT_PATH, else reports/kpi_report.html by the warehouse."""
        if self.report_file:
            return resolve_path(self.report_file)
        return self.warehouse_file.parent / "reports" / "kpi_report.html"

    def encoding_for(self, export_name: str) -> str:
        return self.source_encodings.get(export_name, "utf-8")

    def freshness_allowance(self, export_name: str) -> timedelta:
        """How old an export's latest drop may be before its freshness check warns."""
        return timedelta(days=self.freshness_days_by_export.get(export_name, self.freshness_days))

    # What dbt receives.

    def dbt_vars(self) -> dict[str, str | list[str]]:
        """Values the dbt models need, passed with `--vars` (the same in `dbt parse` and
        `dbt build`, so the build reuses the parse)."""
        values: dict[str, str | list[str]] = {
            "reporting_currency": self.reporting_currency,
            "reporting_timezone": self.reporting_timezone,
        }
        if self.as_of_date:
            values["as_of_date"] = self.as_of_date
        if self.segment_extra_dimensions:
            values["segment_extra_dimensions"] = self.segment_extra_dimensions
        if self.engine == "spark":
            values["raw_parquet_dir"] = str(self.raw_parquet_dir)
        return values

    def dbt_environment(self) -> dict[str, str]:
        """The variables `dbt_project/profiles.yml` reads, resolved (absolute paths)."""
        environment = {
            "CSA_DBT_TARGET": self.engine,
            "CSA_WAREHOUSE_PATH": str(self.warehouse_file),
            "CSA_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "CSA_DUCKDB_TEMP_DIRECTORY": str(self.duckdb_temp_folder),
            "CSA_REPORTING_TIMEZONE": self.reporting_timezone,
            "CSA_SPARK_METHOD": self.spark_method,
            "CSA_SPARK_HOST": self.spark_host,
            "CSA_SPARK_PORT": str(self.spark_port),
            "CSA_SPARK_TOKEN": self.spark_token,
            "CSA_SPARK_CLUSTER": self.spark_cluster,
            "CSA_SPARK_SCHEMA": self.spark_schema,
        }
        if self.engine == "spark" and self.spark_method == "session":
            environment["PYSPARK_SUBMIT_ARGS"] = self.local_spark_submit_args()
            environment["LOG4J_CONFIGURATION_FILE"] = str(SPARK_LOG_CONFIG)
            environment["CSA_SPARK_LOG_FILE"] = str(self.spark_home / "logs" / "spark.log")
        return environment

    def local_spark_submit_args(self) -> str:
        """PYSPARK_SUBMIT_ARGS that keep a local Spark's tables and Derby metastore in
        `spark_home` instead of the dbt subprocess's working directory, and its console
        progress bar off: drawn on stderr without a newline, it once joined the line of a dbt
        JSON event, and dagster-dbt lost that model's result (issue 17)."""
        home = self.spark_home
        metastore = f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true"
        return shlex.join(
            [
                "--conf",
                "spark.ui.showConsoleProgress=false",
                "--conf",
                f"spark.sql.warehouse.dir={home / 'warehouse'}",
                "--conf",
                f"spark.hadoop.javax.jdo.option.ConnectionURL={metastore}",
                "--driver-java-options",
                f"-Dderby.system.home={home}",
                "pyspark-shell",
            ]
        )


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise ConfigurationError(
            f"{name}={value!r} is not supported; use one of {', '.join(allowed)}"
        )
    return value
