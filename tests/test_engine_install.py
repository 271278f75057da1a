"""CSA_ENGINE=spark without `make install-spark` stops at once and says what to install,
instead of dbt's "Credentials in profile ... invalid"."""

import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT, ConfigurationError, Settings
from orchestration.project import dbt_resource
from tests.shell import plain_shell_environment

pytestmark = pytest.mark.skipif(
    find_spec("dbt.adapters.spark") is not None, reason="dbt-spark is installed here"
)


def test_dbt_on_spark_without_its_packages_names_the_make_target() -> None:
    settings = Settings.from_env({"CSA_ENGINE": "spark"})
    with pytest.raises(ConfigurationError, match=r"dbt-spark and pyspark.*make install-spark"):
        dbt_resource(settings).parse()


def test_a_thrift_server_needs_dbt_spark_only() -> None:
    settings = Settings.from_env({"CSA_ENGINE": "spark", "CSA_SPARK_METHOD": "thrift"})
    with pytest.raises(ConfigurationError, match=r"needs dbt-spark, which"):
        dbt_resource(settings).parse()


def test_make_run_on_spark_without_install_fails_with_the_hint(workdir: Path) -> None:
    env = plain_shell_environment(workdir) | {"CSA_ENGINE": "spark"}
    result = subprocess.run(
        ["make", "--no-print-directory", "dbt-parse"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "make install-spark" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Credentials in profile" not in result.stdout + result.stderr
