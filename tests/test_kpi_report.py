"""The KPI report asset: written by the pipeline, opened in headless Chromium, read back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from plotly.offline import get_plotlyjs
from selenium.webdriver.common.by import By

from demo import GeneratorConfig, generate
from orchestration.config import Settings
from orchestration.definitions import defs
from orchestration.reports.asset import QUEUE_PER_CSM, build_report
from orchestration.reports.data import ReportDataError
from tests.browser import headless_chromium, severe_console_messages
from tests.pipeline import PipelineRun, run_pipeline

CHARTS = ("mrr-bridge", "mrr-trend", "nrr-trend", "cohort-retention", "nps-trend", "health-bands")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    landing = tmp_path_factory.mktemp("landing")
    generate(GeneratorConfig(out=landing, accounts=150, months=18, dirty=False, seed=7))
    yield run_pipeline(landing, tmp_path_factory.mktemp("work"))


def latest_kpis(run: PipelineRun) -> dict:
    [row] = run.query_dicts("select * from marts.kpi_monthly order by month desc limit 1")
    return row


def page_kpis(driver) -> dict[str, tuple[str | None, str]]:
    return {
        card.get_attribute("data-kpi"): (
            card.get_attribute("data-value"),
            card.find_element(By.CLASS_NAME, "kpi-value").text,
        )
        for card in driver.find_elements(By.CSS_SELECTOR, ".kpi")
    }


@pytest.mark.pipeline
def test_the_pipeline_writes_the_report_with_headlines_in_its_metadata(run: PipelineRun) -> None:
    [event] = run.result.asset_materializations_for_node("kpi_report")
    metadata = event.metadata
    path = Path(metadata["path"].value)
    assert path == run.settings.report_path and path.is_file()
    assert metadata["url"].value == path.as_uri()
    kpis = latest_kpis(run)
    assert metadata["as_of_month"].value == f"{kpis['month']:%Y-%m}"
    assert metadata["language"].value == "ja"
    headlines = metadata["headlines"].value
    assert headlines["mrr"] == pytest.approx(float(kpis["mrr"]))
    assert headlines["customers"] == kpis["customers"] > 0
    assert headlines["nrr_pct"] == pytest.approx(float(kpis["nrr_pct"]))
    html = path.read_text(encoding="utf-8")
    # Self-contained: plotly.js is inlined, and nothing else points outside the file.
    assert get_plotlyjs() in html
    page = html.replace(get_plotlyjs(), "")
    assert "<script src=" not in page and "<link" not in page and "http" not in page
    assert '<html lang="ja">' in html and "カスタマーサクセス KPI レポート" in html


@pytest.mark.pipeline
def test_the_report_renders_in_chromium_with_the_marts_numbers(
    run: PipelineRun, tmp_path: Path
) -> None:
    kpis = latest_kpis(run)
    [bridge] = run.query_dicts(
        "select * from marts.mrr_monthly where month = (select max(month) from marts.mrr_monthly)"
    )
    with headless_chromium() as driver:
        driver.get(run.settings.report_path.as_uri())
        assert severe_console_messages(driver) == []
        # The page fetched nothing: no script, style, font or image from any address.
        assert driver.execute_script("return performance.getEntriesByType('resource')") == []

        for chart in CHARTS:
            figure = driver.find_element(By.ID, f"chart-{chart}")
            svg = figure.find_element(By.CSS_SELECTOR, ".main-svg")
            assert svg.size["width"] > 300 and svg.size["height"] > 200, chart
            assert driver.execute_script("return arguments[0].data.length", figure) >= 1, chart

        cards = page_kpis(driver)
        assert float(cards["mrr"][0]) == pytest.approx(float(kpis["mrr"]))
        assert cards["mrr"][1] == f"¥{kpis['mrr']:,.0f}"
        assert cards["customers"][1] == f"{kpis['customers']:,}"
        assert cards["nrr_pct"][1] == f"{kpis['nrr_pct']:.1f}%"

        # The waterfall plots the as-of month's bridge: start, six movements, end.
        plotted = driver.execute_script(
            "return document.getElementById('chart-mrr-bridge').data[0].y"
        )
        expected = [
            bridge["starting_mrr"],
            bridge["fx_adjustment"],
            bridge["new_mrr"],
            bridge["reactivation_mrr"],
            bridge["expansion_mrr"],
            -bridge["contraction_mrr"],
            -bridge["churned_mrr"],
            bridge["mrr"],
        ]
        assert plotted == pytest.approx([float(value) for value in expected])
        assert sum(plotted[:-1]) == pytest.approx(plotted[-1])  # the bridge closes

        # Each CSM's table is the head of their queue, in queue order.
        queue = run.query(
            "select csm_id, account_name from marts.cs_action_queue order by queue_rank"
        )
        tables = driver.find_elements(By.CSS_SELECTOR, "#action-queue table")
        assert tables, "the generated data has accounts in the action queue"
        for table in tables:
            csm = table.get_attribute("data-csm")
            shown = [
                row.find_elements(By.TAG_NAME, "td")[2].text
                for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
            ]
            assert shown == [name for owner, name in queue if (owner or "") == csm][:QUEUE_PER_CSM]

        # Reasons in the report's language (Japanese by default), as the mart writes them.
        reasons = dict(
            run.query("select account_name || playbook, reason_ja from marts.cs_action_queue")
        )
        shown_reasons = [
            cells[3].text
            for table in tables
            for cells in (
                row.find_elements(By.TAG_NAME, "td")
                for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
            )
        ]
        assert shown_reasons and all(reason in reasons.values() for reason in shown_reasons)

        # The segment view: company sizes and products of the as-of month, as the mart has them.
        month = kpis["month"]
        for index, dimension in enumerate(("company_size", "product")):
            expected_rows = run.query(
                "select count(*) from marts.kpi_segments_monthly where month = ? and dimension = ?",
                [month, dimension],
            )[0][0]
            table = driver.find_element(
                By.CSS_SELECTOR, f'#segments table[data-dimension="{index}"]'
            )
            assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) == expected_rows > 0
        books = run.query(
            "select mrr from marts.csm_book_monthly where month = ? order by mrr desc, csm_id",
            [month],
        )
        book_rows = driver.find_elements(By.CSS_SELECTOR, "#csm-books tbody tr")
        assert [row.find_elements(By.TAG_NAME, "td")[6].text for row in book_rows] == [
            f"¥{mrr:,.0f}" for (mrr,) in books
        ]

        screenshot = tmp_path / "report.png"
        driver.set_window_size(1400, 3000)
        assert driver.save_screenshot(str(screenshot))
        # A blank or unstyled page compresses to a few kilobytes; six charts do not.
        assert screenshot.stat().st_size > 150_000


@pytest.mark.pipeline
def test_english_labels_and_another_currency(run: PipelineRun, tmp_path: Path) -> None:
    settings = run.settings.model_copy(
        update={"report_file": str(tmp_path / "en.html"), "report_language": "en"}
    )
    with duckdb.connect(str(settings.warehouse_file), read_only=True) as connection:
        build_report(connection, settings)
    html = settings.report_path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Customer Success KPI report" in html
    assert "カスタマーサクセス" not in html and "前月比" not in html

    usd = settings.model_copy(
        update={"report_file": str(tmp_path / "usd.html"), "reporting_currency": "USD"}
    )
    with duckdb.connect(str(settings.warehouse_file), read_only=True) as connection:
        build_report(connection, usd)
    mrr = latest_kpis(run)["mrr"]
    with headless_chromium() as driver:
        driver.get(usd.report_path.as_uri())
        assert severe_console_messages(driver) == []
        assert page_kpis(driver)["mrr"][1] == f"${mrr:,.2f}"
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "figure.chart h2")]
        assert headings[0] == "MRR bridge" and len(headings) == len(CHARTS)


def test_an_unknown_language_is_refused_with_the_setting_named() -> None:
    with pytest.raises(ValueError, match="CSA_REPORT_LANGUAGE='fr' is not supported"):
        Settings.from_env({"CSA_REPORT_LANGUAGE": "fr"})


@pytest.mark.pipeline
def test_no_month_in_the_marts_is_a_clear_error_and_keeps_the_last_report(
    run: PipelineRun, tmp_path: Path
) -> None:
    warehouse = tmp_path / "empty.duckdb"
    with duckdb.connect(str(warehouse)) as copy:
        copy.execute(f"attach '{run.settings.warehouse_file}' as built (read_only)")
        copy.execute("create schema marts")
        copy.execute("create table marts.kpi_monthly as from built.marts.kpi_monthly limit 0")
    report = tmp_path / "report.html"
    report.write_text("yesterday's report", encoding="utf-8")
    settings = run.settings.model_copy(
        update={"warehouse_path": str(warehouse), "report_file": str(report)}
    )
    with (
        duckdb.connect(str(warehouse), read_only=True) as connection,
        pytest.raises(ReportDataError, match=r"marts\.kpi_monthly has no rows"),
    ):
        build_report(connection, settings)
    assert report.read_text(encoding="utf-8") == "yesterday's report"


def test_the_report_waits_for_every_mart_it_reads() -> None:
    report = defs.resolve_assets_def("kpi_report")
    deps = {key.path[-1] for key in report.asset_deps[dg.AssetKey("kpi_report")]}
    assert deps == {
        "kpi_monthly",
        "mrr_monthly",
        "cohort_retention",
        "nps_monthly",
        "account_health",
        "cs_action_queue",
        "kpi_segments_monthly",
        "csm_book_monthly",
    }
    assert report.group_names_by_key[dg.AssetKey("kpi_report")] == "reports"
