"""Consent: which teams a person shares their record with, and which organisations within a team
they withhold it from. Reads and writes for `Consent`; `access.py` and the board enforce them.

Contract:

- A team's staff see a person's asks and involvements only while the person shares their record
  with that team (a sharing `Consent` in force) and has not withheld it from the member's
  organisation. An ask with no person yet is seen by the team it went to, so someone can respond.
- Asking for help counts as sharing with the team the ask goes to (`consent_share_by_asking`,
  called when an ask is sent by a signed-in person or claimed at sign-in; an ask raised for
  them by a measure's risk answer never shares with a team they stopped sharing with). From
  /my/sharing/ the person shares with a team, stops sharing, withholds their record from an
  organisation and allows it again. There is no other way to change a consent.
- Nothing is deleted or edited back: a decision ends with `withdrawn_at`, and sharing again is a
  new row, so the history is whole for the person, the team and an information governance lead.
- Every change is audited (actor: the person; subject: the consent; purpose: how) in the same
  transaction. Reads here never audit: they are either the person's own or used by `access.py`,
  which audits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from kith.asks.models import Ask, AskSource, AskStatus
from kith.audit.events import Action, Purpose
from kith.audit.services import Actor, audit
from kith.core.errors import ValidationFailed
from kith.people.models import Consent, ConsentHow
from kith.teams.models import Team, TeamMember

if TYPE_CHECKING:
    from kith.people.models import Person


def organisation_name_tidy(name: str) -> str:
    """'  Brixton  GP practice ' -> 'Brixton GP practice': how names are kept and compared
    (ignoring case), since members' organisation names are typed by hand."""
    return " ".join(name.split())


# Reads for enforcement.


def consent_visible_q(
    *, team: Team, organisation_name: str = "", person_field: str = "person"
) -> Q:
    """A filter for asks or involvements of `team` (with a `person` foreign key) that a member of
    `organisation_name` may see: no person yet, or the person shares with the team and has not
    withheld their record from that organisation. Subqueries, so a list costs no extra query."""
    person = Q(**{f"{person_field}__isnull": True})
    sharing = Consent.objects.filter(
        person=OuterRef(person_field), team=team, withheld_organisation_name="", withdrawn_at=None
    )
    visible = Q(Exists(sharing))
    organisation = organisation_name_tidy(organisation_name)
    if organisation:
        withheld = Consent.objects.filter(
            person=OuterRef(person_field),
            team=team,
            withheld_organisation_name__iexact=organisation,
            withdrawn_at=None,
        )
        visible &= ~Q(Exists(withheld))
    return person | visible


def consent_allows(
    *, person_id: uuid.UUID | None, team_id: uuid.UUID | None, organisation_name: str
) -> bool:
    """May a member of `organisation_name` in the team see this person's asks and involvement?
    Yes for no person yet; else only while shared and not withheld from the organisation."""
    if person_id is None:
        return True
    if team_id is None:
        return False
    condition = Q(withheld_organisation_name="")
    organisation = organisation_name_tidy(organisation_name)
    if organisation:
        condition |= Q(withheld_organisation_name__iexact=organisation)
    in_force = list(
        Consent.objects.filter(
            condition, person_id=person_id, team_id=team_id, withdrawn_at=None
        ).values_list("withheld_organisation_name", flat=True)
    )
    # Shared with the team (at most one sharing is in force) and not withheld from them.
    return in_force == [""]


