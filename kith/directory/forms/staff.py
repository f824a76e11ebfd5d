"""Staff forms: the listing editor, review notes and report resolutions. They validate; no writes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from kith.core.errors import ValidationFailed
from kith.directory.geo import normalise_postcode, postcode_location
from kith.directory.selectors.curation import DAYS, ListingData, organizations_for_choice
from kith.directory.taxonomy import support_types

POSTCODE_REQUIRED = "Enter a postcode, like SW9 8EJ"
POSTCODE_INVALID = "Enter a real postcode, like SW9 8EJ"
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
MAX_LANGUAGES = 20


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


def parse_time(raw: str) -> dt.time | None:
    """'9am', '9:30am', '17:30', '5.30pm', 'midday' → a time; None when it is not a time."""
    value = raw.strip().lower().replace(" ", "")
    if value in {"midday", "noon", "12noon"}:
        return dt.time(12, 0)
    if value == "midnight":
        return dt.time(0, 0)
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _day_field(code: str) -> str:
    return code.lower()


class ListingForm(forms.Form):
    """Everything a listing needs, on one page for staff; produces `ListingData`."""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "Choose an organisation")] + [  # type: ignore[attr-defined]
            (str(org.id), org.name) for org in organizations_for_choice()
        ]
        for code, day in DAYS:
            for edge, word in (("opens", "Opens"), ("closes", "Closes")):
                self.fields[f"{_day_field(code)}_{edge}"] = forms.CharField(
                    label=f"{day}: {word.lower()}",
                    required=False,
                    max_length=10,
                    error_messages={
                        "max_length": f"Enter the {day} {'opening' if edge == 'opens' else 'closing'} time, like 9am or 17:30"
                    },
                )

    # Derived lists for templates: the day grid and field groups.
    def day_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (day, self[f"{_day_field(code)}_opens"], self[f"{_day_field(code)}_closes"])
            for code, day in DAYS
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
        for code, hours in data["opening_times"].items():
            initial[f"{_day_field(code)}_opens"] = hours["opens"]
            initial[f"{_day_field(code)}_closes"] = hours["closes"]
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_organization(cleaned)
        self._clean_cost_and_place(cleaned)
        self._clean_phone(cleaned)
        self._clean_location(cleaned)
        self._clean_opening_times(cleaned)
        self._clean_languages(cleaned)
        return cleaned

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
        postcode_changed = postcode != self.initial.get("postcode", postcode)
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
        opening: dict[str, dict[str, str]] = {}
        for code, day in DAYS:
            opens_name, closes_name = f"{_day_field(code)}_opens", f"{_day_field(code)}_closes"
            if opens_name in self.errors or closes_name in self.errors:
                continue
            raw_opens = (cleaned.get(opens_name) or "").strip()
            raw_closes = (cleaned.get(closes_name) or "").strip()
            if not raw_opens and not raw_closes:
                continue
            opens = parse_time(raw_opens) if raw_opens else None
            closes = parse_time(raw_closes) if raw_closes else None
            if not raw_opens:
                self.add_error(opens_name, f"Enter the {day} opening time, like 9am or 17:30")
            elif opens is None:
                self.add_error(
                    opens_name, f"Enter the {day} opening time as a time, like 9am or 17:30"
                )
            if not raw_closes:
                self.add_error(closes_name, f"Enter the {day} closing time, like 5pm or 17:30")
            elif closes is None:
                self.add_error(
                    closes_name, f"Enter the {day} closing time as a time, like 5pm or 17:30"
                )
            if opens is None or closes is None:
                continue
            if closes <= opens:
                self.add_error(
                    closes_name, f"The {day} closing time must be after the opening time"
                )
                continue
            opening[code] = {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
        cleaned["opening_times"] = opening

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
        has_location = bool(c["address_1"].strip())
        organization_id = c["organization"] or ""
        organization_name = c["new_organization_name"].strip()
        if organization_id:
            organization_name = dict(self.fields["organization"].choices).get(  # type: ignore[attr-defined]
                organization_id, ""
            )
        is_free = c["cost"] == "free"
        return {
            "organization_id": organization_id,
            "organization_name": organization_name,
            "name": c["name"].strip(),
            "description": c["description"].strip(),
            "support_types": [st.code for st in support_types() if st.code in c["support_types"]],
            "is_no_referral_needed": c["is_no_referral_needed"],
            "is_free": is_free,
            "cost_description": "" if is_free else c["cost_description"].strip(),
            "is_place_to_talk": c["is_place_to_talk"],
            "place_to_talk_training": c["place_to_talk_training"].strip()
            if c["is_place_to_talk"]
            else "",
            "url": c["url"],
            "email": c["email"],
            "phone": c["phone"].strip(),
            "location_name": c["location_name"].strip() if has_location else "",
            "address_1": c["address_1"].strip(),
            "address_2": c["address_2"].strip() if has_location else "",
            "city": c["city"].strip() if has_location else "",
            "postcode": c["postcode"] if has_location else "",
            "latitude": c["latitude"] if has_location else None,
            "longitude": c["longitude"] if has_location else None,
            "has_step_free_access": c["has_step_free_access"] if has_location else False,
            "opening_times": c["opening_times"],
            "languages": c["language_list"],
        }


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
