"""Help desk tickets and NPS survey answers of one account."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from demo import catalog, texts
from demo.crm import Account
from demo.model import Life
from demo.timeline import office_time, styled
from demo.writer import Version

TICKETS_PER_MONTH = {"smb": 0.25, "mid": 0.6, "enterprise": 1.4}
RESPONDENTS_PER_SURVEY = {"smb": 0.45, "mid": 0.8, "enterprise": 1.6}
FAST_CHANNELS = ("phone", "chat")
NEVER_ANSWERED, NEVER_RESOLVED = 0.015, 0.02


def _days(life: Life, end: date) -> np.ndarray:
    """Every day with an item in force, as ordinals."""
    ranges = [np.arange(s.toordinal(), e.toordinal()) for s, e in life.spans(end)]
    return np.concatenate(ranges) if ranges else np.empty(0, dtype=np.int64)


def _ticket_times(
    rng: np.random.Generator, channel: str, created: datetime
) -> tuple[datetime | None, datetime | None]:
    """(first response, resolution): minutes on phone and chat, hours elsewhere."""
    if rng.random() < NEVER_ANSWERED:
        return None, None
    scale = 8 if channel in FAST_CHANNELS else 150
    response = created + timedelta(minutes=1 + int(rng.gamma(1.3, scale)))
    if rng.random() < NEVER_RESOLVED:
        return response, None
    return response, response + timedelta(minutes=int(rng.gamma(1.1, 60 * 20)))


def tickets(rng: np.random.Generator, account: Account, life: Life, end: date) -> list[Version]:
    """Tickets while the account uses the product (more when it struggles), each as
    versions: opened, first answered, resolved; the latest known one wins per drop."""
    days = _days(life, end)
    if days.size == 0:
        return []
    profile = account.profile
    weights = 0.5 + 1.5 * (1 - profile.health_on(days))
    expected = TICKETS_PER_MONTH[profile.size] / 30 * weights.sum()
    chosen = np.sort(rng.choice(days, rng.poisson(expected), p=weights / weights.sum()))
    versions = []
    for number, ordinal in enumerate(chosen.tolist(), start=1):
        channel = catalog.CHANNELS[int(rng.choice(5, p=catalog.CHANNEL_WEIGHTS))]
        priority = catalog.PRIORITIES[int(rng.choice(4, p=catalog.PRIORITY_WEIGHTS))]
        created = office_time(rng, date.fromordinal(ordinal), late=channel == "line")
        response, resolved = _ticket_times(rng, channel, created)
        ticket_id = f"tk-{profile.key}-{number:04d}"
        head = (ticket_id, account.account_id, channel, priority, texts.ticket_category(rng))
        roll = rng.random()
        states = [(created, None, None)]
        if response is not None:
            states.append((response, response, None))
        if resolved is not None:
            states.append((resolved, response, resolved))
        for moment, answered, closed in states:
            stamps = [styled(t, roll) if t else None for t in (created, answered, closed, moment)]
            versions.append((moment.date(), ticket_id, (*head, *stamps)))
    return versions


def nps(rng: np.random.Generator, account: Account, life: Life, end: date) -> list[Version]:
    """A survey 90 days after the first paid day and then about twice a year while the
    account is a customer; scores follow health, some answers carry a comment."""
    if life.first_paid is None:
        return []
    spans = life.spans(end)
    versions, count = [], 0
    survey = life.first_paid + timedelta(days=90)
    while survey <= end:
        if any(start <= survey < stop for start, stop in spans):
            health = account.profile.health_at(survey)
            for _ in range(int(rng.poisson(RESPONDENTS_PER_SURVEY[account.profile.size]))):
                day = survey + timedelta(days=int(rng.integers(0, 10)))
                if day > end:
                    continue
                count += 1
                score = int(np.clip(round(rng.normal(3.5 + 7 * health, 1.4)), 0, 10))
                comment = texts.nps_comment(rng, score) if rng.random() < 0.45 else None
                response_id = f"nps-{account.profile.key}-{count:03d}"
                email = texts.contact_email(rng, account.account_id)
                answered = styled(office_time(rng, day, late=True), rng.random())
                row = (response_id, account.account_id, email, answered, score, comment)
                versions.append((day, response_id, row))
        survey += timedelta(days=int(rng.integers(165, 196)))
    return versions