def consent_is_shared(*, person_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    """Does the person share their record with the team now (organisations aside)?"""
    return Consent.objects.filter(
        person_id=person_id, team_id=team_id, withheld_organisation_name="", withdrawn_at=None
    ).exists()


def consent_withheld_organisations(*, person_id: uuid.UUID | None, team: Team) -> list[str]:
    """The organisations within the team whose staff the person keeps their record from."""
    if person_id is None:
        return []
    return list(
        Consent.objects.filter(person_id=person_id, team=team, withdrawn_at=None)
        .exclude(withheld_organisation_name="")
        .order_by("withheld_organisation_name")
        .values_list("withheld_organisation_name", flat=True)
    )


# Reads for the person.


def consent_for_person(*, consent_id: uuid.UUID, person: Person) -> Consent | None:
    """One of the person's own consents (None for anyone else's or an unknown id)."""
    return Consent.objects.select_related("team").filter(pk=consent_id, person=person).first()


def consents_for_person(*, person: Person) -> list[Consent]:
    """Every decision the person made, oldest first, with its team and ask."""
    return list(
        Consent.objects.filter(person=person)
        .select_related("team", "ask")
        .order_by("given_at", "created_at", "id")
    )


def consent_teams_shared(*, person: Person) -> list[Team]:
    """The teams the person shares their record with now, by name."""
    return list(
        Team.objects.filter(
            consents__person=person,
            consents__withheld_organisation_name="",
            consents__withdrawn_at=None,
        ).order_by("name", "id")
    )


def team_organisations(*, teams: list[Team]) -> dict[uuid.UUID, list[str]]:
    """The organisations of each team's active members, tidied, one per name whatever its case."""
    found: dict[uuid.UUID, dict[str, str]] = {team.pk: {} for team in teams}
    members = TeamMember.objects.filter(team__in=teams, is_active=True).values_list(
        "team_id", "organisation_name"
    )
    for team_id, name in members:
        tidy = organisation_name_tidy(name)
        if tidy:
            found[team_id].setdefault(tidy.casefold(), tidy)
    return {team_id: sorted(names.values(), key=str.casefold) for team_id, names in found.items()}


@dataclass(frozen=True)
class SharingOrganisation:
    name: str
    withholding: Consent | None  # in force: staff from this organisation cannot see the record


@dataclass(frozen=True)
class SharingTeam:
    team: Team
    sharing: Consent | None  # in force
    latest: Consent | None  # the latest decision to share, in force or not
    organisations: list[SharingOrganisation]
    open_asks: int

    @property
    def is_shared(self) -> bool:
        return self.sharing is not None


@dataclass(frozen=True)
class SharingEvent:
    at: dt.datetime
    kind: str  # "shared", "stopped" (sharing), "withheld", "allowed" (again)
    consent: Consent


@dataclass(frozen=True)
class Sharing:
    """What /my/sharing/ shows: the person's teams (sharing now first), the teams they could
    share with, and every decision as it happened, newest first."""

    teams: list[SharingTeam] = field(default_factory=list)
    teams_to_share_with: list[Team] = field(default_factory=list)
    history: list[SharingEvent] = field(default_factory=list)

    def team(self, team_id: uuid.UUID) -> SharingTeam | None:
        return next((item for item in self.teams if item.team.pk == team_id), None)


def sharing_for_person(*, person: Person) -> Sharing:
    """Four queries whatever the number of teams and decisions."""
    consents = consents_for_person(person=person)
    teams: dict[uuid.UUID, Team] = {}
    for consent in consents:
        teams.setdefault(consent.team_id, consent.team)
    organisations = team_organisations(teams=list(teams.values()))
    open_asks = dict(
        Ask.objects.filter(
            person=person,
            team_id__in=list(teams),
            restricted_at__isnull=True,
            status__in=[AskStatus.NEW, AskStatus.IN_TOUCH],
        )
        .values("team_id")
        .annotate(count=Count("id"))
        .values_list("team_id", "count")
    )
    items = []
    for team_id, team in teams.items():
        shares = [c for c in consents if c.team_id == team_id and not c.is_withholding]
        withholdings = {
            c.withheld_organisation_name.casefold(): c
            for c in consents
            if c.team_id == team_id and c.is_withholding and c.is_in_force
        }
        names = list(organisations.get(team_id, []))
        names += [  # still withheld, though nobody from there is in the team now
            c.withheld_organisation_name
            for key, c in withholdings.items()
            if key not in {name.casefold() for name in names}
        ]
        items.append(
            SharingTeam(
                team=team,
                sharing=next((c for c in shares if c.is_in_force), None),
                latest=shares[-1] if shares else None,
                organisations=[
                    SharingOrganisation(name=name, withholding=withholdings.get(name.casefold()))
                    for name in sorted(names, key=str.casefold)
                ],
                open_asks=open_asks.get(team_id, 0),
            )
        )
    items.sort(key=lambda item: (not item.is_shared, item.team.name.casefold(), item.team.pk))
    shared = {item.team.pk for item in items if item.is_shared}
    return Sharing(
        teams=items,
        teams_to_share_with=[team for team in teams_all() if team.pk not in shared],
        history=_history(consents),
    )


def _history(consents: list[Consent]) -> list[SharingEvent]:
    events = []
    for consent in consents:
        withholding = consent.is_withholding
        events.append(
            SharingEvent(
                at=consent.given_at, kind="withheld" if withholding else "shared", consent=consent
            )
        )
        if consent.withdrawn_at is not None:
            events.append(
                SharingEvent(
                    at=consent.withdrawn_at,
                    kind="allowed" if withholding else "stopped",
                    consent=consent,
                )
            )
    return sorted(events, key=lambda event: (event.at, event.consent.created_at), reverse=True)


def teams_all() -> list[Team]:
    """Every team, by name: a person may share their record with any of them."""
    return list(Team.objects.only("id", "name").order_by("name", "id"))


# Writes.


def _audit(*, person_id: uuid.UUID, action: Action, consent: Consent, purpose: Purpose) -> None:
    audit(Actor.person(person_id), consent, action=action, purpose=purpose, person_id=person_id)


def _sharing_in_force(*, person_id: uuid.UUID, team_id: uuid.UUID) -> Consent | None:
    return (
        Consent.objects.select_for_update()
        .filter(person_id=person_id, team_id=team_id, withheld_organisation_name="")
        .filter(withdrawn_at=None)
        .first()
    )


@transaction.atomic
def consent_share_by_asking(*, ask: Ask) -> Consent | None:
    """Asking for help counts as sharing with the team the ask went to. Call it once the ask
    belongs to a person and has its final team (after any return to a team they know).

    A claimed ask made before the person stopped sharing with that team does not share again:
    their later choice stands. Nor does an ask raised for them by a measure's risk answer
    (`AskSource.MEASURE`) share with a team they ever stopped sharing with: they did not write
    it, so it waits until they share again. Returns the new consent, or None when nothing
    changed."""
    if ask.person_id is None or ask.team_id is None:
        return None
    if _sharing_in_force(person_id=ask.person_id, team_id=ask.team_id) is not None:
        return None
    stopped = Consent.objects.filter(
        person_id=ask.person_id,
        team_id=ask.team_id,
        withheld_organisation_name="",
        withdrawn_at__isnull=False,
    )
    if ask.source != AskSource.MEASURE:
        stopped = stopped.filter(withdrawn_at__gte=ask.created_at)
    if stopped.exists():
        return None
    consent = Consent(
        person_id=ask.person_id,
        team_id=ask.team_id,
        how_given=ConsentHow.ASKED,
        ask=ask,
        given_at=ask.created_at,
    )
    consent.full_clean()
    consent.save()
    _audit(person_id=ask.person_id, action=Action.SHARE, consent=consent, purpose=Purpose.ASKED)
    return consent


@transaction.atomic
def consent_share(*, person: Person, team: Team) -> Consent:
    """The person chooses to share their record with a team (again, or for the first time)."""
    if _sharing_in_force(person_id=person.pk, team_id=team.pk) is not None:
        raise ValidationFailed(f"You already share your record with {team.name}", field="team")
    consent = Consent(person=person, team=team, how_given=ConsentHow.CHOSE, given_at=timezone.now())
    consent.full_clean()
    consent.save()
    _audit(person_id=person.pk, action=Action.SHARE, consent=consent, purpose=Purpose.CHOSE)
    return consent


def _end(consent: Consent, at: dt.datetime) -> None:
    consent.withdrawn_at = at
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "updated_at"])


