"""What people read about themselves, in plain words: who has looked at their record (repeated
reads grouped, with why), who wrote a note, and the readable download.

The readable download (`readable_record`) shows every field of the JSON download
(`kith.record.services.person_export`) under a plain-words label, with dates in words and codes
as the words the person chose; ids and field names are left out. `READABLE_FIELDS` names the
fields each part shows or leaves out on purpose; a test fails when the export gains one it does
not name, so nothing new is left out of the readable page by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from kith.asks.models import AgeBand, AskStatus, ContactMethod, Ethnicity, GenderIdentity
from kith.audit.events import Action, ActorType, Outcome, Purpose
from kith.core.presenters import format_date_long, format_time_short
from kith.outcomes.measures import measures
from kith.people.models import Person

if TYPE_CHECKING:
    from kith.teams.models import TeamMember

# Who a member of staff is, as the person reads it.


def role_in_words(role: str) -> str:
    """A role inside a sentence: "Peer worker" becomes "peer worker"; "GP" stays "GP"."""
    if len(role) > 1 and role[1].islower():
        return role[0].lower() + role[1:]
    return role


def staff_name_and_role(member: TeamMember) -> str:
    """ "Sam Okafor, peer worker": how the person's record names a member of staff."""
    return f"{member.display_name}, {role_in_words(member.get_role_display())}"


def staff_where(member: TeamMember) -> str:
    """ "Brixton Wellbeing Hub, Lambeth Living Well team": their organisation and team."""
    return f"{member.organisation_name}, {member.team.name}"


