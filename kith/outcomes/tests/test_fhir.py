"""FHIR QuestionnaireResponse and Observation for every measure, validated with fhir.resources."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from kith.core.errors import ValidationFailed
from kith.outcomes.fhir import observation, questionnaire_response

AUTHORED = datetime(2025, 3, 30, 9, 15, tzinfo=UTC)
SUBJECT = "Patient/5b0c2f7e-0000-4000-8000-000000000001"


def as_observation(resource: dict[str, Any]) -> Any:
    """Validate with fhir.resources; typed Any so tests can walk its optional fields."""
    return Observation.model_validate(resource)


def as_questionnaire_response(resource: dict[str, Any]) -> Any:
    return QuestionnaireResponse.model_validate(resource)


ANSWERS = {
    "phq9": [1, 2, 0, 3, 1, 0, 2, 1, 1],
    "gad7": [3, 3, 2, 2, 1, 1, 0],
    "swemwbs": [4, 3, 3, 4, 5, 2, 3],
    "dialog": [4, 3, 2, 5, 6, 7, 1, 4, 5, 6, 7],
    "ons4": [7, 9, 4, 6],
    "ucla3": [2, 3, 1],
}


@pytest.mark.parametrize("code", sorted(ANSWERS))
def test_questionnaire_response_validates_for_every_measure(code: str) -> None:
    # when a completed measure is exported
    resource = questionnaire_response(
        code, ANSWERS[code], subject_reference=SUBJECT, authored=AUTHORED
    )
    # then it validates as an R4B QuestionnaireResponse with one answered item per answer
    parsed = as_questionnaire_response(resource)
    assert parsed.status == "completed"
    assert parsed.subject.reference == SUBJECT
    assert parsed.questionnaire == f"https://kith.example/fhir/Questionnaire/{code}"
    assert [item.linkId for item in parsed.item] == [
        f"{code}-{number}" for number in range(1, len(ANSWERS[code]) + 1)
    ]
    assert parsed.authored == AUTHORED


def test_phq9_answers_use_loinc_answer_codes() -> None:
    # when a PHQ-9 is exported
    resource = questionnaire_response(
        "phq9", ANSWERS["phq9"], subject_reference=SUBJECT, authored=AUTHORED
    )
    # then each answer is the LOINC answer for its value, and item 9 points at its LOINC code
    codes = [item["answer"][0]["valueCoding"]["code"] for item in resource["item"]]
    assert codes == [
        "LA6569-3",
        "LA6570-1",
        "LA6568-5",
        "LA6571-9",
        "LA6569-3",
        "LA6568-5",
        "LA6570-1",
        "LA6569-3",
        "LA6569-3",
    ]
    assert resource["item"][8]["definition"] == "http://loinc.org/44260-8"


def test_measures_without_loinc_answers_use_integers() -> None:
    resource = questionnaire_response(
        "ucla3", [2, 3, 1], subject_reference=SUBJECT, authored=AUTHORED
    )
    assert [item["answer"] for item in resource["item"]] == [
        [{"valueInteger": 2}],
        [{"valueInteger": 3}],
        [{"valueInteger": 1}],
    ]


@pytest.mark.parametrize("code", sorted(ANSWERS))
def test_observation_validates_for_every_measure(code: str) -> None:
    # when the scores of a completed measure are exported
    resource = observation(
        code,
        ANSWERS[code],
        subject_reference=SUBJECT,
        authored=AUTHORED,
        derived_from="QuestionnaireResponse/7d1c1d9e-0000-4000-8000-000000000002",
    )
    # then it validates as an R4B survey Observation carrying the measure's code
    parsed = as_observation(resource)
    assert parsed.status == "final"
    assert parsed.category[0].coding[0].code == "survey"
    assert parsed.code.coding[-1].code == code
    assert parsed.effectiveDateTime == AUTHORED
    assert parsed.derivedFrom[0].reference.startswith("QuestionnaireResponse/")


@pytest.mark.parametrize(
    ("code", "loinc", "total", "band"),
    [("phq9", "44261-6", 11, "Moderate"), ("gad7", "70274-6", 12, "Moderate")],
)
def test_phq9_and_gad7_totals_carry_their_loinc_codes(
    code: str, loinc: str, total: int, band: str
) -> None:
    # when PHQ-9 and GAD-7 are exported as Observations
    parsed = as_observation(
        observation(code, ANSWERS[code], subject_reference=SUBJECT, authored=AUTHORED)
    )
    # then the total is coded in LOINC, with its value and band
    assert parsed.code.coding[0].system == "http://loinc.org"
    assert parsed.code.coding[0].code == loinc
    assert parsed.valueInteger == total
    assert parsed.interpretation[0].text == band


def test_phq9_observation_carries_the_risk_flag() -> None:
    resource = observation("phq9", ANSWERS["phq9"], subject_reference=SUBJECT, authored=AUTHORED)
    flags = [c["valueString"] for c in resource["component"] if "valueString" in c]
    assert flags == ["risk"]


def test_swemwbs_observation_holds_the_metric_score() -> None:
    # given SWEMWBS answers with raw total 24
    parsed = as_observation(
        observation("swemwbs", ANSWERS["swemwbs"], subject_reference=SUBJECT, authored=AUTHORED)
    )
    # then the value is the raw total and a component holds the metric score
    assert parsed.valueInteger == 24
    assert parsed.component[0].code.coding[0].code == "swemwbs.metric"
    assert parsed.component[0].valueQuantity.value == Decimal("21.54")
    assert parsed.interpretation is None


def test_ons4_observation_has_components_only_with_threshold_labels() -> None:
    parsed = as_observation(
        observation("ons4", ANSWERS["ons4"], subject_reference=SUBJECT, authored=AUTHORED)
    )
    assert parsed.valueInteger is None
    assert [(c.valueInteger, c.interpretation[0].text) for c in parsed.component] == [
        (7, "High"),
        (9, "Very high"),
        (4, "Low"),
        (6, "High"),
    ]


def test_dialog_observation_holds_both_means() -> None:
    parsed = as_observation(
        observation("dialog", ANSWERS["dialog"], subject_reference=SUBJECT, authored=AUTHORED)
    )
    means = {c.code.coding[0].code: c.valueQuantity.value for c in parsed.component[:2]}
    assert means == {
        "dialog.subjective_quality_of_life": Decimal("4"),
        "dialog.treatment_satisfaction": Decimal("6"),
    }
    # the observation's value is the total: the sum of the 11 ratings
    assert parsed.valueInteger == sum(ANSWERS["dialog"]) == 50


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"subject_reference": SUBJECT, "authored": datetime(2025, 3, 30, 9, 15)}, "authored"),  # noqa: DTZ001
        ({"subject_reference": "not a reference", "authored": AUTHORED}, "subject_reference"),
    ],
)
def test_bad_subject_or_time_is_refused(kwargs: dict[str, Any], field: str) -> None:
    for export in (questionnaire_response, observation):
        with pytest.raises(ValidationFailed) as raised:
            export("gad7", ANSWERS["gad7"], **kwargs)
        assert raised.value.field == field


def test_bad_answers_produce_no_resource() -> None:
    with pytest.raises(ValidationFailed) as raised:
        questionnaire_response("phq9", [0] * 9 + [1], subject_reference=SUBJECT, authored=AUTHORED)
    assert raised.value.field == "answers"
