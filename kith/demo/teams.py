"""A fictional integrated community team for the demo locality, so asking for help and the huddle
board can be tried straight away: asks from Lambeth postcodes reach it, and two fictional staff
(a peer worker and a social prescriber, from different organisations) can pick them up."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from kith.demo.editors import demo_password
from kith.demo.geography import lambeth_area, postcode_districts
from kith.teams.models import Role, Team, TeamMember

DEMO_TEAM_NAME = "Lambeth Living Well team (demo)"
# How a person reaches the demo team: fictional (Ofcom's drama range, and example.com).
DEMO_TEAM_CONTACT = {
    "contact_phone": "07700 900461",
    "contact_email": "livingwell@example.com",
    "contact_hours": "Monday to Friday, 9am to 5pm",
}
DEMO_WORKERS = (
    ("worker.sam", "Sam Okafor", "Brixton Wellbeing Hub (fictional)", Role.PEER_WORKER, True),
    (
        "worker.priya",
        "Priya Shah",
        "Stockwell GP Partnership (fictional)",
        Role.SOCIAL_PRESCRIBER,
        False,
    ),
)


@transaction.atomic
def load_demo_team() -> list[str]:
    """Create the demo team and its members if missing; returns lines to print."""
    districts = ", ".join(sorted(code for code, _, _ in postcode_districts()))
    team, _ = Team.objects.get_or_create(
        name=DEMO_TEAM_NAME,
        defaults={
            "postcode_districts": districts,
            "response_time_hours": 24,
            "is_default": not Team.objects.filter(is_default=True).exists(),
            **DEMO_TEAM_CONTACT,
        },
    )
    if team.area is None:
        team.area = lambeth_area()
        team.save(update_fields=["area", "updated_at"])
    # A demo loaded before teams had contact details gets them; an administrator's stay.
    missing = [field for field in DEMO_TEAM_CONTACT if not getattr(team, field)]
    for field in missing:
        setattr(team, field, DEMO_TEAM_CONTACT[field])
    if missing:
        team.save(update_fields=[*missing, "updated_at"])
    user_model = get_user_model()
    for username, name, organisation, role, is_lead in DEMO_WORKERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com", "is_staff": False}
        )
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
        TeamMember.objects.get_or_create(
            user=user,
            team=team,
            defaults={
                "display_name": name,
                "organisation_name": organisation,
                "role": role,
                "is_lead": is_lead,
            },
        )
    names = " and ".join(f'"{username}"' for username, *_ in DEMO_WORKERS)
    return [
        f"Demo team: {DEMO_TEAM_NAME}, covering {districts}.",
        f"Team members {names} sign in with the same password and see the huddle board at /team/.",
        "The first time, each sets up an authenticator app (a QR code, or a key to type in).",
    ]
