"""Product usage, NPS, tickets, CS activities and onboarding of one account, from its life."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from orchestration.demo.catalog import (
    ACTIVITY_TYPES,
    CATEGORIES,
    CHANNELS,
    COMMENTS_BAD,
    COMMENTS_GOOD,
    MILESTONES,
    PRIORITIES,
    PRIORITY_WEIGHTS,
)
from orchestration.demo.subscriptions import Life
from orchestration.demo.writer import DropWriter

JST = timezone(timedelta(hours=9))


def _at(day: date, rng: np.random.Generator) -> datetime:
    return datetime.combine(day, time(int(rng.integers(8, 20)), int(rng.integers(0, 60))))


def write_usage(
    writer: DropWriter, rng: np.random.Generator, account_id: str, life: Life, health: float
) -> None:
    """Daily usage rows on paid days; usage falls over the 75 days before each churn."""
    for start, end, seats in life.paid_intervals:
        days = np.arange(np.datetime64(start), np.datetime64(end), dtype="datetime64[D]")
        if days.size == 0:
            continue
        decline = np.ones(days.size)
        if end in life.churn_dates:
            remaining = (np.datetime64(end) - days).astype(int)
            decline = np.clip(remaining / 75, 0.15, 1.0)
        weekday = (days.astype(int) + 3) % 7 < 5
        active = rng.random(days.size) < np.where(weekday, 0.9, 0.15) * decline
        users = rng.binomial(seats, np.clip(health * decline, 0.02, 1.0))
        keep = active & (users > 0)
        logins = users[keep] + rng.poisson(users[keep] * 0.6)
        events = rng.poisson(users[keep] * 3 * health)
        for day, n_users, n_logins, n_events in zip(
            days[keep].tolist(), users[keep].tolist(), logins.tolist(), events.tolist(), strict=True
        ):
            writer.append(
                "product_usage_daily", day, (account_id, day, n_users, n_logins, n_events)
            )


def write_nps(writer, rng, account_id: str, life: Life, health: float, end: date) -> None:
    """A survey about every five months while the account pays; scores follow health."""
    for start, stop, _ in life.paid_intervals:
        day = start + timedelta(days=int(rng.integers(20, 90)))
        while day < min(stop, end):
            if rng.random() < 0.6:
                score = int(np.clip(round(rng.normal(3 + 7 * health, 1.8)), 0, 10))
                comments = COMMENTS_GOOD if score >= 7 else COMMENTS_BAD
                comment = str(rng.choice(comments)) if rng.random() < 0.4 else None
                responded = _at(day, rng)
                if rng.random() < 0.05:
                    responded = responded.replace(tzinfo=JST)
                response_id = f"nps-{account_id}-{day.isoformat()}"
                contact = f"user{int(rng.integers(1, 50))}@{account_id}.example.jp"
                writer.append(
                    "nps_responses",
                    day,
                    (response_id, account_id, contact, responded, score, comment),
                )
            day += timedelta(days=int(rng.integers(120, 180)))


def ticket_versions(rng, account_id: str, life: Life, health: float, end: date) -> list:
    """Tickets as versions: opened, first answered, resolved (each known on its day)."""
    versions = []
    for start, stop, _ in life.paid_intervals:
        months = max(1, (min(stop, end) - start).days // 30)
        for n in range(int(rng.poisson(months * (0.25 + 0.5 * (1 - health))))):
            created = _at(start + timedelta(days=int(rng.integers(0, months * 30))), rng)
            if created.date() > end:
                continue
            ticket_id = f"tk-{account_id}-{start.isoformat()}-{n}"
            priority = str(rng.choice(PRIORITIES, p=PRIORITY_WEIGHTS))
            channel, category = str(rng.choice(CHANNELS)), str(rng.choice(CATEGORIES))
            response = created + timedelta(minutes=int(rng.gamma(2.0, 120)))
            resolved = response + timedelta(hours=int(rng.gamma(1.5, 20)))

            base = (ticket_id, account_id, channel, priority, category, created)
            versions.append((created.date(), ticket_id, (*base, None, None, created)))
            versions.append((response.date(), ticket_id, (*base, response, None, response)))
            versions.append((resolved.date(), ticket_id, (*base, response, resolved, resolved)))
    return versions


def write_activities(writer, rng, account_id: str, csm_id: str, life: Life, end: date) -> None:
    """One or two CS touches a month while paying; onboarding work in the first 60 days."""
    for start, stop, _ in life.paid_intervals:
        day = start
        while day < min(stop, end):
            for n in range(int(rng.integers(1, 3))):
                when = day + timedelta(days=int(rng.integers(0, 28)))
                if when > end:
                    continue
                age = (when - start).days
                stage = (
                    "onboarding"
                    if age < 60
                    else "renewal"
                    if age % 365 > 300
                    else str(rng.choice(["adoption", "adoption", "expansion"]))
                )
                writer.append(
                    "cs_activities",
                    when,
                    (
                        f"act-{account_id}-{when.isoformat()}-{n}",
                        account_id,
                        csm_id,
                        str(rng.choice(ACTIVITY_TYPES)),
                        stage,
                        _at(when, rng),
                        int(rng.choice([15, 30, 45, 60, 90, 120])),
                    ),
                )
            day += timedelta(days=30)


def write_onboarding(writer, rng, account_id: str, life: Life, end: date) -> None:
    """kickoff → setup → training → go_live after the first paid day; some stall."""
    if not life.paid_intervals:
        return
    day = life.paid_intervals[0][0] + timedelta(days=int(rng.integers(0, 5)))
    stall_after = len(MILESTONES) if rng.random() > 0.12 else int(rng.integers(1, 4))
    for milestone in MILESTONES[:stall_after]:
        if day > end:
            return
        writer.append("onboarding_milestones", day, (account_id, milestone, _at(day, rng)))
        day += timedelta(days=int(rng.integers(3, 16)))