def date_in_words(value: dt.date | dt.datetime, *, today: dt.date | None = None) -> str:
    """ "4 December" this year, "4 December 2025" in another: dates as people say them."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    today = today or timezone.localdate()
    return f"{value.day} {value:%B}" if value.year == today.year else format_date_long(value)


# Who has looked at or changed the record: the audit log, grouped and in plain words.


class LoggedEvent(Protocol):
    """What the log keeps of an event (an `AuditEvent`, or one read back from the download)."""

    @property
    def at(self) -> dt.datetime: ...
    @property
    def actor_type(self) -> str: ...
    @property
    def actor_id(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def subject_type(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def outcome(self) -> str: ...


N_ = gettext_noop  # marks words for translation here; they are translated where shown

# Why a member of staff looked at the record, by the purpose they gave.
READ_WHY: dict[str, str] = {
    Purpose.HUDDLE: N_(
        "you were on the team's board, where the team sees new asks and what is due today"
    ),
    Purpose.ASK: N_("to read your ask"),
    Purpose.PICK_UP: N_("to pick up your ask"),
    Purpose.CONVERSATION: N_("to write down a conversation with you"),
    Purpose.INVOLVEMENT: N_("to read your record with the team"),
    Purpose.NOTE: N_("to write a note"),
    Purpose.CLOSE: N_("to close their work with you"),
    Purpose.PLAN: N_("your plan"),
    Purpose.STEP_DONE: N_("your plan"),
    Purpose.MEASURES: N_("your questionnaires about how you are doing"),
    Purpose.SAFETY_PLAN: N_("your safety plan"),
    Purpose.CASELOAD: N_("you are on their list of the people they work with"),
    Purpose.SEARCH: N_("they searched for someone the team works with"),
}
# What a member of staff (or Kith) changed, and why ("" when what says it), by purpose.
CHANGED: dict[str, tuple[str, str]] = {
    Purpose.PICK_UP: (N_("picked up your ask"), N_("so you have a named worker")),
    Purpose.CONVERSATION: (N_("wrote down a conversation with you"), ""),
    Purpose.NOTE: (N_("wrote a note"), N_("you can read it in your record")),
    Purpose.PLAN: (N_("changed your plan"), ""),
    Purpose.STEP_DONE: (N_("marked a step in your plan as done"), ""),
    Purpose.CLOSE: (
        N_("closed their work with you"),
        N_("the door stays open: you can ask again at any time"),
    ),
    Purpose.MEASURES: (N_("recorded a questionnaire with you"), ""),
    Purpose.SAFETY_PLAN: (N_("changed your safety plan"), ""),
    Purpose.RETURN: (
        N_("sent your new ask to the team you worked with before"),
        N_("so you go back to people you know"),
    ),
    # Easy back in without signing in (kith.care.services.involvement_return): matched only on
    # a contact the person has proved.
    Purpose.RETURN_BY_VERIFIED_EMAIL: (
        N_("sent a new ask made with your email address to the worker you know in the team"),
        N_("you have proved this email address is yours; we never match on one you have not"),
    ),
    Purpose.RETURN_BY_VERIFIED_PHONE: (
        N_("sent a new ask made with your mobile number to the worker you know in the team"),
        N_("you have proved this mobile number is yours; we never match on one you have not"),
    ),
    Purpose.CLAIM: (N_("added asks you made before you signed in to your record"), ""),
}
HELD_BACK_WHY: dict[str, str] = {
    Purpose.THIRD_PARTY: N_("it holds information about someone else"),
    Purpose.SAFEGUARDING: N_("showing it could put someone at risk"),
}
# What the person did themselves, by (action, purpose) or (action, "") for any purpose. Shown
# in their download; "who has looked" lists only what others did.
PERSON_DID: dict[tuple[str, str], str] = {
    (Action.SIGN_IN, ""): N_("signed in"),
    (Action.EXPORT, Purpose.DOWNLOAD): N_("downloaded your record"),
    (Action.EXPORT, Purpose.DOWNLOAD_FHIR): N_(
        "downloaded your record for health and care systems"
    ),
    (Action.CHANGE, Purpose.CONTACT_DETAILS): N_("changed how we contact you"),
    (Action.SHARE, Purpose.ASKED): N_("shared your record with the team you asked for help"),
    (Action.SHARE, Purpose.CHOSE): N_("shared your record with a team"),
    (Action.WITHDRAW, Purpose.CHOSE): N_("stopped sharing your record with a team"),
    (Action.WITHDRAW, Purpose.CLOSE_ACCOUNT): N_(
        "stopped sharing your record, by closing your account"
    ),
    (Action.WITHHOLD, Purpose.CHOSE): N_("kept your record from staff at an organisation"),
    (Action.ALLOW, Purpose.CHOSE): N_("let staff at an organisation see your record again"),
    (Action.ERASE, Purpose.CLOSE_ACCOUNT): N_("closed your account"),
    (Action.CHANGE, Purpose.PLAN): N_("changed your plan"),
    (Action.CHANGE, Purpose.STEP_DONE): N_("marked a step in your plan as done"),
    (Action.CHANGE, Purpose.MEASURES): N_("filled in a questionnaire"),
    (Action.CHANGE, Purpose.SAFETY_PLAN): N_("changed your safety plan"),
}
SYSTEM_DID: dict[tuple[str, str], tuple[str, str]] = {
    (Action.SHARE, Purpose.ASKED_BEFORE_CONSENTS): (
        N_("noted that you share your record with the team you asked for help"),
        N_("you asked before Kith kept these choices"),
    ),
}


def _words(code: str) -> str:
    return code.replace("_", " ").replace("-", " ")


def _what_and_why(event: LoggedEvent, *, is_self: bool) -> tuple[str, str]:
    """What happened and why, in plain words (why may be "")."""
    action, purpose = event.action, event.purpose
    if event.outcome == Outcome.DENIED:
        return (
            gettext("tried to look at your record, and was not let in"),
            gettext("you do not share your record with them"),
        )
    if is_self:
        did = PERSON_DID.get((action, purpose)) or PERSON_DID.get((action, ""))
        return (gettext(did) if did else _words(action)), ""
    if (action, purpose) in SYSTEM_DID:
        what, why = SYSTEM_DID[(action, purpose)]
        return gettext(what), gettext(why)
    if action == Action.READ:
        why = READ_WHY.get(purpose, _words(purpose))
        return gettext("looked at your record"), gettext(why) if why else ""
    if action == Action.HOLD_BACK:
        return gettext("kept a note from you"), gettext(HELD_BACK_WHY.get(purpose, ""))
    if action == Action.CHANGE and purpose in CHANGED:
        what, why = CHANGED[purpose]
        return gettext(what), gettext(why) if why else ""
    return gettext("%(action)s your record") % {"action": _words(action)}, _words(purpose)


@dataclass(frozen=True)
class AccessEntry:
    """One or more events alike (the same person, what and why, on one day), as one line."""

    who: str  # "Sam Okafor, peer worker", "Kith", "You"
    where: str  # their organisation and team, for staff
    what: str  # "looked at your record"
    why: str
    on: dt.date
    count: int
    first_at: dt.datetime
    last_at: dt.datetime
    is_refused: bool
    today: dt.date

    @property
    def summary(self) -> str:
        """ "Sam Okafor, peer worker, looked at your record 8 times on 4 December, between 9am
        and 4:35pm." """
        who = f"{self.who}," if "," in self.who else self.who
        if self.count == 1:
            times = ""
        elif self.count == 2:
            times = gettext(" twice")
        else:
            times = ngettext(" %(count)d time", " %(count)d times", self.count) % {
                "count": self.count
            }
        return gettext("%(who)s %(what)s%(times)s on %(on)s, %(when)s.") % {
            "who": who,
            "what": self.what,
            "times": times,
            "on": date_in_words(self.on, today=self.today),
            "when": self.when,
        }

    @property
    def when(self) -> str:
        """ "at 10:32pm", or "between 9:10am and 4:45pm"."""
        first, last = format_time_short(self.first_at), format_time_short(self.last_at)
        if first == last:
            return gettext("at %(time)s") % {"time": first}
        return gettext("between %(first)s and %(last)s") % {"first": first, "last": last}


