"""The JSON shapes of POST /api/v1/asks: what a client sends (AskIn) and gets back (AskOut)."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic.json_schema import JsonDict

from kith.asks.answers import LIMITS

ContactMethodIn = Literal["phone", "text", "email", "none"]
AgeBandIn = Literal[
    "under-18", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-plus", "prefer-not-to-say"
]
SexIn = Literal["female", "male", "prefer-not-to-say"]
GenderIdentityIn = Literal["same", "different", "prefer-not-to-say"]
EthnicityIn = Literal[
    "asian-bangladeshi",
    "asian-chinese",
    "asian-indian",
    "asian-pakistani",
    "asian-other",
    "black-african",
    "black-caribbean",
    "black-other",
    "mixed-white-asian",
    "mixed-white-black-african",
    "mixed-white-black-caribbean",
    "mixed-other",
    "white-british",
    "white-irish",
    "white-gypsy-traveller",
    "white-roma",
    "white-other",
    "other-arab",
    "other-any",
    "prefer-not-to-say",
]


def _limit(name: str, *, required: bool = False) -> JsonDict:
    """The longest answer `name` can be, for the schema. ask_submit checks it (with a message
    saying how much was written), so the API and the web journey refuse exactly the same."""
    return {"minLength": 1, "maxLength": LIMITS[name]} if required else {"maxLength": LIMITS[name]}


class AskIn(Schema):
    text: str = Field(
        description="What is happening, in the person's own words (up to 5,000).",
        json_schema_extra=_limit("text", required=True),
    )
    what_would_help: str = Field("", json_schema_extra=_limit("what_would_help"))
    what_matters: str = Field("", json_schema_extra=_limit("what_matters"))
    contact_method: ContactMethodIn = Field(
        "none", description='"none" means "I\'ll get back in touch" with the reference.'
    )
    contact_phone: str = Field(
        "",
        description="A UK phone number, for phone or text.",
        json_schema_extra=_limit("contact_phone"),
    )
    contact_email: str = Field("", json_schema_extra=_limit("contact_email"))
    contact_times: str = Field(
        "",
        description="When is a good time to get in touch.",
        json_schema_extra=_limit("contact_times"),
    )
    language: str = Field("", json_schema_extra=_limit("language"))
    needs_interpreter: bool = False
    access_needs: str = Field("", json_schema_extra=_limit("access_needs"))
    age_band: AgeBandIn | None = Field(None, description="Optional equality question.")
    sex: SexIn | None = Field(None, description="Optional equality question.")
    gender_identity: GenderIdentityIn | None = Field(
        None,
        description="Optional: is the gender they identify with the same as their sex "
        "registered at birth (ONS 2021).",
    )
    ethnicity: EthnicityIn | None = Field(
        None, description="Optional: ONS 2021 ethnic groups (England)."
    )
    postcode: str = Field(
        "",
        description="Optional. Routes the ask and finds support nearby.",
        json_schema_extra=_limit("postcode"),
    )


class CrisisOptionOut(Schema):
    name: str
    how_to_contact: str
    contact: str = Field(description="A tel:, sms: or https: link.")
    description: str
    last_checked: dt.date


class SuggestionOut(Schema):
    id: UUID = Field(description="The service's id in the ORUK API (/api/oruk/services/{id}).")
    name: str
    organization: str
    url: str = Field(description="The service's page on this site.")
    distance_m: float | None = None


class AskOut(Schema):
    reference: str = Field(description='The reference a person can quote, like "KTH-7Q4M-2X".')
    urgent: bool = Field(description="True when the words suggest immediate danger.")
    crisis_support: list[CrisisOptionOut] = Field(
        description="Crisis options to show at once; never empty when urgent."
    )
    suggestions: list[SuggestionOut] = Field(
        description="Support near them that fits what they wrote, to use right away."
    )
    respond_by: dt.datetime | None = Field(
        description="When the team will get in touch by (their response time)."
    )


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


class RateLimitedOut(Schema):
    error: ErrorBody
    crisis_support: list[CrisisOptionOut]
