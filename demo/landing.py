"""`generate`: the demo company written as contract drops, cohorts simulated in parallel.

Each cohort has its own random stream, so worker processes produce the same bytes as one
process would; the files are appended in cohort order, whatever finishes first.
"""

from __future__ import annotations

import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from demo.amplitude import write_amplitude
from demo.config import GeneratorConfig
from demo.delighted import write_delighted
from demo.dirty import write_unreadable_rows
from demo.reps import CsTeam
from demo.salesforce import write_salesforce
from demo.segment import write_segment
from demo.stripe import write_stripe_billing
from demo.timeline import to_date
from demo.world import CohortTask, cohort_batch, cohort_tasks, hire_team, reference_batch
from demo.writer import DropFiles, DropRenderer, Rendered
from demo.zendesk import write_zendesk
from orchestration.contract import EXPORTS

Job = TypeVar("Job")
Result = TypeVar("Result")
AHEAD_PER_WORKER = 2  # cohorts in flight per worker: bounds memory to a few cohorts' bytes


@dataclass(frozen=True)
class GenerationSummary:
    """What a run wrote: the drop dates and the rows of every export per drop."""

    out: Path
    drops: list[str]
    rows_written: dict[str, dict[str, int]]

    def total_rows(self) -> int:
        """All rows of all files of all drops."""
        return sum(sum(per_drop.values()) for per_drop in self.rows_written.values())

    def table(self) -> str:
        """Rows per export and drop, as a plain-text table."""
        lines = [f"{'export':<24}" + "".join(f"{drop:>12}" for drop in self.drops)]
        for export in EXPORTS:
            counts = self.rows_written[export.name]
            lines.append(f"{export.name:<24}" + "".join(f"{counts[d]:>12,}" for d in self.drops))
        return "\n".join(lines)


def cores() -> int:
    """The cores this process may run on (all of them where the OS cannot say, as on macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def ordered_map(
    function: Callable[[Job], Result], jobs: Iterable[Job], workers: int
) -> Iterator[Result]:
    """`map(function, jobs)` in `workers` processes, results in job order (in this process
    for one worker)."""
    jobs = list(jobs)
    workers = min(workers, len(jobs))
    if workers <= 1:
        yield from map(function, jobs)
        return
    # spawn, not fork: the caller may hold threads (Dagster, tqdm) that fork would copy.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending = deque()
        for job in jobs:
            pending.append(pool.submit(function, job))
            if len(pending) >= workers * AHEAD_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def render_cohort(job: tuple[GeneratorConfig, CsTeam, CohortTask, Path | None]) -> Rendered:
    """One cohort simulated and rendered as contract CSV; in a worker process, the bytes
    are spilled to a file in `spill_to`."""
    config, team, task, spill_to = job
    rendered = DropRenderer(config).render(cohort_batch(config, team, task))
    if spill_to is None:
        return rendered
    return rendered.spill(spill_to / f"cohort-{int(task.crm)}-{task.number:05d}.csv-parts")


def generate(config: GeneratorConfig, workers: int | None = None) -> GenerationSummary:
    """Simulate the company and write `config.drops` drops into `config.out`, on `workers`
    processes (the same bytes on any number). By default one process per core when there
    are several cohorts of accounts, else this process alone: a worker takes about a
    second to start, more than a small landing takes to make. Workers are spawned, so a
    script file that calls this needs the `if __name__ == "__main__":` guard."""
    team, renderer = hire_team(config), DropRenderer(config)
    first_account: tuple[str, int] | None = None
    tasks = cohort_tasks(config)
    if workers is None:
        workers = cores() if sum(task.crm for task in tasks) > 1 else 1
    progress = tqdm(
        total=config.accounts, unit="acct", desc="accounts", disable=not config.progress
    )
    with (
        DropFiles(config, renderer.layouts) as files,
        progress,
        tempfile.TemporaryDirectory(prefix="demo-cohorts-") as spill_to,
    ):
        spill = Path(spill_to) if workers > 1 else None
        jobs = [(config, team, task, spill) for task in tasks]
        files.append(renderer.render(reference_batch(config, team)))
        for rendered in ordered_map(render_cohort, jobs, workers):
            files.append(rendered)
            first_account = first_account or rendered.first_account
            progress.update(rendered.accounts)
        if config.dirty and first_account:
            write_unreadable_rows(files, first_account[0], to_date(first_account[1]))
    if config.crm_format == "salesforce":
        cases = config.helpdesk_format == "contract"
        write_salesforce(config.out, cases=cases, cp932=config.cp932_files)
    if config.helpdesk_format == "zendesk":
        write_zendesk(config.out)
    if config.survey_format == "delighted":
        cp932 = "nps_responses" in config.cp932_files
        write_delighted(config.out, "cp932" if cp932 else "utf-8-sig")
    if config.billing_format == "stripe":
        write_stripe_billing(config.out, files.drops, config.stripe_files)
    if config.usage_format == "segment":
        write_segment(config.out)
    if config.usage_format == "amplitude":
        write_amplitude(config.out)
    return GenerationSummary(config.out, files.drops, files.rows_written)