def _who(event: LoggedEvent, *, person_id: str, staff: Mapping[str, TeamMember]) -> tuple[str, str]:
    if event.actor_type == ActorType.PERSON and event.actor_id == person_id:
        return gettext("You"), ""
    if event.actor_type == ActorType.SYSTEM:
        return "Kith", ""
    if event.actor_type == ActorType.STAFF:
        member = staff.get(event.actor_id)
        if member is not None:
            return staff_name_and_role(member), staff_where(member)
        return gettext("A member of staff"), ""
    return gettext("Someone"), ""


def access_entries(
    events: Iterable[LoggedEvent], *, person_id: str, staff: Mapping[str, TeamMember]
) -> list[AccessEntry]:
    """The events (newest first) grouped into lines: everything one person did for the same
    reason on one day is one line, counted, newest line first."""
    today = timezone.localdate()
    groups: dict[tuple[dt.date, str, str, str, str, bool], list[LoggedEvent]] = {}
    for event in events:
        is_self = event.actor_type == ActorType.PERSON and event.actor_id == person_id
        what, why = _what_and_why(event, is_self=is_self)
        on = timezone.localtime(event.at).date()
        key = (on, event.actor_type, event.actor_id, what, why, event.outcome == Outcome.DENIED)
        groups.setdefault(key, []).append(event)
    entries = []
    for (on, _type, _id, what, why, is_refused), alike in groups.items():
        who, where = _who(alike[0], person_id=person_id, staff=staff)
        times = sorted(event.at for event in alike)
        entries.append(
            AccessEntry(
                who=who,
                where=where,
                what=what,
                why=why,
                on=on,
                count=len(alike),
                first_at=times[0],
                last_at=times[-1],
                is_refused=is_refused,
                today=today,
            )
        )
    return sorted(entries, key=lambda entry: entry.last_at, reverse=True)


# The readable download.


