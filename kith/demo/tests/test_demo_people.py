"""The demo team's board has a day's work on it: fictional people's asks and someone the team
is already working with."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kith.asks.models import Ask
from kith.care.selectors import huddle_board_for_team, notes_for_person
from kith.demo.people import DEMO_EMAIL_DOMAIN, load_demo_people
from kith.demo.teams import DEMO_TEAM_NAME, load_demo_team
from kith.people.models import Consent, Person
from kith.teams.models import Team

pytestmark = pytest.mark.django_db


def test_given_the_demo_team_when_its_people_load_then_the_board_has_a_days_work() -> None:
    # given
    load_demo_team()
    # when: loaded twice, as `kith demo` may be
    first = load_demo_people()
    second = load_demo_people()
    # then: three new asks, the urgent one first, one waiting past the response time
    board = huddle_board_for_team(team=Team.objects.get(name=DEMO_TEAM_NAME), now=timezone.now())
    new = board.new_asks
    assert [item.ask.is_urgent for item in new] == [True, False, False]
    assert [item.is_overdue for item in new] == [False, True, False]
    assert all(item.ask.reference in first[0] for item in new)
    assert [item.ask.text.split()[0] for item in new] == ["I", "I", "My"]  # Mo, Ellis, Jordan
    # and Ruby, whom Sam is working with, has a next step due today and an open note
    [ruby] = board.next_steps_due
    assert ruby.worker is not None
    assert ruby.worker.user.username == "worker.sam"
    assert [note.text[:4] for note in notes_for_person(ruby.person)] == ["Ruby"]  # type: ignore[arg-type]
    assert second == ["Demo people who asked for help are already loaded."]
    assert Person.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).count() == 4
    asks = Ask.objects.filter(person__email__endswith=DEMO_EMAIL_DOMAIN)
    assert asks.count() == 4
    # each shared their record with the team when they asked, not when the demo was loaded
    for ask in asks:
        assert Consent.objects.get(ask=ask).given_at == ask.created_at
