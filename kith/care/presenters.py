"""Display values for the team workspace: waiting times and labels, so templates stay plain."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kith.care.models import TeamMember


def format_duration(value: dt.timedelta | None) -> str:
    """'45 minutes', '3 hours 5 minutes', '2 days 4 hours': largest two units, never negative."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n][:2]
    return " ".join(shown) if shown else "less than a minute"


def format_hours(hours: int) -> str:
    return f"{hours} hour{'' if hours == 1 else 's'}"


# Who did what on a person's timeline, as the member of staff reading it sees it.

STEP_OWNER_FOR_STAFF = {
    "me": "the person",
    "worker": "their worker",
    "volunteer": "a volunteer",
    "community-group": "a community group",
}


def change_by(*, by_member: TeamMember | None, by_person: bool, viewer: TeamMember) -> str:
    """'you', a colleague's name, or 'the person'; '' when Kith did not record who."""
    if by_member is not None:
        return "you" if by_member.pk == viewer.pk else by_member.display_name
    return "the person" if by_person else ""


def step_owner_for_staff(who: str) -> str:
    """The step's owner in the staff's words: the plan says "Me" in the person's."""
    return STEP_OWNER_FOR_STAFF.get(who, who)