@dataclass(frozen=True)
class Row:
    """A label and its value; `items` are shown as a list instead."""

    label: str
    value: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One thing in a part of the record (an ask, a note, a plan), under its own heading."""

    heading: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Part:
    """A part of the record under a heading: rows, blocks, or lines of the audit log."""

    key: str
    heading: str
    rows: tuple[Row, ...] = ()
    blocks: tuple[Block, ...] = ()
    entries: tuple[AccessEntry, ...] = ()
    empty: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.rows or self.blocks or self.entries)


# The fields of the JSON download each part shows (or leaves out on purpose: ids, and codes
# shown in words another way), by where they are in the download.
READABLE_FIELDS: dict[str, frozenset[str]] = {
    "": frozenset(
        {
            "exported_at",
            "person",
            "asks",
            "sharing",
            "notes_from_the_team",
            "plans",
            "safety_plans",
            "measures",
            "audit_log",
        }
    ),
    "person": frozenset(
        {"id", "display_name", "email", "phone", "preferred_contact", "created_at", "updated_at"}
    ),
    "asks": frozenset(
        {
            "id",
            "reference",
            "created_at",
            "status",
            "what_is_happening",
            "what_would_help",
            "what_matters",
            "contact_method",
            "contact_phone",
            "contact_email",
            "contact_times",
            "language",
            "needs_interpreter",
            "access_needs",
            "age_band",
            "sex",
            "gender_identity",
            "ethnicity",
            "postcode",
            "team",
            "respond_by_at",
            "flagged_urgent",
            "withdrawn_at",
            "notes",
        }
    ),
    "asks.notes": frozenset({"created_at", "text"}),
    "sharing": frozenset(
        {
            "id",
            "team",
            "withheld_from_organisation",
            "how",
            "ask_reference",
            "given_at",
            "withdrawn_at",
        }
    ),
    "notes_from_the_team": frozenset({"team", "by", "role", "organisation", "at", "text"}),
    "plans": frozenset({"team", "what_matters_to_me", "goals", "steps"}),
    "plans.goals": frozenset({"goal", "part_of_life", "progress"}),
    "plans.goals.progress": frozenset({"on", "out_of_10"}),
    "plans.steps": frozenset({"step", "who", "by", "done_at"}),
    "safety_plans": frozenset({"team", "created_at", "updated_at", "sections"}),
    "safety_plans.sections": frozenset({"section", "heading", "text", "written_by", "written_at"}),
    "measures": frozenset({"measure", "completed_at", "completed_by", "answers", "score"}),
    "audit_log": frozenset(
        {
            "at",
            "actor_type",
            "actor_id",
            "action",
            "subject_type",
            "subject_id",
            "purpose",
            "outcome",
        }
    ),
}


def _when(value: object) -> str:
    """An ISO date and time from the download, in words: "1 December 2026, 10:32pm"."""
    if not isinstance(value, str) or not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    return f"{format_date_long(moment)}, {format_time_short(moment)}"


def _day(value: object) -> str:
    """An ISO date from the download, in words: "1 December 2026"."""
    if not isinstance(value, str) or not value:
        return ""
    return format_date_long(dt.date.fromisoformat(value[:10]))


def _text(value: object, *, empty: str | None = None) -> str:
    if value is None or value == "":
        return empty if empty is not None else gettext("Not given")
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    return str(value)


def _label(choices: Any, value: object) -> str:
    """The words for a stored code (the label the person chose from)."""
    if not value:
        return gettext("Not given")
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return _words(str(value))


def _about_you(person: Mapping[str, Any]) -> Part:
    return Part(
        key="person",
        heading=gettext("About you"),
        rows=(
            Row(gettext("Name"), _text(person.get("display_name"))),
            Row(gettext("Email address"), _text(person.get("email"))),
            Row(gettext("Mobile number"), _text(person.get("phone"))),
            Row(
                gettext("How we contact you"),
                _label(Person.PreferredContact, person.get("preferred_contact")),
            ),
            Row(gettext("Account opened"), _when(person.get("created_at"))),
            Row(gettext("Last changed"), _when(person.get("updated_at"))),
        ),
    )


def _ask_block(ask: Mapping[str, Any]) -> Block:
    from kith.asks.models import (
        Sex,
    )

    added = tuple(
        f"{_when(note.get('created_at'))}: {note.get('text', '')}" for note in ask.get("notes", [])
    )
    return Block(
        heading=gettext("Ask %(reference)s") % {"reference": ask.get("reference", "")},
        rows=(
            Row(gettext("Sent"), _when(ask.get("created_at"))),
            Row(gettext("Status"), _label(AskStatus, ask.get("status"))),
            Row(gettext("What is happening"), _text(ask.get("what_is_happening"))),
            Row(gettext("What would help"), _text(ask.get("what_would_help"))),
            Row(gettext("What matters to you"), _text(ask.get("what_matters"))),
            Row(gettext("How to reach you"), _label(ContactMethod, ask.get("contact_method"))),
            Row(gettext("Phone number"), _text(ask.get("contact_phone"))),
            Row(gettext("Email address"), _text(ask.get("contact_email"))),
            Row(gettext("When to reach you"), _text(ask.get("contact_times"))),
            Row(gettext("Language"), _text(ask.get("language"))),
            Row(gettext("Interpreter"), _text(ask.get("needs_interpreter"))),
            Row(gettext("Access needs"), _text(ask.get("access_needs"))),
            Row(gettext("Age"), _label(AgeBand, ask.get("age_band"))),
            Row(gettext("Sex"), _label(Sex, ask.get("sex"))),
            Row(
                gettext("Gender same as sex registered at birth"),
                _label(GenderIdentity, ask.get("gender_identity")),
            ),
            Row(gettext("Ethnic group"), _label(Ethnicity, ask.get("ethnicity"))),
            Row(gettext("Postcode"), _text(ask.get("postcode"))),
            Row(gettext("Team"), _text(ask.get("team"))),
            Row(gettext("The team gets in touch by"), _when(ask.get("respond_by_at"))),
            Row(gettext("Marked urgent for the team"), _text(bool(ask.get("flagged_urgent")))),
            Row(
                gettext("Withdrawn"),
                _when(ask.get("withdrawn_at")) or gettext("No"),
            ),
            Row(gettext("What you added"), "" if added else gettext("Nothing"), items=added),
        ),
    )


def _sharing_block(consent: Mapping[str, Any]) -> Block:
    withheld = consent.get("withheld_from_organisation") or ""
    how = {"asked": gettext("By asking for help"), "chose": gettext("You chose to")}
    decision = (
        gettext("Staff at %(organisation)s cannot see your record") % {"organisation": withheld}
        if withheld
        else gettext("The team can see your record")
    )
    return Block(
        heading=str(consent.get("team", "")),
        rows=(
            Row(gettext("What you decided"), decision),
            Row(gettext("How"), how.get(str(consent.get("how", ""))) or _text(consent.get("how"))),
            Row(gettext("Ask"), _text(consent.get("ask_reference"), empty=gettext("None"))),
            Row(gettext("From"), _when(consent.get("given_at"))),
            Row(
                gettext("Until"),
                _when(consent.get("withdrawn_at")) or gettext("Still in force"),
            ),
        ),
    )


def _note_block(note: Mapping[str, Any]) -> Block:
    writer = ", ".join(
        part
        for part in (
            str(note.get("by") or ""),
            role_in_words(str(note.get("role") or "")),
            str(note.get("organisation") or ""),
            str(note.get("team") or ""),
        )
        if part
    )
    return Block(
        heading=_when(note.get("at")),
        rows=(Row(gettext("Written by"), writer), Row(gettext("Note"), _text(note.get("text")))),
    )


def _plan_block(plan: Mapping[str, Any]) -> Block:
    goals = tuple(
        gettext("%(goal)s (%(part)s). Progress: %(progress)s")
        % {
            "goal": goal.get("goal", ""),
            "part": goal.get("part_of_life", ""),
            "progress": "; ".join(
                gettext("%(score)s out of 10 on %(on)s")
                % {"score": point.get("out_of_10"), "on": _day(point.get("on"))}
                for point in goal.get("progress", [])
            )
            or gettext("none recorded"),
        }
        for goal in plan.get("goals", [])
    )
    steps = tuple(
        " ".join(
            part
            for part in (
                f"{step.get('step', '')}.",
                gettext("Who: %(who)s.") % {"who": step.get("who", "")},
                gettext("By %(date)s.") % {"date": _day(step.get("by"))} if step.get("by") else "",
                gettext("Done %(when)s.") % {"when": _when(step.get("done_at"))}
                if step.get("done_at")
                else gettext("Not done yet."),
            )
            if part
        )
        for step in plan.get("steps", [])
    )
    return Block(
        heading=gettext("Your plan with %(team)s") % {"team": plan.get("team", "")},
        rows=(
            Row(gettext("What matters to you"), _text(plan.get("what_matters_to_me"))),
            Row(gettext("Goals"), "" if goals else gettext("None yet"), items=goals),
            Row(gettext("Steps"), "" if steps else gettext("None yet"), items=steps),
        ),
    )


def _safety_plan_block(safety_plan: Mapping[str, Any]) -> Block:
    rows = [
        Row(gettext("Started"), _when(safety_plan.get("created_at"))),
        Row(gettext("Last changed"), _when(safety_plan.get("updated_at"))),
    ]
    for section in safety_plan.get("sections", []):
        lines = tuple(line.strip() for line in str(section.get("text") or "").splitlines())
        lines = tuple(line for line in lines if line)
        written = ", ".join(
            part
            for part in (str(section.get("written_by") or ""), _when(section.get("written_at")))
            if part
        )
        if written:
            lines += (gettext("Written by %(who)s") % {"who": written},)
        rows.append(
            Row(str(section.get("heading", "")), "" if lines else gettext("Nothing yet"), lines)
        )
    return Block(
        heading=gettext("Your safety plan with %(team)s") % {"team": safety_plan.get("team", "")},
        rows=tuple(rows),
    )


def _measure_block(response: Mapping[str, Any]) -> Block:
    code = str(response.get("measure", ""))
    definition = measures().get(code)
    score: Mapping[str, Any] = response.get("score") or {}
    answers: Sequence[Any] = response.get("answers") or []
    by = {"person": gettext("You, on your own"), "worker": gettext("You, with your worker")}
    rows = [
        Row(
            gettext("Filled in by"),
            by.get(str(response.get("completed_by", ""))) or _text(response.get("completed_by")),
        )
    ]
    if definition is None:
        rows.append(Row(gettext("Your answers"), ", ".join(str(a) for a in answers)))
        heading = f"{_words(code)}, {_when(response.get('completed_at'))}"
    else:
        heading = f"{definition.name}, {_when(response.get('completed_at'))}"
        for item, answer in zip(definition.items, answers, strict=False):
            labels = {option.value: option.label for option in item.options}
            answer_words = labels.get(answer, str(answer))
            band = score.get(f"{item.key}_band")
            rows.append(Row(item.text, f"{answer_words} ({band})" if band else answer_words))
        total = score.get("total")
        rows.append(Row(gettext("Total score"), _text(total, empty=gettext("No total"))))
        if definition.conversion_key and definition.conversion_key in score:
            rows.append(Row(gettext("Metric score"), _text(score[definition.conversion_key])))
        for sub in definition.scores:
            if sub.key in score:
                rows.append(Row(_words(sub.key).capitalize(), _text(score[sub.key])))
        if score.get("band"):
            rows.append(Row(gettext("Band"), str(score["band"])))
    if "risk" in (score.get("flags") or []):
        rows.append(Row(gettext("Flagged for a same-day call from the team"), gettext("Yes")))
    return Block(heading=heading, rows=tuple(rows))


@dataclass
class _ExportedEvent:
    """An event of the download's audit log, read back for `access_entries`."""

    at: dt.datetime
    actor_type: str
    actor_id: str
    action: str
    subject_type: str
    purpose: str
    outcome: str

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> _ExportedEvent:
        return cls(
            at=dt.datetime.fromisoformat(str(row["at"])),
            actor_type=str(row.get("actor_type", "")),
            actor_id=str(row.get("actor_id", "")),
            action=str(row.get("action", "")),
            subject_type=str(row.get("subject_type", "")),
            purpose=str(row.get("purpose", "")),
            outcome=str(row.get("outcome", "")),
        )


