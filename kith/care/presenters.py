"""Display values for the team workspace: waiting times and labels, so templates stay plain."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.utils.translation import gettext

from kith.core.pagination import PageLinks, page_links

if TYPE_CHECKING:
    from kith.asks.models import Ask
    from kith.care.models import TeamMember
    from kith.care.selectors import HuddleBoard


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


# The huddle board's sections: the query parameter naming the page of each, and the id of its
# heading, which the page links jump to.
BOARD_SECTIONS = {
    "new_asks": ("asks", "new-asks"),
    "next_steps_due": ("due", "next-steps"),
    "same_day_calls": ("calls", "same-day-calls"),
    "returning": ("returning", "returning"),
}


def board_page_links(board: HuddleBoard, *, path: str) -> dict[str, PageLinks]:
    """The page links of each section. A link keeps the other sections on their pages."""
    current = {section: getattr(board, section).number for section in BOARD_SECTIONS}

    def links(section: str) -> PageLinks:
        def href(number: int) -> str:
            numbers = {**current, section: number}
            query = urlencode(
                [
                    (BOARD_SECTIONS[other][0], page)
                    for other, page in numbers.items()
                    if other == section or page > 1
                ]
            )
            return f"{path}?{query}#{BOARD_SECTIONS[section][1]}"

        return page_links(getattr(board, section), href=href)

    return {section: links(section) for section in BOARD_SECTIONS}


def language_and_access_rows(ask: Ask) -> list[dict[str, dict[str, str]]]:
    """What the person said about language and access on their ask, as NHS.UK summary list rows.
    The form told them to leave the language blank for English, so blank reads "English"."""

    def row(key: str, value: str) -> dict[str, dict[str, str]]:
        return {"key": {"text": key}, "value": {"text": value}}

    return [
        row(gettext("Language"), ask.language or gettext("English")),
        row(gettext("Interpreter"), gettext("Yes") if ask.needs_interpreter else gettext("No")),
        row(gettext("Access needs"), ask.access_needs or gettext("None given")),
    ]
