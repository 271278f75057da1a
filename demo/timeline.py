"""Calendar helpers: month arithmetic, office-hour timestamps and their written styles."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, timezone

import numpy as np

JST = timezone(timedelta(hours=9))
OFFSET_SHARE = 0.03  # timestamps written with an explicit +09:00
UTC_SHARE = 0.02  # timestamps written in UTC with a Z


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end(day: date) -> date:
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_number(day: date) -> int:
    """A running month number (year * 12 + month - 1), for month differences."""
    return day.year * 12 + day.month - 1


def office_time(rng: np.random.Generator, day: date, late: bool = False) -> datetime:
    """A Tokyo local time on `day` during office hours (until 22:00 when `late`)."""
    hour = int(rng.integers(9, 22 if late else 18))
    return datetime.combine(day, time(hour, int(rng.integers(0, 60)), int(rng.integers(0, 60))))


def styled(moment: datetime, roll: float) -> datetime:
    """`moment` (Tokyo local) as an export writes it: mostly without offset, a few with
    `+09:00` and a few converted to UTC (written with `Z`)."""
    if roll < UTC_SHARE:
        return moment.replace(tzinfo=JST).astimezone(UTC)
    if roll < UTC_SHARE + OFFSET_SHARE:
        return moment.replace(tzinfo=JST)
    return moment


def capped(moment: datetime, last_day: date) -> datetime:
    """`moment`, or the last second of `last_day` if it lies later."""
    return min(moment, datetime.combine(last_day, time(23, 59, 59)))
