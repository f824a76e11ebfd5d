"""The project lint (kith/core/lint.py): the list of personal-data models is complete, and every
interface is found by what it is, wherever it sits and whatever its module is called."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.db import models
from django.test.utils import isolate_apps

from kith.asks.models import Ask, AskNote, CrisisOption
from kith.core import lint
from kith.core.tests.lint_samples import backoffice, chores, odds_and_ends, wiring

SAMPLES = "kith/core/tests/lint_samples"
DECLARE = "add it to [tool.kith.personal-data] models in pyproject.toml"
FREE_TEXT = (
    "holds free text but is not declared: add it to [tool.kith.personal-data] models, "
    "or to not-personal with the reason"
)
USE_ACCESS = "read directly in an interface; use an access_* function"


def _person_model() -> type[Any]:
    """Person, wherever the layers put it: the model an ask's person points at."""
    return Ask._meta.get_field("person").related_model


def _personal() -> set[type[Any]]:
    return lint.personal_models(lint.project_models(), lint.declarations_load())


# Which models hold personal data


def test_the_declared_personal_data_models_are_complete() -> None:
    # when
    problems = lint.declaration_problems(lint.project_models(), lint.declarations_load())
    # then
    assert problems == []


def test_the_models_the_issue_named_are_personal_data() -> None:
    # when
    names = {model._meta.object_name for model in _personal()}
    # then: asks, notes, measures, plans, goals, steps and progress, with those already there
    assert {"Ask", "AskNote", "Note", "MeasureResponse", "Plan", "Goal", "Step"} <= names
    assert {"GoalProgress", "SafetyPlan", "SafetyPlanEntry", "Conversation"} <= names
    assert {"Person", "Involvement", "Consent", "AuditEvent", "SignInToken"} <= names


@isolate_apps("kith.core")
def test_a_new_model_pointing_at_a_person_must_be_declared() -> None:
    # given
    class Diary(models.Model):  # noqa: DJ008
        person = models.ForeignKey(_person_model(), on_delete=models.CASCADE)

    # when
    problems = lint.declaration_problems([*lint.project_models(), Diary], lint.declarations_load())
    # then
    assert problems == [
        f"kith.core.tests.test_lint.Diary points at Person (personal data) but is not declared: "
        f"{DECLARE}"
    ]


@isolate_apps("kith.core")
def test_a_new_model_pointing_at_a_persons_record_must_be_declared() -> None:
    # given: no foreign key to Person, but one to a note about them
    class NoteReaction(models.Model):  # noqa: DJ008
        note = models.ForeignKey(AskNote, on_delete=models.CASCADE)
        emoji = models.CharField(max_length=8)

    # when
    problems = lint.declaration_problems(
        [*lint.project_models(), NoteReaction], lint.declarations_load()
    )
    # then
    assert problems == [
        f"kith.core.tests.test_lint.NoteReaction points at AskNote (personal data) but is not "
        f"declared: {DECLARE}"
    ]


@isolate_apps("kith.core")
def test_a_new_model_with_free_text_must_be_declared_either_way() -> None:
    # given: words a person might write, with no link to anyone
    class Feedback(models.Model):  # noqa: DJ008
        words = models.TextField()

    class Counter(models.Model):  # noqa: DJ008
        count = models.PositiveIntegerField()

    # when
    problems = lint.declaration_problems(
        [*lint.project_models(), Feedback, Counter], lint.declarations_load()
    )
    # then
    assert problems == [f"kith.core.tests.test_lint.Feedback {FREE_TEXT}"]


@isolate_apps("kith.core")
def test_a_new_model_declared_personal_passes() -> None:
    # given
    class Diary(models.Model):  # noqa: DJ008
        person = models.ForeignKey(_person_model(), on_delete=models.CASCADE)
        words = models.TextField()

    declared = lint.declarations_load()
    declared = lint.Declarations(
        personal=declared.personal | {"Diary"}, not_personal=declared.not_personal
    )
    # when
    problems = lint.declaration_problems([*lint.project_models(), Diary], declared)
    # then
    assert problems == []
    assert Diary in lint.personal_models([Diary], declared)


def test_a_declared_name_that_is_no_model_is_reported() -> None:
    # given: a model renamed or removed, its old name left behind
    declared = lint.declarations_load()
    declared = lint.Declarations(
        personal=declared.personal | {"Jotting"},
        not_personal={**declared.not_personal, "Leaflet": "gone"},
    )
    # when
    problems = lint.declaration_problems(lint.project_models(), declared)
    # then
    assert problems == [
        "pyproject.toml: [tool.kith.personal-data] names Jotting, which is not a model",
        "pyproject.toml: [tool.kith.personal-data] names Leaflet, which is not a model",
    ]


