"""Help desk tickets and NPS survey answers of a cohort."""

from __future__ import annotations

import numpy as np

from demo import catalog, texts
from demo.cohort import Cohort
from demo.columns import Integers
from demo.dated import Moments
from demo.draws import pick, rank_within
from demo.labels import Labels, text
from demo.life import Life
from demo.presence import Presence
from demo.tables import Table, Versions
from demo.timeline import DAY_SECONDS, office_seconds, styles

TICKETS_PER_MONTH = np.array([0.25, 0.6, 1.4])  # by company size
RESPONDENTS_PER_SURVEY = np.array([0.45, 0.8, 1.6])
FAST_CHANNELS = np.isin(catalog.CHANNELS, ("phone", "chat"))
LINE = catalog.CHANNELS.index("line")
NEVER_ANSWERED, NEVER_RESOLVED = 0.015, 0.02
FIRST_SURVEY_DAYS, SURVEY_GAP_DAYS, ANSWER_DAYS = 90, (165, 196), 10


def ticket_days(rng: np.random.Generator, cohort: Cohort, cells: Presence) -> np.ndarray:
    """Cells (indices into `cells`) on which tickets are opened, by account and day: more
    on the days an account struggles."""
    weights = 0.5 + 1.5 * (1 - cohort.health_on(cells.account, cells.day))
    total = np.bincount(cells.account, weights, minlength=len(cohort))
    count = rng.poisson(TICKETS_PER_MONTH[cohort.size] / 30 * total)
    account = np.repeat(np.arange(len(cohort)), count)
    running = np.cumsum(weights)
    before = np.r_[0.0, running][cells.offsets[account]]
    target = before + rng.random(len(account)) * total[account]
    cell = np.searchsorted(running, target, side="right")
    cell = np.clip(cell, cells.offsets[account], cells.offsets[account + 1] - 1)
    return np.sort(cell)


def tickets(rng: np.random.Generator, cohort: Cohort, cells: Presence) -> Versions:
    """Tickets while the account uses the product, each as versions: opened, first
    answered, resolved; the latest known one wins per drop."""
    cell = ticket_days(rng, cohort, cells)
    count, account = len(cell), cells.account[cell]
    channel = pick(rng.random(count), catalog.CHANNEL_WEIGHTS)
    priority = pick(rng.random(count), catalog.PRIORITY_WEIGHTS)
    category = pick(rng.random(count), texts.TICKET_CATEGORY_WEIGHTS)
    created = office_seconds(rng, cells.day[cell], late=channel == LINE)
    answered = rng.random(count) >= NEVER_ANSWERED
    scale = np.where(FAST_CHANNELS[channel], 8, 150)
    response = created + 60 * (1 + rng.gamma(1.3, scale).astype(np.int64))
    resolved = answered & (rng.random(count) >= NEVER_RESOLVED)
    resolution = response + 60 * rng.gamma(1.1, 60 * 20, count).astype(np.int64)
    style = styles(rng.random(count))
    # Versions ticket by ticket: opened, then answered, then resolved where they happened.
    ticket, state = np.nonzero(np.stack([np.ones(count, bool), answered, resolved], axis=1))
    updated = np.choose(state, [created[ticket], response[ticket], resolution[ticket]])
    number = rank_within(account)[ticket]
    columns = {
        "ticket_id": text("tk-", *cohort.key_of(account[ticket]), "-", Integers(number, least=4)),
        "account_id": cohort.account_id(account[ticket]),
        "channel": Labels(channel[ticket], catalog.CHANNELS),
        "priority": Labels(priority[ticket], catalog.PRIORITIES),
        "category": Labels(category[ticket], texts.TICKET_CATEGORIES),
        "created_at": Moments(created[ticket], style[ticket]),
        "first_response_at": Moments(response[ticket], style[ticket], null=state < 1),
        "resolved_at": Moments(resolution[ticket], style[ticket], null=state < 2),
        "updated_at": Moments(updated, style[ticket]),
    }
    return Versions(updated // DAY_SECONDS, ticket, Table("support_tickets", columns))


def nps(rng: np.random.Generator, cohort: Cohort, life: Life, cells: Presence) -> Versions:
    """A survey 90 days after the first paid day and then about twice a year while the
    account is a customer; scores follow health, some answers carry a comment."""
    end = cohort.calendar.end
    paid = np.flatnonzero(life.first_paid >= 0)
    surveys = (end - cohort.calendar.start) // SURVEY_GAP_DAYS[0] + 1
    gaps = rng.integers(*SURVEY_GAP_DAYS, (len(paid), surveys))
    gaps[:, 0] = FIRST_SURVEY_DAYS
    day = life.first_paid[paid, None] + np.cumsum(gaps, axis=1)
    row, _ = np.nonzero(day <= end)
    account, survey = paid[row], day[day <= end]
    held = cells.contains(account, survey)
    account, survey = account[held], survey[held]
    answers = np.repeat(
        np.arange(len(account)), rng.poisson(RESPONDENTS_PER_SURVEY[cohort.size[account]])
    )
    answered = survey[answers] + rng.integers(0, ANSWER_DAYS, len(answers))
    health = cohort.health_on(account, survey)[answers]
    score = np.clip(np.rint(rng.normal(3.5 + 7 * health, 1.4)), 0, 10).astype(np.int64)
    commented = rng.random(len(answers)) < 0.45
    comment = texts.nps_comments(rng, score)
    given = rng.integers(len(texts.ROMAN_GIVEN), size=len(answers))
    mailbox = rng.integers(1, 99, len(answers))
    moment = office_seconds(rng, answered, late=True)
    style = styles(rng.random(len(answers)))
    kept = answered <= end
    who = account[answers][kept]
    columns = {
        "response_id": text("nps-", *cohort.key_of(who), "-", Integers(rank_within(who), least=3)),
        "account_id": cohort.account_id(who),
        "contact_email": text(
            Labels(given[kept], texts.ROMAN_GIVEN),
            ".",
            Integers(mailbox[kept]),
            "@acc-",
            *cohort.key_of(who),
            ".example.jp",
        ),
        "responded_at": Moments(moment[kept], style[kept]),
        "score": Integers(score[kept]),
        "comment": Labels(comment[kept], texts.COMMENTS, null=~commented[kept]),
    }
    return Versions(answered[kept], None, Table("nps_responses", columns))
