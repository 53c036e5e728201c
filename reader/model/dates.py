"""How dates are written for the reader: absolute, short, and relative to now."""

from __future__ import annotations

from datetime import datetime, timezone


def short_date(moment: datetime | None) -> str:
    """`2020-06-09`, or an empty string when the date is unknown."""
    return moment.strftime("%Y-%m-%d") if moment else ""


def absolute(moment: datetime | None) -> str:
    """`2020-06-09 09:33 UTC` (with the story's own offset when it has one)."""
    if moment is None:
        return "date unknown"
    offset = moment.utcoffset()
    zone = "UTC" if not offset else moment.strftime("UTC%z")
    if zone != "UTC":
        zone = zone[:-2] + ":" + zone[-2:]
    return f"{moment.strftime('%Y-%m-%d %H:%M')} {zone}"


def relative(moment: datetime | None, now: datetime) -> str:
    """`3 years ago`, `in 2 days`, `just now`."""
    if moment is None:
        return ""
    seconds = (now - moment.astimezone(timezone.utc)).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    for size, unit in (
        (31_557_600, "year"),
        (2_629_800, "month"),
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
    ):
        if seconds >= size:
            count = int(seconds // size)
            label = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {label}" if future else f"{label} ago"
    return "just now"
