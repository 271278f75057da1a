"""sources.yml: validated against its schema, every error naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.config import Settings
from orchestration.sources.configuration import SourcesFileError, load_sources
from orchestration.sources.stripe import VENDOR
from orchestration.sources.yaml_marks import YamlFileError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_every_default(tmp_path: Path) -> None:
    config = load_sources(tmp_path / "sources.yml")
    options = config.options_for(VENDOR)
    assert config.path is None
    assert (options.account_id_key, options.tier_key, options.exports) == ("account_id", None, None)


def test_configured_options_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\nsources:\n  stripe:\n    account_id_key: crm_id\n    tier_key: tier\n"
        "    exports: [plans, subscription_items]\n    currency_exponents: {XAU: 3}\n",
    )
    options = load_sources(path).options_for(VENDOR)
    assert (options.account_id_key, options.tier_key) == ("crm_id", "tier")
    assert VENDOR.exports_fed(options) == ("plans", "subscription_items")
    assert options.currency_exponents == {"XAU": 3}


def test_every_error_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sources:\n"
        "  stripe:\n"
        "    acount_id_key: crm_id\n"  # line 3: a typo is an unknown key
        "    exports: [plans, accounts]\n"  # line 4: stripe feeds no accounts
        "  zoho:\n"  # line 5: no such vendor
        "    files: '*.csv'\n",
    )
    with pytest.raises(SourcesFileError) as raised:
        load_sources(path)
    lines = str(raised.value).splitlines()
    assert f"{path}:3: sources.stripe.acount_id_key: Extra inputs are not permitted" in lines
    assert f"{path}:5: sources.zoho: no built-in vendor is named 'zoho'" in lines[-1]


def test_a_feed_the_vendor_cannot_give_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "sources:\n  stripe:\n    exports:\n      - plans\n      - accounts\n")
    with pytest.raises(
        SourcesFileError,
        match=r"sources\.yml:5: sources\.stripe\.exports\.1: "
        r"stripe cannot feed accounts",
    ):
        load_sources(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  stripe:\n    tier_key: [\n", r"sources\.yml:4: not valid YAML"),
        (
            "sources:\n  stripe: {}\n  stripe: {}\n",
            r"sources\.yml:3: sources\.stripe: key given "
            r"twice \(first on line 2\)",
        ),
        ("version: 2\n", r"sources\.yml:1: version: Input should be 1"),
        (
            "sources:\n  stripe:\n    currency_exponents: {JPY: 9}\n",
            r"sources\.yml:3: sources\.stripe\.currency_exponents: Value error, JPY: exponent 9",
        ),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(YamlFileError, match=message):
        load_sources(write(tmp_path, text))


def test_the_file_is_in_the_landing_unless_configured(tmp_path: Path) -> None:
    assert Settings(landing_dir=str(tmp_path)).sources_path == tmp_path / "sources.yml"
    elsewhere = tmp_path / "conf" / "sources.yml"
    settings = Settings.from_env(
        {"CSA_LANDING_DIR": str(tmp_path), "CSA_SOURCES_FILE": str(elsewhere)}
    )
    assert settings.sources_path == elsewhere