def exported_events(export: Mapping[str, Any]) -> list[_ExportedEvent]:
    return [_ExportedEvent.of(row) for row in export.get("audit_log", [])]


@dataclass(frozen=True)
class ReadableRecord:
    exported_at: str
    parts: tuple[Part, ...] = field(default_factory=tuple)


def readable_record(
    export: Mapping[str, Any], *, staff: Mapping[str, TeamMember]
) -> ReadableRecord:
    """The JSON download as a page people can read: a part per heading, every field in plain
    words. `staff` names the members of staff in its audit log (by user id)."""
    person = export.get("person") or {}
    parts = [
        _about_you(person),
        Part(
            key="asks",
            heading=gettext("Your asks"),
            blocks=tuple(_ask_block(ask) for ask in export.get("asks", [])),
            empty=gettext("You have not asked for help yet."),
        ),
        Part(
            key="sharing",
            heading=gettext("Who you shared your record with"),
            blocks=tuple(_sharing_block(c) for c in export.get("sharing", [])),
            empty=gettext("You have not shared your record with any team."),
        ),
        Part(
            key="notes_from_the_team",
            heading=gettext("Notes from your team"),
            blocks=tuple(_note_block(n) for n in export.get("notes_from_the_team", [])),
            empty=gettext("Your team has not written any notes."),
        ),
        Part(
            key="plans",
            heading=gettext("Your plans"),
            blocks=tuple(_plan_block(p) for p in export.get("plans", [])),
            empty=gettext("You do not have a plan yet."),
        ),
        Part(
            key="safety_plans",
            heading=gettext("Your safety plans"),
            blocks=tuple(_safety_plan_block(p) for p in export.get("safety_plans", [])),
            empty=gettext("You do not have a safety plan."),
        ),
        Part(
            key="measures",
            heading=gettext("How you are doing"),
            blocks=tuple(_measure_block(m) for m in export.get("measures", [])),
            empty=gettext("You have not filled in any questionnaires."),
        ),
        Part(
            key="audit_log",
            heading=gettext("Who has looked at or changed your record"),
            entries=tuple(
                access_entries(
                    exported_events(export), person_id=str(person.get("id", "")), staff=staff
                )
            ),
            empty=gettext("Nobody has looked at your record."),
        ),
    ]
    known = READABLE_FIELDS[""]
    for key, value in export.items():
        if key not in known:  # a part added to the download that this page does not know yet
            parts.append(_unknown_part(key, value))
    return ReadableRecord(exported_at=_when(export.get("exported_at")), parts=tuple(parts))


def _unknown_part(key: str, value: Any) -> Part:
    """A part of the download without its own words yet: shown plainly rather than left out."""
    items = value if isinstance(value, list) else [value]
    blocks = tuple(
        Block(
            heading="",
            rows=tuple(Row(_words(name).capitalize(), _text(item)) for name, item in entry.items())
            if isinstance(entry, Mapping)
            else (Row("", _text(entry)),),
        )
        for entry in items
    )
    return Part(key=key, heading=_words(key).capitalize(), blocks=blocks)