@transaction.atomic
def consent_withdraw(*, person: Person, consent: Consent) -> Consent:
    """The person stops sharing their record with the consent's team. The team can no longer
    see or act on their asks and involvement until they share again."""
    locked = Consent.objects.select_for_update().filter(pk=consent.pk, person=person).first()
    if locked is None or locked.is_withholding:
        raise ValidationFailed("Choose a team you share your record with", field="consent")
    if not locked.is_in_force:
        raise ValidationFailed(
            f"You already stopped sharing your record with {locked.team.name}", field="consent"
        )
    _end(locked, timezone.now())
    _audit(person_id=person.pk, action=Action.WITHDRAW, consent=locked, purpose=Purpose.CHOSE)
    return locked


@transaction.atomic
def consent_withhold(*, person: Person, team: Team, organisation_name: str) -> Consent:
    """The person keeps their record from the staff of one organisation within a team; the rest
    of the team still sees it. `organisation_name` must be one of the team's organisations."""
    organisations = team_organisations(teams=[team])[team.pk]
    name = next(
        (
            known
            for known in organisations
            if known.casefold() == organisation_name_tidy(organisation_name).casefold()
        ),
        None,
    )
    if name is None:
        raise ValidationFailed("Choose an organisation in the team", field="organisation_name")
    already = Consent.objects.select_for_update().filter(
        person=person, team=team, withheld_organisation_name__iexact=name, withdrawn_at=None
    )
    if already.exists():
        raise ValidationFailed(
            f"Staff at {name} already cannot see your record", field="organisation_name"
        )
    consent = Consent(
        person=person,
        team=team,
        withheld_organisation_name=name,
        how_given=ConsentHow.CHOSE,
        given_at=timezone.now(),
    )
    consent.full_clean()
    consent.save()
    _audit(person_id=person.pk, action=Action.WITHHOLD, consent=consent, purpose=Purpose.CHOSE)
    return consent


@transaction.atomic
def consent_allow(*, person: Person, consent: Consent) -> Consent:
    """The person lets an organisation they withheld their record from see it again (as long as
    they share with the team)."""
    locked = Consent.objects.select_for_update().filter(pk=consent.pk, person=person).first()
    if locked is None or not locked.is_withholding:
        raise ValidationFailed("Choose an organisation you keep your record from", field="consent")
    if not locked.is_in_force:
        raise ValidationFailed(
            f"Staff at {locked.withheld_organisation_name} can already see your record",
            field="consent",
        )
    _end(locked, timezone.now())
    _audit(person_id=person.pk, action=Action.ALLOW, consent=locked, purpose=Purpose.CHOSE)
    return locked


@transaction.atomic
def consents_end_for_person(*, person: Person) -> int:
    """Closing an account: stop sharing with every team, so no team keeps seeing a record that
    is kept only for safety or by law. The decisions themselves are kept, like the audit log:
    they show whose access was allowed, and when. Withholdings stay in force."""
    now = timezone.now()
    ended = list(
        Consent.objects.select_for_update().filter(
            person=person, withheld_organisation_name="", withdrawn_at=None
        )
    )
    for consent in ended:
        _end(consent, now)
        _audit(
            person_id=person.pk,
            action=Action.WITHDRAW,
            consent=consent,
            purpose=Purpose.CLOSE_ACCOUNT,
        )
    return len(ended)
