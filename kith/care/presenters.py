"""Display values for the team workspace: waiting times and labels, so templates stay plain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.utils.translation import gettext

from kith.care.models import SafetyPlanSection
from kith.core.pagination import PageLinks, page_links

if TYPE_CHECKING:
    from kith.asks.models import Ask
    from kith.care.models import SafetyPlan, SafetyPlanEntry
    from kith.care.selectors import HuddleBoard
    from kith.teams.models import TeamMember


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


# A new ask on the board, in the team's words: enough to act on without opening it.

FIRST_WORDS = 16
FIRST_CHARACTERS = 120
# Why screening marked an ask urgent, by category (`kith.asks.screening.CATEGORIES`): the
# category, never the words that matched, which stay in the ask for whoever opens it.
URGENT_BECAUSE = {
    "suicidal-intent": "thoughts of suicide",
    "suicide-plan-or-means": "a plan or the means to end their life",
    "self-harm": "self-harm",
    "harm-to-others": "they may harm someone else",
    "threat-from-someone": "someone may harm them",
    "child-at-risk": "a child may be at risk",
}
# How the person chose to be contacted, as the team says it (the ask form says "I'll get back
# in touch" in the person's words).
CONTACT_FOR_STAFF = {
    "phone": "Phone call",
    "text": "Text message",
    "email": "Email",
    "none": "They will get back in touch",
}


def ask_first_words(text: str) -> str:
    """The first words of an ask for the board: at most FIRST_WORDS words and FIRST_CHARACTERS
    characters, whitespace folded, "…" where it was cut."""
    words = text.split()
    shown = " ".join(words[:FIRST_WORDS])
    if len(shown) > FIRST_CHARACTERS:
        return shown[:FIRST_CHARACTERS].rstrip() + "…"
    return shown + "…" if len(words) > FIRST_WORDS else shown


def ask_urgent_because(ask: Ask) -> str:
    """Why the ask is urgent, in plain words ("" when it is not)."""
    if not ask.is_urgent:
        return ""
    reasons = [
        URGENT_BECAUSE.get(code, code.replace("-", " ")) for code in ask.screening_categories
    ]
    return "; ".join(gettext(reason) for reason in reasons) or gettext("words that suggest danger")


def ask_contact_for_staff(ask: Ask) -> str:
    """How they want to be contacted, in the team's words."""
    return gettext(CONTACT_FOR_STAFF.get(ask.contact_method, ask.contact_method))


def ask_status_for_staff(ask: Ask) -> str:
    """ "Waiting for someone to pick it up", "Picked up by Alex Morgan", or its status."""
    if ask.status == "new":
        if ask.worker is None:
            return gettext("Waiting for someone to pick it up")
        return gettext("Picked up by %(name)s") % {"name": ask.worker.display_name}
    return str(ask.get_status_display())


def ask_picked_up_message(*, ask: Ask, worker: TeamMember, member: TeamMember) -> str:
    """The confirmation after picking an ask up (for oneself or for a colleague)."""
    if worker.pk == member.pk:
        return gettext("You picked up %(reference)s. You are its named worker.") % {
            "reference": ask.reference
        }
    return gettext("%(reference)s is picked up. %(name)s is its named worker.") % {
        "reference": ask.reference,
        "name": worker.display_name,
    }


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


# The safety plan: each section's heading, and how to ask for it, in the staff's words and in the
# person's. One thing to a line, as on the paper Stanley-Brown form.


@dataclass(frozen=True)
class SafetyPlanPrompt:
    staff_label: str
    staff_hint: str
    person_label: str
    person_hint: str