# Interfaces, found by what they are


def test_views_and_api_operations_are_found_through_the_urlconf() -> None:
    # when
    found = lint.url_interfaces("kith.core.tests.lint_samples.urls")
    # then: the error pages (Django's own here), then each route in order
    assert [(i.kind, i.name, i.module) for i in found] == [
        *[("view", f"handler{code}", "django.views.defaults") for code in (400, 403, 404, 500)],
        ("view", "/reads/", odds_and_ends.__name__),
        ("view", "/reads/<uuid:ask_id>/", odds_and_ends.__name__),
        ("view", "/api/openapi.json", "ninja.openapi.views"),
        ("view", "/api/docs", "ninja.openapi.views"),
        ("api", "/api/things/count", wiring.__name__),
        ("view", "/api/", "ninja.openapi.views"),
    ]


def test_a_view_in_an_oddly_named_module_may_not_read_personal_data() -> None:
    # given
    found = lint.url_interfaces("kith.core.tests.lint_samples.urls")
    # when
    problems = lint.interface_problems(found, _personal())
    # then: an alias of the model, a dotted name and an import inside a function all count
    assert problems == [
        f"{SAMPLES}/odds_and_ends.py:16: Ask {USE_ACCESS}",
        f"{SAMPLES}/odds_and_ends.py:21: Ask {USE_ACCESS}",
        f"{SAMPLES}/wiring.py:13: MeasureResponse {USE_ACCESS}",
    ]


def test_an_admin_class_is_found_on_the_admin_site_and_may_not_read_personal_data() -> None:
    # given
    site = AdminSite(name="lint-samples")
    registry = {CrisisOption: backoffice.CrisisOptionAdmin(CrisisOption, site)}
    # when
    found = lint.admin_interfaces(registry)
    problems = lint.interface_problems(found, _personal())
    # then
    assert [(i.kind, i.name, i.module) for i in found] == [
        ("admin", "CrisisOptionAdmin", backoffice.__name__),
        ("admin", "AskNoteInline", backoffice.__name__),
    ]
    assert problems == [f"{SAMPLES}/backoffice.py:12: Ask {USE_ACCESS}"]


def test_the_admin_site_may_not_show_a_personal_data_model() -> None:
    # given
    site = AdminSite(name="lint-samples")
    registry = {
        Ask: backoffice.AskAdmin(Ask, site),
        CrisisOption: backoffice.CrisisOptionAdmin(CrisisOption, site),
    }
    # when
    problems = lint.admin_registry_problems(_personal(), registry)
    # then
    tail = "(personal data) with no access function or audit; build a staff page instead"
    assert problems == [
        f"{backoffice.__name__}.AskAdmin: the admin shows Ask {tail}",
        f"{backoffice.__name__}.AskNoteInline: the admin shows AskNote {tail}",
    ]


def test_a_management_command_is_found_by_name_and_may_not_read_personal_data() -> None:
    # given: what get_commands() answers, a command name and the app that provides it
    commands = {"tidy_up": "kith.core.tests.lint_samples", "migrate": "django.core"}
    # when
    found = lint.command_interfaces(commands)
    problems = lint.interface_problems(found, _personal())
    # then
    module = "kith.core.tests.lint_samples.management.commands.tidy_up"
    assert [(i.kind, i.name, i.module) for i in found] == [("command", "tidy_up", module)]
    assert problems == [f"{SAMPLES}/management/commands/tidy_up.py:12: Ask {USE_ACCESS}"]


def test_a_task_is_found_by_what_it_is_and_only_the_task_is_checked() -> None:
    # when
    found = lint.task_interfaces([chores])
    problems = lint.interface_problems(found, _personal())
    # then: the service beside it (line 10) may read; the task (line 15) may not
    assert [(i.kind, i.name) for i in found] == [("task", f"{chores.__name__}.asks_tidy")]
    assert problems == [f"{SAMPLES}/chores.py:15: Ask {USE_ACCESS}"]


def test_the_project_interfaces_are_found_by_what_they_are() -> None:
    # when
    found = {(i.kind, i.name) for i in lint.interfaces()}
    # then: one of each kind, whatever the module holding it is called
    assert ("view", "/my/download.fhir.json") in found
    assert ("view", "/team/involvements/<uuid:involvement_id>/notes/add/") in found
    assert ("api", "/api/v1/asks") in found
    assert ("api", "/api/oruk/services") in found
    assert ("view", "handler404") in found
    assert ("admin", "CrisisOptionAdmin") in found
    assert ("command", "import_oruk") in found
    assert not [i for i in lint.interfaces() if not i.module.startswith("kith.")]


def test_the_project_keeps_to_its_own_lint() -> None:
    # when
    problems = lint.problems_all()
    # then
    assert problems == []
