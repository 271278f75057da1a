"""What the report shows, read from the marts in one read-only session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orchestration.reports.headlines import HeadlineMonth, read_headlines

# The marts the report reads; its Dagster asset depends on exactly these.
REPORT_MARTS = (
    "kpi_monthly",
    "mrr_monthly",
    "cohort_retention",
    "nps_monthly",
    "account_health",
    "cs_action_queue",
    "kpi_segments_monthly",
    "csm_book_monthly",
)
# The segment view: churn and NRR of the as-of month by these dimensions.
SEGMENT_DIMENSIONS = ("company_size", "product")


class ReportDataError(RuntimeError):
    """The marts cannot make a report (for example, no month has been built yet)."""


@dataclass(frozen=True)
class ReportData:
    headlines: HeadlineMonth
    as_of_date: date | None  # the latest health snapshot, the day the queue is for
    bridge: dict[str, Decimal]  # the as-of month's row of marts.mrr_monthly
    trend: list[dict]  # month, mrr, nrr_pct, nrr_12m_pct, grr_pct: every month
    cohorts: list[tuple[date, int, Decimal | None]]  # cohort_month, months_since_start, pct
    nps: list[dict]  # month, nps, nps_trailing_3m, responses
    health_bands: dict[str, tuple[int, Decimal]]  # band -> (customers, mrr) on as_of_date
    queue: dict[str | None, list[dict]]  # csm_id (None: no CSM) -> its first actions, in order
    segments: dict[str, list[dict]]  # dimension -> its segments in the as-of month, by MRR
    books: list[dict]  # csm_book_monthly's rows of the as-of month, by MRR


def _dicts(connection, sql: str, params: list | None = None) -> list[dict]:
    cursor = connection.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_report_data(connection, *, queue_per_csm: int, cohort_months: int) -> ReportData:
    headlines = read_headlines(connection)
    if headlines is None:
        raise ReportDataError(
            "marts.kpi_monthly has no rows: no month has MRR yet, so there is nothing to report"
        )
    month = headlines.month
    [bridge] = _dicts(
        connection,
        "select starting_mrr, fx_adjustment, new_mrr, reactivation_mrr, expansion_mrr,"
        " contraction_mrr, churned_mrr, mrr from marts.mrr_monthly where month = ?",
        [month],
    )
    trend = _dicts(
        connection,
        "select month, mrr, nrr_pct, nrr_12m_pct, grr_pct from marts.kpi_monthly order by month",
    )
    cohorts = connection.execute(
        "select cohort_month, months_since_start, logo_retention_pct from marts.cohort_retention"
        " where cohort_month > ? - to_months(?) order by cohort_month, months_since_start",
        [month, cohort_months],
    ).fetchall()
    nps = _dicts(
        connection,
        "select month, nps, nps_trailing_3m, responses from marts.nps_monthly order by month",
    )
    [as_of_date] = connection.execute(
        "select max(snapshot_date) from marts.account_health"
    ).fetchone()
    bands = connection.execute(
        "select health_band, count(*), sum(mrr) from marts.account_health"
        " where snapshot_date = ? group by health_band",
        [as_of_date],
    ).fetchall()
    queue_rows = _dicts(
        connection,
        "select csm_id, account_name, playbook, priority, reason, reason_ja, mrr from ("
        "  select *, row_number() over (partition by csm_id order by queue_rank) as position"
        "  from marts.cs_action_queue) where position <= ? order by csm_id nulls last, position",
        [queue_per_csm],
    )
    queue: dict[str | None, list[dict]] = {}
    for row in queue_rows:
        queue.setdefault(row.pop("csm_id"), []).append(row)
    segment_rows = _dicts(
        connection,
        "select dimension, segment, customers, mrr, customer_churn_rate_pct, nrr_pct, grr_pct"
        " from marts.kpi_segments_monthly where month = ? and dimension in (?, ?)"
        " order by dimension, mrr desc, segment",
        [month, *SEGMENT_DIMENSIONS],
    )
    segments: dict[str, list[dict]] = {dimension: [] for dimension in SEGMENT_DIMENSIONS}
    for row in segment_rows:
        segments[row.pop("dimension")].append(row)
    books = _dicts(
        connection,
        "select csm_id, accounts, starting_mrr, transfer_in_mrr, transfer_out_mrr, churned_mrr,"
        " mrr, nrr_pct, accounts_red, open_queue_items from marts.csm_book_monthly"
        " where month = ? order by mrr desc, csm_id",
        [month],
    )
    return ReportData(
        headlines=headlines,
        as_of_date=as_of_date,
        bridge=bridge,
        trend=trend,
        cohorts=cohorts,
        nps=nps,
        health_bands={band: (count, mrr) for band, count, mrr in bands},
        queue=queue,
        segments=segments,
        books=books,
    )
