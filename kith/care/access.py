"""The only way an interface gets at a person's data in the team workspace.

Contract:

- Staff see only asks and involvements of their own team. Anything else (another team's, a
  restricted ask, an id that does not exist) raises Http404, so existence never leaks.
- And only while the person shares their record with the team and has not withheld it from the
  member's organisation (`kith.care.consent`); otherwise Http404 too, and the refusal is
  recorded against the person, so they see who tried. An ask with no person yet is seen by the
  team it went to, so someone can respond.
- Each access is recorded with `audit` before the data is returned: who (the member's
  user id), what (subject type and id), whose (person id) and why (a purpose code). A view of
  the huddle board, a caseload or a search for a person is one event listing everyone on the
  page (`person_ids`); the words searched for are never kept.
- Staff sign in at /staff/sign-in/ with a password and then, always, a code from an
  authenticator app (TOTP, `kith.core.second_factor`). `kith.core.middleware.
  StaffSessionMiddleware` lets no request reach a /team/ view without that second factor in
  the session, and signs staff out after 30 minutes idle or 12 hours after sign-in
  (`kith.core.staff_sessions`). Five wrong passwords or codes for a username from one address
  pause signing in for 15 minutes (django-axes). `member_deactivate` in `kith.care.services`
  ends every session of a member. `member_for_request` checks the second factor again, and an
  active membership.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.http import Http404

from kith.asks.models import Ask
from kith.audit.events import Action, Outcome, Purpose, SubjectType
from kith.audit.services import audit
from kith.care.consent import consent_allows
from kith.care.models import Involvement
from kith.care.selectors import (
    BoardPages,
    HuddleBoard,
    PeopleFound,
    PeopleQuery,
    ask_for_team,
    caseload_for_member,
    huddle_board_for_team,
    involvement_for_team,
    people_for_team,
)
from kith.core.pagination import Page
from kith.teams.models import TeamMember
from kith.teams.selectors import team_member_of_team


def _refused(
    *,
    member: TeamMember,
    subject_type: SubjectType,
    subject_id: UUID,
    person_id: UUID | None,
    purpose: Purpose,
) -> None:
    audit(
        member,
        (subject_type, subject_id),
        action=Action.READ,
        purpose=purpose,
        outcome=Outcome.DENIED,
        person_id=person_id,
    )


def _checked[T: (Ask, Involvement)](
    found: T | None,
    *,
    subject_type: SubjectType,
    subject_id: UUID,
    member: TeamMember,
    purpose: Purpose,
) -> T:
    """`found` if it is the member's team's and its person lets them see it, audited as read;
    else the refusal is audited and the answer is Http404, as if it did not exist."""
    if found is None:
        _refused(
            member=member,
            subject_type=subject_type,
            subject_id=subject_id,
            person_id=None,
            purpose=purpose,
        )
        raise Http404(f"No such {subject_type} for this team")
    if not consent_allows(
        person_id=found.person_id, team_id=found.team_id, organisation_name=member.organisation_name
    ):
        _refused(
            member=member,
            subject_type=subject_type,
            subject_id=found.pk,
            person_id=found.person_id,
            purpose=purpose,
        )
        raise Http404(f"No such {subject_type} for this team")
    audit(member, found, action=Action.READ, purpose=purpose)
    return found


def access_ask(ask_id: UUID, *, member: TeamMember, purpose: Purpose = Purpose.HUDDLE) -> Ask:
    """An ask of the member's own team that its person lets them see. Http404 otherwise; the
    refusal is audited too."""
    return _checked(
        ask_for_team(ask_id=ask_id, team=member.team),
        subject_type=SubjectType.ASK,
        subject_id=ask_id,
        member=member,
        purpose=purpose,
    )


def access_involvement(
    involvement_id: UUID, *, member: TeamMember, purpose: Purpose = Purpose.INVOLVEMENT
) -> Involvement:
    """An involvement of the member's own team that its person lets them see. Http404
    otherwise; the refusal is audited too."""
    return _checked(
        involvement_for_team(involvement_id=involvement_id, team=member.team),
        subject_type=SubjectType.INVOLVEMENT,
        subject_id=involvement_id,
        member=member,
        purpose=purpose,
    )


def access_huddle_board(
    *,
    member: TeamMember,
    now: dt.datetime,
    pages: BoardPages = BoardPages(),  # noqa: B008 - frozen, so one shared default is safe
) -> HuddleBoard:
    """The member's own team's board, a page of each section, without the people who do not let
    them see their record. Audited as one event, "read huddle_board", listing everyone the page
    shows (`person_ids`): each of them finds it in their own log, and a board of thousands costs
    one small insert."""
    board = huddle_board_for_team(
        team=member.team, now=now, organisation_name=member.organisation_name, pages=pages
    )
    audit(
        member,
        (SubjectType.HUDDLE_BOARD, member.team_id),
        action=Action.READ,
        purpose=Purpose.HUDDLE,
        person_ids=board.person_ids,
    )
    return board


@dataclass(frozen=True)
class Caseload:
    """A page of one worker's open involvements, as the member looking at it may see them."""

    worker: TeamMember
    involvements: Page[Involvement]


def access_caseload(
    *, member: TeamMember, worker_id: UUID | None = None, page: int = 1
) -> Caseload:
    """The open involvements of a worker in the member's own team (the member's own by default),
    a page of them, without the people who do not let the member see their record. A worker of
    another team, or an unknown id, is Http404. Audited as one event, "read caseload", listing
    everyone the page shows."""
    worker = member
    if worker_id is not None and worker_id != member.pk:
        found = team_member_of_team(member_id=worker_id, team=member.team)
        if found is None:
            raise Http404("No such member of this team")
        worker = found
    involvements = caseload_for_member(
        worker=worker, organisation_name=member.organisation_name, page=page
    )
    audit(
        member,
        (SubjectType.CASELOAD, worker.pk),
        action=Action.READ,
        purpose=Purpose.CASELOAD,
        person_ids=[i.person_id for i in involvements if i.person_id is not None],
    )
    return Caseload(worker=worker, involvements=involvements)


def access_people_search(
    *, member: TeamMember, query: PeopleQuery, page: int = 1, asks_page: int = 1
) -> PeopleFound:
    """People the member's own team works with (and new asks to it) who match `query`, a page of
    each, without anyone who does not let the member see their record: never another team's.
    Audited as one event, "read person_search", listing everyone the results show (the words
    searched for are not kept: they may be a name). A search that could mean nothing is not run
    and not audited."""
    found = people_for_team(
        team=member.team,
        query=query,
        organisation_name=member.organisation_name,
        page=page,
        asks_page=asks_page,
    )
    if not query.is_empty:
        audit(
            member,
            (SubjectType.PERSON_SEARCH, member.team_id),
            action=Action.READ,
            purpose=Purpose.SEARCH,
            person_ids=found.person_ids,
        )
    return found