ONE_A_LINE = "Write each one on its own line."
SAFETY_PLAN_PROMPTS: dict[str, SafetyPlanPrompt] = {
    "warning-signs": SafetyPlanPrompt(
        "Their warning signs",
        "In the person's words: thoughts, pictures, moods, situations or things they do that "
        "tell them a crisis may be coming. " + ONE_A_LINE,
        "What tells you a crisis may be coming?",
        "Thoughts, pictures in your mind, moods, situations or things you do. " + ONE_A_LINE,
    ),
    "coping": SafetyPlanPrompt(
        "Things they can do on their own to help them cope",
        "What the person can do without contacting anyone, to take their mind off things, like "
        "going for a walk or listening to music. " + ONE_A_LINE,
        "What can you do on your own to help you cope?",
        "Things that take your mind off things without contacting anyone, like going for a "
        "walk, listening to music or having a shower. " + ONE_A_LINE,
    ),
    "distractions": SafetyPlanPrompt(
        "People and places that take their mind off things",
        "People they enjoy being with, and places they can go to be around others, like a cafe, "
        "a park or a library. " + ONE_A_LINE,
        "Which people and places take your mind off things?",
        "People you enjoy being with, and places you can go to be around others, like a cafe, "
        "a park or a library. " + ONE_A_LINE,
    ),
    "people-to-ask": SafetyPlanPrompt(
        "People they can ask for help",
        "Family or friends they could tell how they feel, with a phone number for each. "
        + ONE_A_LINE,
        "Who can you ask for help?",
        "Family or friends you could tell how you feel, with a phone number for each. "
        + ONE_A_LINE,
    ),
    "professionals": SafetyPlanPrompt(
        "Professionals and services they can contact in a crisis",
        "Like their GP, their worker or the crisis team, with a number for each and when it is "
        "open. The crisis lines open any time are always shown on the plan. " + ONE_A_LINE,
        "Which professionals and services can you contact in a crisis?",
        "Like your GP, your worker or the crisis team, with a number for each and when it is "
        "open. The crisis lines open any time are always shown on your plan. " + ONE_A_LINE,
    ),
    "safer": SafetyPlanPrompt(
        "Making their situation safer",
        "What they will do, with others' help, to keep away from anything they could use to "
        "harm themself. " + ONE_A_LINE,
        "How can you make your situation safer?",
        "What you will do, with others' help, to keep away from anything you could use to harm "
        "yourself. " + ONE_A_LINE,
    ),
    "worth-living-for": SafetyPlanPrompt(
        "What matters most to them and is worth living for",
        "In the person's words.",
        "What matters most to you and is worth living for?",
        "In your own words.",
    ),
}


@dataclass(frozen=True)
class SafetyPlanPart:
    """One section of a safety plan as a page shows it: its code (also its address), heading,
    prompts and what the person's plan says there (None: nothing yet)."""

    section: str
    heading: str
    prompt: SafetyPlanPrompt
    entry: SafetyPlanEntry | None

    @property
    def lines(self) -> list[str]:
        return self.entry.lines if self.entry is not None else []


def safety_plan_parts(safety_plan: SafetyPlan | None) -> list[SafetyPlanPart]:
    """Every section in the plan's order, with what the plan says there. Entries must be
    prefetched (`kith.care.selectors.safety_plan_for_involvement`)."""
    entries = {entry.section: entry for entry in safety_plan.entries.all()} if safety_plan else {}
    return [
        SafetyPlanPart(
            section=section.value,
            heading=str(section.label),
            prompt=SAFETY_PLAN_PROMPTS[section.value],
            entry=entries.get(section.value),
        )
        for section in SafetyPlanSection
    ]


def safety_plan_part(section: str) -> SafetyPlanPart | None:
    """The section a page address names, or None for one a safety plan does not have."""
    if section not in SafetyPlanSection.values:
        return None
    label = SafetyPlanSection(section).label
    return SafetyPlanPart(
        section=section, heading=str(label), prompt=SAFETY_PLAN_PROMPTS[section], entry=None
    )


def written_by_for_person(entry: SafetyPlanEntry) -> str:
    """Who last wrote a section, as the person reads it: "you", or the member of staff by name and
    role; "" when Kith did not record who (they have left the team since)."""
    if entry.is_written_by_person:
        return gettext("you")
    member = entry.written_by
    if member is None:
        return ""
    return f"{member.display_name}, {member.get_role_display()}"
