"""What someone tells us when they ask for help, in one shape for the web journey and the API.

The limits are generous: they exist so a paste of a whole book gets a clear message instead of a
failure, never to make anyone cut their story short.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Final

from kith.asks.models import AgeBand, ContactMethod, Ethnicity, GenderIdentity, Sex

LIMITS: Final[dict[str, int]] = {
    "text": 5000,
    "what_would_help": 2000,
    "what_matters": 2000,
    "contact_phone": 20,
    "contact_email": 254,
    "contact_times": 500,
    "language": 100,
    "access_needs": 1000,
    "postcode": 10,
}
FREE_TEXT_FIELDS: Final = (
    "text",
    "what_would_help",
    "what_matters",
    "contact_times",
    "access_needs",
)
CHOICES: Final[dict[str, list[str]]] = {
    "contact_method": list(ContactMethod.values),
    "age_band": list(AgeBand.values),
    "sex": list(Sex.values),
    "gender_identity": list(GenderIdentity.values),
    "ethnicity": list(Ethnicity.values),
}


@dataclass(frozen=True)
class AskAnswers:
    text: str
    what_would_help: str = ""
    what_matters: str = ""
    contact_method: str = ContactMethod.NONE
    contact_phone: str = ""
    contact_email: str = ""
    contact_times: str = ""
    language: str = ""
    needs_interpreter: bool = False
    access_needs: str = ""
    age_band: str = ""
    sex: str = ""
    gender_identity: str = ""
    ethnicity: str = ""
    postcode: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AskAnswers:
        known = {f.name for f in fields(cls)}
        values: dict[str, object] = {}
        for name, value in data.items():
            if name not in known or value is None:
                continue
            values[name] = bool(value) if name == "needs_interpreter" else str(value)
        values.setdefault("text", "")
        return cls(**values)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def words(self) -> str:
        """Everything they wrote in their own words, for screening and suggestions."""
        return "\n".join(getattr(self, name) for name in FREE_TEXT_FIELDS if getattr(self, name))
