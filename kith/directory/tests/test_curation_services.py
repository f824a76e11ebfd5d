"""Curation rules at the service layer: who may act, what publishing writes, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from kith.core.errors import ValidationFailed
from kith.directory.models import (
    Address,
    CostOption,
    ListingChange,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
)
from kith.directory.selectors.curation import (
    EDITORS_GROUP_NAME,
    ListingData,
    is_directory_editor,
    listing_data_for_service,
    listing_merge,
    service_for_listing,
    service_support_type_codes,
)
from kith.directory.services import curation
from kith.directory.services.curation import (
    NotAllowed,
    editor_add,
    listing_change_propose,
    listing_change_publish,
)
from kith.directory.tests.factories import (
    AddressFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    UserFactory,
    tag_support_types,
)


@pytest.fixture
def editor() -> User:
    return cast(User, editor_add(username="editor.ada", email="ada@example.com", password="x"))


@pytest.fixture
def reviewer() -> User:
    return cast(User, editor_add(username="editor.ben", email="ben@example.com", password="x"))


def new_listing(**overrides: Any) -> ListingData:
    data: dict[str, Any] = {
        "organization_id": "",
        "organization_name": "Brixton Breathers (fictional)",
        "name": "Breathing space",
        "description": "Slow breathing and a chat.",
        "support_types": ["self-care-courses"],
        "is_no_referral_needed": True,
        "is_free": True,
        "cost_description": "",
        "is_place_to_talk": False,
        "place_to_talk_training": "",
        "url": "",
        "email": "",
        "phone": "",
        "location_name": "",
        "address_1": "",
        "address_2": "",
        "city": "",
        "postcode": "",
        "latitude": None,
        "longitude": None,
        "has_step_free_access": False,
        "opening_times": {},
        "languages": [],
    }
    data.update(overrides)
    return cast(ListingData, data)


def published_service(editor: User, reviewer: User, **overrides: Any) -> Service:
    change = listing_change_propose(proposer=editor, data=new_listing(**overrides))
    return listing_change_publish(change=change, reviewer=reviewer)


def edit(service: Service, editor: User, reviewer: User, **overrides: Any) -> Service:
    data = listing_data_for_service(service_for_listing(service.pk))
    data.update(overrides)  # type: ignore[typeddict-item]
    change = listing_change_propose(proposer=editor, data=data, service=service)
    listing_change_publish(change=change, reviewer=reviewer)
    return Service.objects.get(pk=service.pk)


@pytest.mark.django_db
def test_editors_group_is_created_on_demand_and_membership_decides() -> None:
    # given
    assert not Group.objects.filter(name=EDITORS_GROUP_NAME).exists()
    outsider = cast(User, UserFactory())
    superuser = cast(User, UserFactory(is_superuser=True))
    # when
    editor = editor_add(username="editor.cy", email="cy@example.com", password="x")
    # then
    assert Group.objects.filter(name=EDITORS_GROUP_NAME).count() == 1
    assert is_directory_editor(editor) is True
    assert is_directory_editor(outsider) is False
    assert is_directory_editor(superuser) is True
    editor.is_active = False
    assert is_directory_editor(editor) is False


@pytest.mark.django_db
def test_someone_who_is_not_an_editor_cannot_propose() -> None:
    # given
    outsider = UserFactory()
    # when / then
    with pytest.raises(NotAllowed):
        listing_change_propose(proposer=outsider, data=new_listing())
    assert ListingChange.objects.count() == 0


@pytest.mark.django_db
def test_unknown_support_type_is_refused(editor: User) -> None:
    with pytest.raises(ValidationFailed, match="Unknown type of support: made-up"):
        listing_change_propose(proposer=editor, data=new_listing(support_types=["made-up"]))
    assert ListingChange.objects.count() == 0


@pytest.mark.django_db
def test_publishing_is_all_or_nothing(
    editor: User, reviewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the search index fails at the last step
    change = listing_change_propose(proposer=editor, data=new_listing())

    def broken_index(service_ids: Any) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(curation, "services_reindex", broken_index)
    # when
    with pytest.raises(RuntimeError):
        listing_change_publish(change=change, reviewer=reviewer)
    # then nothing was written
    assert Service.objects.count() == 0
    assert Organization.objects.count() == 0
    change.refresh_from_db()
    assert change.status == ListingChange.Status.AWAITING_REVIEW


@pytest.mark.django_db
def test_is_free_and_cost_options_stay_in_step(editor: User, reviewer: User) -> None:
    # given a free listing
    service = published_service(editor, reviewer)
    assert service.is_free is True
    assert list(service.cost_options.values_list("option", "amount")) == [("Free", 0)]
    # when it starts to cost
    service = edit(service, editor, reviewer, is_free=False, cost_description="£4 a session")
    # then
    assert (service.is_free, service.fees_description) == (False, "£4 a session")
    assert list(service.cost_options.values_list("option", "amount", "amount_description")) == [
        ("£4 a session", None, "£4 a session")
    ]
    # and when it is free again
    service = edit(service, editor, reviewer, is_free=True, cost_description="")
    assert (service.is_free, service.fees_description) == (True, "")
    assert list(CostOption.objects.filter(service=service).values_list("option", flat=True)) == [
        "Free"
    ]


@pytest.mark.django_db
def test_support_types_are_replaced(editor: User, reviewer: User) -> None:
    # given
    service = cast(Service, ServiceFactory())
    tag_support_types(service, "peer-support", "debt-money")
    # when
    service = edit(service, editor, reviewer, support_types=["debt-money", "housing"])
    # then
    assert service_support_type_codes(service.pk) == ["debt-money", "housing"]


@pytest.mark.django_db
def test_clearing_the_address_unlinks_the_place_but_keeps_it(editor: User, reviewer: User) -> None:
    # given a service at a shared place
    service = cast(Service, ServiceFactory())
    tag_support_types(service, "peer-support")
    sal = cast(ServiceAtLocation, ServiceAtLocationFactory(service=service))
    AddressFactory(location=sal.location)
    # when
    service = edit(
        service,
        editor,
        reviewer,
        location_name="",
        address_1="",
        address_2="",
        city="",
        postcode="",
        latitude=None,
        longitude=None,
    )
    # then
    assert ServiceAtLocation.objects.filter(service=service).count() == 0
    assert Location.objects.filter(pk=sal.location_id).exists()
    assert Address.objects.filter(location=sal.location_id).count() == 1


@pytest.mark.django_db
def test_a_published_change_cannot_be_published_again(editor: User, reviewer: User) -> None:
    # given
    change = listing_change_propose(proposer=editor, data=new_listing())
    listing_change_publish(change=change, reviewer=reviewer)
    # when / then
    with pytest.raises(NotAllowed, match="This change is published"):
        listing_change_publish(change=change, reviewer=reviewer)
    assert Service.objects.count() == 1


@pytest.mark.django_db
def test_mark_as_checked_sets_today_and_the_assurer(editor: User) -> None:
    # given
    service = cast(Service, ServiceFactory(assured_date=dt.date(2020, 5, 1)))
    # when
    curation.service_mark_checked(service=service, editor=editor)
    # then
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert service.assurer_email == "ada@example.com"


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_is_refused_and_records_nothing(
    editor: User, reviewer: User
) -> None:
    # given
    service = published_service(editor, reviewer)
    data = listing_data_for_service(service_for_listing(service.pk))
    # when / then
    with pytest.raises(curation.NothingChanged) as refused:
        listing_change_propose(proposer=editor, data=data, service=service)
    assert refused.value.message == "You have not changed anything, so there is nothing to review."
    assert ListingChange.objects.filter(service=service).count() == 1  # the one that made it


@pytest.mark.django_db
def test_publishing_an_edit_saves_only_the_rows_that_changed(editor: User, reviewer: User) -> None:
    # given a listing with a place and two sessions
    session = {"id": "", "repeat": "weekly", "starts_on": "", "days": ["MO"]}
    service = published_service(
        editor,
        reviewer,
        address_1="1 Imaginary Road",
        city="London",
        postcode="SW9 8EJ",
        latitude=51.4652,
        longitude=-0.1150,
        opening_times=[
            {**session, "opens": "09:00", "closes": "12:00"},
            {**session, "opens": "13:00", "closes": "17:00"},
        ],
    )
    location = Location.objects.get(service_at_locations__service=service)
    schedules = {s.pk: s.updated_at for s in service.schedules.all()}
    address_saved = Address.objects.get(location=location).updated_at
    # when only the name changes
    edit(service, editor, reviewer, name="Breathing space together")
    # then the place, its address and the schedules were not saved again
    location_after = Location.objects.get(pk=location.pk)
    assert location_after.updated_at == location.updated_at
    assert Address.objects.get(location=location).updated_at == address_saved
    assert {s.pk: s.updated_at for s in service.schedules.all()} == schedules


def test_merging_an_edit_applies_only_what_the_editor_changed() -> None:
    # given the listing as the editor saw it, their proposal, and the listing now
    def session(id_: str, day: str, opens: str) -> dict[str, Any]:
        return {
            "id": id_,
            "days": [day],
            "repeat": "weekly",
            "starts_on": "",
            "opens": opens,
            "closes": "17:00",
        }

    base = dict(
        new_listing(),
        name="Breathing space",
        phone="07700 900001",
        opening_times=[
            session("a", "MO", "09:00"),
            session("b", "TU", "09:00"),
            session("c", "WE", "09:00"),
        ],
    )
    # the editor changes the phone, moves Monday to 10am, removes Tuesday, changes Wednesday
    proposed = dict(
        base,
        phone="07700 900002",
        opening_times=[
            session("a", "MO", "10:00"),
            session("c", "WE", "11:00"),
            session("", "FR", "09:00"),
        ],
    )
    # meanwhile another edit renamed it, deleted Wednesday and added Saturday
    live = dict(
        base,
        name="Breathing space together",
        opening_times=[
            session("a", "MO", "09:00"),
            session("b", "TU", "09:00"),
            session("d", "SA", "09:00"),
        ],
    )
    # when
    merged = listing_merge(live=cast(ListingData, live), base=base, proposed=proposed)
    # then both edits stand, session by session
    assert (merged["name"], merged["phone"]) == ("Breathing space together", "07700 900002")
    assert [(s["id"], s["days"], s["opens"]) for s in merged["opening_times"]] == [
        ("a", ["MO"], "10:00"),
        ("", ["WE"], "11:00"),
        ("", ["FR"], "09:00"),
        ("d", ["SA"], "09:00"),
    ]
    # and without a base (a new listing) the proposal stands as it is
    assert listing_merge(live=cast(ListingData, live), base=None, proposed=proposed) == proposed
