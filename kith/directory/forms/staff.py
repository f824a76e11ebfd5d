"""Staff forms: the listing editor, review notes and report resolutions. They validate; no writes."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from kith.core.errors import ValidationFailed
from kith.directory.forms import sessions
from kith.directory.forms.sessions import parse_time
from kith.directory.geo import normalise_postcode, postcode_location
from kith.directory.selectors.curation import (
    ListingData,
    opening_sessions,
    organizations_for_choice,
)
from kith.directory.taxonomy import support_types

__all__ = ["ListingForm", "ReportResolveForm", "ReviewNoteForm", "parse_time"]

POSTCODE_REQUIRED = "Enter a postcode, like SW9 8EJ"
POSTCODE_INVALID = "Enter a real postcode, like SW9 8EJ"
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")
MAX_LANGUAGES = 20
_LOCATION_FIELDS = ("location_name", "address_1", "address_2", "city", "postcode")
_LOCATION_PARTS = (*_LOCATION_FIELDS, "latitude", "longitude", "has_step_free_access")
# Which form fields each part of the listing is made from. A part whose fields all come back
# as the page showed them keeps the listing's own value, byte for byte: sending the form back
# never rewrites what the editor did not touch (line endings, spacing, a postcode's case...).
_SOURCES: dict[str, tuple[str, ...]] = {
    "organization_id": ("organization", "new_organization_name"),
    "organization_name": ("organization", "new_organization_name"),
    "name": ("name",),
    "description": ("description",),
    "support_types": ("support_types",),
    "is_no_referral_needed": ("is_no_referral_needed",),
    "is_free": ("cost",),
    "cost_description": ("cost", "cost_description"),
    "is_place_to_talk": ("is_place_to_talk",),
    "place_to_talk_training": ("is_place_to_talk", "place_to_talk_training"),
    "url": ("url",),
    "email": ("email",),
    "phone": ("phone",),
    "location_name": ("location_name", "address_1"),
    "address_1": ("address_1",),
    "address_2": ("address_2", "address_1"),
    "city": ("city", "address_1"),
    "postcode": ("postcode", "address_1"),
    "latitude": ("latitude", "longitude", "postcode", "address_1"),
    "longitude": ("latitude", "longitude", "postcode", "address_1"),
    "has_step_free_access": ("has_step_free_access", "address_1"),
    "opening_times": (),  # every session field; see _sources
    "languages": ("languages",),
}
# Fields whose published value is accepted as it is when sent back unchanged, even if it would
# not pass today's checks (an imported phone number with words in it, a long description):
# an editor fixing one thing is not made to change another.
_ACCEPTED_UNCHANGED = (
    "name",
    "description",
    "url",
    "email",
    "phone",
    "languages",
    "new_organization_name",
    "cost_description",
    "place_to_talk_training",
    *_LOCATION_FIELDS,
    "latitude",
    "longitude",
)


def _comparable(value: Any) -> Any:
    """A form value as sent or shown, folded so that only real edits differ."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not value:  # None, "", False and no choices all mean "nothing"
        return ""
    if value is True:
        return True
    if isinstance(value, list | tuple):
        return tuple(sorted(str(item) for item in value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _text(
    label: str,
    *,
    max_length: int,
    required: bool = False,
    required_message: str = "",
    textarea: bool = False,
) -> forms.CharField:
    """A text field whose errors say what to do, in the NHS.UK style."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={
            "required": required_message or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


class ListingForm(forms.Form):
    """Everything a listing needs, on one page for staff; produces `ListingData`.

    Given `listing` (the published listing, or the change being revised), the form starts from
    it, and every part the editor sends back unchanged keeps the listing's value exactly.
    """

    organization = forms.ChoiceField(
        label="Organisation",
        required=False,
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    new_organization_name = _text("New organisation name", max_length=255)
    name = _text(
        "Service name",
        max_length=255,
        required=True,
        required_message="Enter the name of the service",
    )
    description = _text(
        "Description",
        max_length=5000,
        required=True,
        required_message="Enter a description of the service",
        textarea=True,
    )
    support_types = forms.MultipleChoiceField(
        label="Types of support",
        choices=[(st.code, st.label) for st in support_types()],
        error_messages={
            "required": "Select at least one type of support",
            "invalid_choice": "Select types of support from the list",
        },
    )
    is_no_referral_needed = forms.BooleanField(label="No referral needed", required=False)
    cost = forms.ChoiceField(
        label="Is it free?",
        choices=[("free", "Free"), ("cost", "There is a cost")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the service is free or there is a cost"},
    )
    cost_description = _text(
        "Cost",
        max_length=500,
        required_message="Enter what it costs, like £3 a session, pay what you can",
    )
    is_place_to_talk = forms.BooleanField(label="This is a place to talk", required=False)
    place_to_talk_training = _text(
        "Host's training",
        max_length=255,
        required_message="Enter the host's training, like Mental Health First Aid (2026)",
    )
    url = forms.URLField(
        label="Website",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://www.example.com",
            "max_length": "Website must be 500 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    phone = _text("Phone number", max_length=50)
    location_name = _text("Name of the place", max_length=255)
    address_1 = _text(
        "Address line 1",
        max_length=255,
        required_message="Enter the first line of the address",
    )
    address_2 = _text("Address line 2", max_length=255)
    city = _text("Town or city", max_length=255, required_message="Enter the town or city")
    postcode = _text("Postcode", max_length=20, required_message=POSTCODE_REQUIRED)
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={
            "invalid": "Enter the latitude as a number, like 51.4652",
            "min_value": "Latitude must be between -90 and 90",
            "max_value": "Latitude must be between -90 and 90",
        },
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={
            "invalid": "Enter the longitude as a number, like -0.1150",
            "min_value": "Longitude must be between -180 and 180",
            "max_value": "Longitude must be between -180 and 180",
        },
    )
    has_step_free_access = forms.BooleanField(label="Step-free access", required=False)
    languages = _text("Languages", max_length=500)

    def __init__(
        self,
        data: Any = None,
        *,
        listing: ListingData | None = None,
        initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.listing = listing
        if initial is None and listing is not None:
            initial = self.initial_from_listing(listing)
        super().__init__(data, initial=initial, **kwargs)
        self.fields["organization"].choices = [("", "Choose an organisation")] + [  # type: ignore[attr-defined]
            (str(org.id), org.name) for org in organizations_for_choice()
        ]
        shown = len(opening_sessions(listing)) if listing is not None else 0
        self.session_rows = sessions.row_count(data, shown)
        sessions.add_fields(self.fields, self.session_rows)
        self.initial.setdefault("session_rows", self.session_rows)
        self._unchanged_parts: set[str] | None = None

    # Derived lists for templates: the session rows.
    def session_fields(self) -> list[dict[str, forms.BoundField]]:
        return [
            {part: self[sessions.name(row, part)] for part in sessions.FIELDS}
            for row in range(self.session_rows)
        ]

    @staticmethod
    def initial_from_listing(data: ListingData) -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: value
            for key, value in data.items()
            if key not in {"organization_id", "organization_name", "opening_times", "languages"}
        }
        initial["organization"] = data["organization_id"]
        initial["new_organization_name"] = (
            "" if data["organization_id"] else data["organization_name"]
        )
        initial["cost"] = "free" if data["is_free"] else "cost"
        initial["languages"] = ", ".join(data["languages"])
        initial |= sessions.initial(opening_sessions(data))
        return initial

    # What the editor left alone -----------------------------------------------------------

    def _sources(self, part: str) -> tuple[str, ...]:
        if part == "opening_times":
            return tuple(n for n in self.fields if sessions.is_session_field(n))
        return _SOURCES[part]

    def _is_field_unchanged(self, name: str) -> bool:
        field = self.fields[name]
        shown = self.initial.get(name, field.initial)
        return _comparable(self[name].data) == _comparable(shown)

    def unchanged_parts(self) -> set[str]:
        """The parts of the listing whose fields came back as the page showed them."""
        if self.listing is None or not self.is_bound:
            return set()
        if self._unchanged_parts is None:
            self._unchanged_parts = {
                part
                for part in _SOURCES
                if all(self._is_field_unchanged(name) for name in self._sources(part))
            }
        return self._unchanged_parts

    def _is_unchanged(self, *parts: str) -> bool:
        return all(part in self.unchanged_parts() for part in parts)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._accept_unchanged_values()
        self._clean_organization(cleaned)
        self._clean_cost_and_place(cleaned)
        if not self._is_unchanged("phone"):
            self._clean_phone(cleaned)
        if not self._is_unchanged(*_LOCATION_PARTS):
            self._clean_location(cleaned)
        if self._is_unchanged("opening_times"):
            cleaned["opening_times"] = opening_sessions(self.listing) if self.listing else []
        else:
            self._clean_opening_times(cleaned)
        if self._is_unchanged("languages") and self.listing is not None:
            cleaned["language_list"] = list(self.listing["languages"])
        else:
            self._clean_languages(cleaned)
        return cleaned

    def _accept_unchanged_values(self) -> None:
        """Drop the errors of fields sent back unchanged whose published value is not empty."""
        if self.listing is None:
            return
        for name in _ACCEPTED_UNCHANGED:
            if name not in self.errors or not self._is_field_unchanged(name):
                continue
            if _comparable(self.initial.get(name)) != "":
                del self.errors[name]

    def _clean_organization(self, cleaned: dict[str, Any]) -> None:
        chosen = cleaned.get("organization")
        new_name = (cleaned.get("new_organization_name") or "").strip()
        if "organization" in self.errors or "new_organization_name" in self.errors:
            return
        if chosen and new_name:
            self.add_error(
                "new_organization_name",
                "Choose an organisation or enter the name of a new one, not both",
            )
        elif not chosen and not new_name:
            self.add_error("organization", "Choose an organisation or enter the name of a new one")

    def _clean_cost_and_place(self, cleaned: dict[str, Any]) -> None:
        needs_cost = cleaned.get("cost") == "cost"
        if needs_cost and not (cleaned.get("cost_description") or "").strip():
            self._add_error_once(
                "cost_description", "Enter what it costs, like £3 a session, pay what you can"
            )
        is_place = bool(cleaned.get("is_place_to_talk"))
        if is_place and not (cleaned.get("place_to_talk_training") or "").strip():
            self._add_error_once(
                "place_to_talk_training",
                "Enter the host's training, like Mental Health First Aid (2026)",
            )

    def _add_error_once(self, name: str, message: str) -> None:
        if name not in self.errors:
            self.add_error(name, message)

    def _clean_phone(self, cleaned: dict[str, Any]) -> None:
        phone = (cleaned.get("phone") or "").strip()
        if phone and not _PHONE.match(phone):
            self.add_error("phone", "Enter a phone number, like 020 7946 0000 or 07700 900 982")

    def _clean_location(self, cleaned: dict[str, Any]) -> None:
        fields = ["location_name", "address_1", "address_2", "city", "postcode"]
        if any(name in self.errors for name in [*fields, "latitude", "longitude"]):
            return
        if not any((cleaned.get(name) or "").strip() for name in fields):
            if cleaned.get("latitude") is not None or cleaned.get("longitude") is not None:
                self.add_error("address_1", "Enter the first line of the address")
            return
        if not cleaned.get("address_1", "").strip():
            self.add_error("address_1", "Enter the first line of the address")
        if not cleaned.get("city", "").strip():
            self.add_error("city", "Enter the town or city")
        raw_postcode = cleaned.get("postcode", "").strip()
        if not raw_postcode:
            self.add_error("postcode", POSTCODE_REQUIRED)
            return
        try:
            postcode = normalise_postcode(raw_postcode)
        except ValidationFailed:
            self.add_error("postcode", POSTCODE_INVALID)
            return
        if " " not in postcode:
            self.add_error("postcode", "Enter the full postcode, like SW9 8EJ")
            return
        cleaned["postcode"] = postcode
        self._clean_coordinates(cleaned, postcode)

    def _clean_coordinates(self, cleaned: dict[str, Any], postcode: str) -> None:
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            example = "-0.1150" if missing == "longitude" else "51.4652"
            self.add_error(missing, f"Enter the {missing} as well, like {example}")
            return
        # Coordinates left as they were while the postcode changed belong to the old place.
        shown_postcode = str(self.initial.get("postcode") or postcode)
        postcode_changed = postcode.replace(" ", "") != shown_postcode.replace(" ", "").upper()
        coordinates_kept = latitude == self.initial.get(
            "latitude"
        ) and longitude == self.initial.get("longitude")
        if latitude is None or (postcode_changed and coordinates_kept):
            found = postcode_location(postcode)
            if found is None:
                self.add_error(
                    "postcode",
                    f"We do not know where {postcode} is. Enter its latitude and longitude",
                )
                return
            cleaned["latitude"], cleaned["longitude"] = found

    def _clean_opening_times(self, cleaned: dict[str, Any]) -> None:
        known_ids = {s["id"] for s in opening_sessions(self.listing)} if self.listing else set()
        cleaned["opening_times"] = sessions.clean(self, cleaned, self.session_rows, known_ids)

    def _clean_languages(self, cleaned: dict[str, Any]) -> None:
        names: list[str] = []
        for part in re.split(r"[,\n;]", cleaned.get("languages") or ""):
            name = part.strip()
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name[:1].upper() + name[1:])
        if len(names) > MAX_LANGUAGES:
            self.add_error("languages", f"Enter {MAX_LANGUAGES} languages or fewer")
        elif any(len(name) > 100 for name in names):
            self.add_error("languages", "Each language must be 100 characters or fewer")
        cleaned["language_list"] = names

    def listing_data(self) -> ListingData:
        """The cleaned form as the listing data a ListingChange stores (call after is_valid)."""
        c = self.cleaned_data

        def typed(name: str) -> str:
            return str(c.get(name) or "").strip()

        has_location = bool(typed("address_1"))
        organization_id = c.get("organization") or ""
        organization_name = typed("new_organization_name")
        if organization_id:
            organization_name = dict(self.fields["organization"].choices).get(  # type: ignore[attr-defined]
                organization_id, ""
            )
        is_free = c.get("cost") == "free"
        is_place = bool(c.get("is_place_to_talk"))
        data: ListingData = {
            "organization_id": organization_id,
            "organization_name": organization_name,
            "name": typed("name"),
            "description": typed("description").replace("\r\n", "\n").replace("\r", "\n"),
            "support_types": [
                st.code for st in support_types() if st.code in c.get("support_types", [])
            ],
            "is_no_referral_needed": bool(c.get("is_no_referral_needed")),
            "is_free": is_free,
            "cost_description": "" if is_free else typed("cost_description"),
            "is_place_to_talk": is_place,
            "place_to_talk_training": typed("place_to_talk_training") if is_place else "",
            "url": c.get("url") or "",
            "email": c.get("email") or "",
            "phone": typed("phone"),
            "location_name": typed("location_name") if has_location else "",
            "address_1": typed("address_1"),
            "address_2": typed("address_2") if has_location else "",
            "city": typed("city") if has_location else "",
            "postcode": (c.get("postcode") or "") if has_location else "",
            "latitude": c.get("latitude") if has_location else None,
            "longitude": c.get("longitude") if has_location else None,
            "has_step_free_access": bool(c.get("has_step_free_access")) and has_location,
            "opening_times": c.get("opening_times", []),
            "languages": c.get("language_list", []),
        }
        if self.listing is not None:
            for part in self.unchanged_parts():
                data[part] = self.listing[part]  # type: ignore[literal-required]
        return data


class ReviewNoteForm(forms.Form):
    note = _text(
        "What needs to change",
        max_length=2000,
        required=True,
        required_message="Enter what needs to change",
        textarea=True,
    )


class ReportResolveForm(forms.Form):
    note = _text(
        "What you did",
        max_length=2000,
        required=True,
        required_message="Enter what you did about this report",
        textarea=True,
    )
