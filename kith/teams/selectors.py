"""Reads about teams and members: who is signed in as which member, and which team covers a
place. Routing by postcode is the caller's: it knows the postcode table (`kith.directory.geo`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kith.audit.models import AuditEvent
from kith.teams.areas import area_contains
from kith.teams.models import Team, TeamMember


def member_active_for_user(user: AbstractBaseUser | AnonymousUser) -> TeamMember | None:
    """The user's active team membership, with its team, or None."""
    if not user.is_authenticated:
        return None
    return (
        TeamMember.objects.select_related("team", "user")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )


def team_members_active(*, team: Team) -> list[TeamMember]:
    return list(team.members.filter(is_active=True).order_by("display_name", "id"))


def team_whose_area_holds(*, latitude: float, longitude: float) -> Team | None:
    """The team whose area holds the point, the most local (smallest bounding box) when several
    do. One query: SQL keeps only the teams whose bounding box holds the point, so only their
    areas are loaded and tested, however many teams there are."""
    candidates = Team.objects.filter(
        area_min_latitude__lte=latitude,
        area_max_latitude__gte=latitude,
        area_min_longitude__lte=longitude,
        area_max_longitude__gte=longitude,
    )

    def size(team: Team) -> float:
        height = (team.area_max_latitude or 0.0) - (team.area_min_latitude or 0.0)
        width = (team.area_max_longitude or 0.0) - (team.area_min_longitude or 0.0)
        return height * width

    for team in sorted(candidates, key=lambda team: (size(team), team.name, str(team.pk))):
        if team.area and area_contains(team.area, latitude=latitude, longitude=longitude):
            return team
    return None


def team_member_of_team(*, member_id: UUID, team: Team) -> TeamMember | None:
    """A member of `team`, active or not (a colleague who left may still have people to hand
    on), or None."""
    return TeamMember.objects.select_related("team").filter(pk=member_id, team=team).first()


def staff_for_actor_ids(actor_ids: Iterable[str]) -> dict[str, TeamMember]:
    """The team member each staff actor id in an audit log is (by user id), with their team, so
    the person can see who they are: name, role, organisation and team (one query). Ids of
    users who are not team members are left out. Someone in more than one team is shown as their
    active membership, else their first."""
    user_ids = sorted({int(actor_id) for actor_id in actor_ids if actor_id.isdigit()})
    members: dict[str, TeamMember] = {}
    found = TeamMember.objects.filter(user_id__in=user_ids).select_related("team")
    for member in found.order_by("-is_active", "created_at"):
        members.setdefault(str(member.user_id), member)
    return members


def staff_for_events(events: Iterable[AuditEvent]) -> dict[str, TeamMember]:
    """`staff_for_actor_ids` for the staff who appear in `events`."""
    return staff_for_actor_ids(
        event.actor_id for event in events if event.actor_type == AuditEvent.ActorType.STAFF
    )


# Routing: which team an ask from a place goes to. The caller knows the postcode table
# (`kith.directory.geo`, above this app) and hands over the district and a way to find the point.


def team_covering(*, district: str, point: Callable[[], tuple[float, float] | None]) -> Team | None:
    """The team that covers a place: by its postcode district first, then the team whose area
    holds its point (`point()` is asked only when no district matches: it may read the postcode
    table). None when no team covers it: the default team is not "covering" anywhere."""
    if not district:
        return None
    # Areas can be large: never load them just to read the districts.
    for team in Team.objects.exclude(postcode_districts="").defer("area"):
        if district in team.districts:
            return team
    located = point()
    if located is None:
        return None
    latitude, longitude = located
    return team_whose_area_holds(latitude=latitude, longitude=longitude)


def team_for_place(
    *, district: str, point: Callable[[], tuple[float, float] | None]
) -> Team | None:
    """Where an ask from a place goes: the team covering it, else the default team (None if
    there is none). Routing never refuses an ask."""
    covering = team_covering(district=district, point=point)
    if covering is not None:
        return covering
    return Team.objects.filter(is_default=True).defer("area").first()
