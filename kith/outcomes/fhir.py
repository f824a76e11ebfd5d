"""HL7 FHIR for completed outcome measures: a QuestionnaireResponse and a scored Observation.

The dicts follow FHIR R4B (4.3), which is wire-compatible with R4 for these two resources; the
tests validate them with the `fhir.resources.R4B` models. Kith's own codes (measure codes, score
keys, band codes, questionnaire canonicals) live under `KITH_FHIR_BASE_URL` (a setting, with a
placeholder default). LOINC codes are used where LOINC defines them (PHQ-9 panel 44249-1, total
44261-6, items and answers; GAD-7 panel 69737-5, total 70274-6 and items), from the measure file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from django.conf import settings

from kith.core.errors import ValidationFailed
from kith.outcomes.measures import Measure, measure, score

LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
DEFAULT_BASE_URL: Final = "https://kith.example/fhir"


def base_url() -> str:
    return str(getattr(settings, "KITH_FHIR_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")


def questionnaire_url(definition: Measure) -> str:
    return f"{base_url()}/Questionnaire/{definition.code}"


def measure_system() -> str:
    """The code system of Kith's measure codes (`phq9`) and score keys (`dialog.friendships`)."""
    return f"{base_url()}/CodeSystem/outcome-measure"


def questionnaire_response(
    code: str,
    answers: Sequence[int],
    *,
    subject_reference: str,
    authored: datetime,
    status: str = "completed",
) -> dict[str, Any]:
    """A FHIR R4B (R4-compatible) QuestionnaireResponse for one completed measure.

    Answers are checked by `score()` first, so bad input raises ValidationFailed and no resource
    is produced. Each answer is a Coding when the option has a LOINC answer code (LA...), else an
    integer. Item text is the wording the deployment has (licensed text when loaded, otherwise
    the shipped paraphrase).
    """
    score(code, answers)
    definition = measure(code)
    items = []
    for item, value in zip(definition.items, answers, strict=True):
        option = next(option for option in item.options if option.value == value)
        answer: dict[str, Any]
        if option.loinc:
            answer = {
                "valueCoding": {"system": LOINC, "code": option.loinc, "display": option.label}
            }
        else:
            answer = {"valueInteger": value}
        entry: dict[str, Any] = {"linkId": item.id, "text": item.text, "answer": [answer]}
        if item.loinc:
            entry["definition"] = f"{LOINC}/{item.loinc}"
        items.append(entry)
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(definition),
        "status": status,
        "subject": {"reference": _reference(subject_reference)},
        "authored": _instant(authored),
        "item": items,
    }


def observation(
    code: str,
    answers: Sequence[int],
    *,
    subject_reference: str,
    authored: datetime,
    derived_from: str | None = None,
) -> dict[str, Any]:
    """A FHIR R4B (R4-compatible) survey Observation holding the scores of one measure.

    The value is the measure's total (an integer, or a decimal quantity for a mean); its band is
    the interpretation. Every other score (SWEMWBS metric, DIALOG means and items, ONS4 items with
    their threshold labels) is a component. A measure with no total (ONS4) has components only.
    `derived_from` is a reference to the QuestionnaireResponse, if it is stored.
    """
    scored = score(code, answers)
    definition = measure(code)
    system = measure_system()
    coding = []
    if definition.fhir.get("total_loinc"):
        coding.append(
            {
                "system": LOINC,
                "code": definition.fhir["total_loinc"],
                "display": definition.fhir.get("total_display", definition.name),
            }
        )
    coding.append({"system": system, "code": definition.code, "display": definition.name})
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {"coding": coding, "text": f"{definition.short_name} total score"},
        "subject": {"reference": _reference(subject_reference)},
        "effectiveDateTime": _instant(authored),
        "issued": _instant(authored),
    }
    if scored["total"] is not None:
        resource.update(_value(scored["total"]))
    if scored["band"] is not None:
        resource["interpretation"] = [_band_concept(definition, scored)]
    components = []
    extra_keys = [subscore.key for subscore in definition.scores]
    if definition.conversion_key:
        extra_keys.append(definition.conversion_key)
    for key in extra_keys:
        components.append(_component(definition, key, scored[key], None))
    for item in definition.items:
        if definition.report_items:
            band = scored.get(f"{item.key}_band")
            components.append(_component(definition, item.key, scored[item.key], band))
    flags = scored["flags"]
    for flag in flags if isinstance(flags, list) else []:
        components.append(
            {
                "code": {
                    "coding": [
                        {"system": system, "code": f"{definition.code}.flag", "display": "Flag"}
                    ]
                },
                "valueString": str(flag),
            }
        )
    if components:
        resource["component"] = components
    if derived_from:
        resource["derivedFrom"] = [{"reference": _reference(derived_from)}]
    return resource


def _band_concept(definition: Measure, scored: dict[str, Any]) -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": f"{base_url()}/CodeSystem/{definition.code}-band",
                "code": scored["band_code"],
                "display": scored["band"],
            }
        ],
        "text": scored["band"],
    }


def _component(definition: Measure, key: str, value: Any, band: Any) -> dict[str, Any]:
    component: dict[str, Any] = {
        "code": {
            "coding": [
                {
                    "system": measure_system(),
                    "code": f"{definition.code}.{key}",
                    "display": key.replace("_", " ").capitalize(),
                }
            ]
        },
        **_value(value),
    }
    if band:
        component["interpretation"] = [{"text": str(band)}]
    return component


def _value(value: Any) -> dict[str, Any]:
    if type(value) is int:
        return {"valueInteger": value}
    return {"valueQuantity": {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}}


def _reference(reference: str) -> str:
    if not isinstance(reference, str) or "/" not in reference or reference.strip() != reference:
        raise ValidationFailed(
            "Give the subject as a FHIR reference, like 'Patient/<id>'.", field="subject_reference"
        )
    return reference


def _instant(moment: datetime) -> str:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValidationFailed(
            "Give the time the measure was completed as a timezone-aware datetime.",
            field="authored",
        )
    return moment.isoformat()
