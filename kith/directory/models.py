"""The directory of support, after the HSDS 3 / Open Referral UK 3 data model.

Table and field names follow HSDS 3 so that the ORUK API is a straight mapping. Kith adds what
the standard lacks: "no referral needed", "place to talk" with the host's training, whether a
service is free, step-free access, closed dates and a search index. Support types are HSDS
attributes pointing at terms of the taxonomy "Kith support types" (see `taxonomy.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kith.core.models import BaseModel


class Taxonomy(BaseModel):
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(BaseModel):
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.CASCADE, related_name="terms", null=True, blank=True
    )
    code = models.CharField(max_length=255, blank=True, help_text="HSDS `code`; ORUK `term`.")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    language = models.CharField(max_length=20, blank=True)
    term_uri = models.URLField(max_length=500, blank=True)
    # Free-text taxonomy name for terms that arrive without a taxonomy record (HSDS `taxonomy`).
    taxonomy_name = models.CharField(max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], condition=~Q(code=""), name="taxonomy_term_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organization(BaseModel):
    name = models.CharField(max_length=255)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    tax_status = models.CharField(max_length=255, blank=True)
    tax_id = models.CharField(max_length=255, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=255, blank=True)
    logo = models.URLField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta(BaseModel.Meta):
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(BaseModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=255, blank=True)
    identifier_type = models.CharField(max_length=255)
    identifier = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"{self.identifier_type}: {self.identifier}"


class Service(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    # Optional as in ORUK 3.0: list-form feeds often leave it out (see oruk/importer.py).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="services",
        null=True,
        blank=True,
    )
    name = models.CharField(max_length=255)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    fees_description = models.TextField(blank=True, help_text="ORUK `fees`.")
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the listing was last checked."
    )
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)

    # Kith additions to HSDS.
    is_no_referral_needed = models.BooleanField(default=False)
    is_free = models.BooleanField(
        default=False, help_text="Free to use; kept in step with cost options."
    )
    is_place_to_talk = models.BooleanField(
        default=False,
        help_text="An everyday space that is mental-health informed and offers a compassionate conversation.",
    )
    place_to_talk_training = models.CharField(
        max_length=255,
        blank=True,
        help_text="The host's training, e.g. 'Mental Health First Aid (2026)'.",
    )
    place_to_talk_trained_on = models.DateField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["assured_date"]),
            models.Index(fields=["last_modified"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(BaseModel):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="locations"
    )
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = models.URLField(max_length=500, blank=True)
    name = models.CharField(max_length=255, blank=True)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=255, blank=True)
    external_identifier_type = models.CharField(max_length=255, blank=True)
    # Kith addition: level or ramped access from the street to where support happens.
    has_step_free_access = models.BooleanField(default=False)

    class Meta(BaseModel.Meta):
        indexes = [models.Index(fields=["latitude", "longitude"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class ServiceAtLocation(BaseModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Address(BaseModel):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(max_length=255)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=255)
    region = models.CharField(max_length=255, blank=True)
    state_province = models.CharField(max_length=255, blank=True)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(
        max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code}"


class Contact(BaseModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    department = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(BaseModel):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(max_length=50)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(
        max_length=20, blank=True, help_text="text, voice, fax, cell, video, pager, textphone"
    )
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.number


class Schedule(BaseModel):
    """An HSDS 3 schedule: an iCalendar-style rule (weekly or monthly) with opening hours."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(
        null=True, blank=True, help_text="HSDS: UTC offset; Kith reads schedules in KITH_TIME_ZONE."
    )
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=7, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True, help_text="e.g. 'MO,WE' or '1TU,-1FR'")
    byweekno = models.CharField(max_length=100, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    byyearday = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday} {self.opens_at}-{self.closes_at}"


class ClosedDate(BaseModel):
    """A day a service is closed though its schedule says open (bank holiday, training day).

    HSDS 3 has no table for this; the ORUK API publishes each as a one-day schedule with no hours.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="closed_dates"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closed_dates",
    )
    date = models.DateField()
    reason = models.CharField(max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"Closed {self.date}"


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="GBP")
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Funding(BaseModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="funding"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="funding"
    )
    source = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.source


class Language(BaseModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=20, blank=True, help_text="ISO 639 code, e.g. 'pt' or 'so'.")
    note = models.TextField(blank=True)

    class Meta(BaseModel.Meta):
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return self.name or self.code


class Accessibility(BaseModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:50]


class ServiceArea(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name


class Attribute(BaseModel):
    """HSDS 3 attribute: a taxonomy term linked to any entity (`link_entity` + `link_id`)."""

    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    link_id = models.UUIDField()
    link_type = models.CharField(max_length=255, blank=True)
    link_entity = models.CharField(
        max_length=50, help_text="The table the link_id points into, e.g. 'service'."
    )
    value = models.TextField(blank=True)
    label = models.CharField(max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        indexes = [
            models.Index(fields=["link_entity", "link_id"]),
            models.Index(fields=["taxonomy_term", "link_entity"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy_term", "link_entity", "link_id"],
                name="attribute_term_link_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} → {self.taxonomy_term_id}"


class Postcode(models.Model):
    """A postcode or postcode district (outward code) and its centre, for search near a postcode.

    Full postcodes come from the ONS Postcode Directory (`kith import-postcodes`); districts let a
    search by "SW9" or by an unknown full postcode still find what is near.
    """

    code = models.CharField(
        max_length=8, primary_key=True, help_text="Upper case, no spaces: 'SW98EJ' or 'SW9'."
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    is_district = models.BooleanField(default=False)
    local_authority = models.CharField(
        max_length=9, blank=True, help_text="ONS local authority code, e.g. E09000022."
    )

    def __str__(self) -> str:
        return self.code


class ListingReport(BaseModel):
    """ "Report something wrong": a structured reason from the public, for the staff queue."""

    class Reason(models.TextChoices):
        CLOSED = "closed", "It has closed or stopped running"
        TIMES = "times", "Opening times are wrong"
        CONTACT = "contact", "Phone number, email or website is wrong"
        ADDRESS = "address", "Address or map location is wrong"
        DESCRIPTION = "description", "Description is wrong or out of date"
        ACCESS = "access", "Access information is wrong"
        COST = "cost", "Cost is wrong"
        UNSAFE = "unsafe", "I am worried this service is unsafe"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta(BaseModel.Meta):
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.status})"


class ListingChange(BaseModel):
    """An editor's proposed new listing or edit, published only after a second editor reviews it."""

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", "Awaiting review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn by editor"

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    data = models.JSONField(help_text="The proposed listing, as the editor form's cleaned values.")
    base = models.JSONField(
        null=True,
        blank=True,
        help_text="For an edit, the listing as it was when proposed: publishing applies only "
        "what the editor changed from it, so edits published meanwhile stay.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_REVIEW)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta(BaseModel.Meta):
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.data.get('name', 'Listing')} ({self.status})"


# Search index
#
# Derived data, rebuilt by `kith.directory.services.indexing.services_reindex`; never edited by
# hand. See `kith/directory/search/__init__.py` for the design and docs/benchmarks.md for its
# figures.


class SearchEntry(models.Model):
    """One row per active service at each of its locations (one row with no location when a
    service has none): everything the search filters on, in one place, with indexes."""

    id = models.BigAutoField(primary_key=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, related_name="+")
    organization_id = models.UUIDField(null=True)
    sort_name = models.CharField(max_length=255)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    # floor(latitude * 100): 1.1 km bands, so "near" is a few tight index range scans.
    lat_band = models.IntegerField(null=True)
    is_free = models.BooleanField(default=False)
    is_no_referral_needed = models.BooleanField(default=False)
    has_step_free_access = models.BooleanField(default=False)
    support_types = models.CharField(max_length=1000, blank=True)  # "debt-money benefits"
    # "weekday:opens-closes" slots separated by spaces, for ranking by "open soon".
    opening_slots = models.TextField(blank=True)
    # Monthly, fortnightly or counted rules, or closed dates: check open-at exactly in Python.
    has_inexact_opening = models.BooleanField(default=False)
    # Whose schedules apply ("a" the service at location's, "s" the service's, "l" the
    # location's, "" none) and whether closed dates exist, so a page of hits loads only
    # what it needs.
    schedule_owner = models.CharField(max_length=1, blank=True, default="")
    has_closed_dates = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["lat_band", "longitude"], name="search_entry_near"),
            models.Index(fields=["sort_name"], name="search_entry_name"),
            models.Index(fields=["service"], name="search_entry_service"),
            models.Index(fields=["organization_id"], name="search_entry_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.sort_name} ({self.location_id})"


class SearchTerm(models.Model):
    """The inverted index: a stemmed word, support type (`~code`) or language (`@pt`) a
    service carries, with the weight of the field it came from."""

    id = models.BigAutoField(primary_key=True)
    term = models.CharField(max_length=64)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    weight = models.SmallIntegerField()

    class Meta:
        indexes = [
            # Best weights first: a frequent word reads only its best rows (see engine).
            models.Index(fields=["term", "weight", "service"], name="search_term_rank"),
            models.Index(fields=["service"], name="search_term_service"),
        ]

    def __str__(self) -> str:
        return self.term


class SearchOpeningSlot(models.Model):
    """A weekday span a service-at-location may be open, so "open at" is an indexed filter."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="slots")
    weekday = models.SmallIntegerField()  # 0 Monday
    opens_minute = models.SmallIntegerField()
    closes_minute = models.SmallIntegerField()  # 1440: midnight
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["entry", "weekday"], name="search_slot_entry")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens_minute}-{self.closes_minute}"


class SearchVocabulary(models.Model):
    """Every stem in the index, how many services carry it, and words seen for it (typo fixes)."""

    term = models.CharField(max_length=64, primary_key=True)
    document_count = models.IntegerField()
    words = models.TextField(blank=True)  # space-separated surface forms

    def __str__(self) -> str:
        return self.term


class ServiceEmbedding(models.Model):
    """A service's meaning as a vector (its name, description and support types through the
    static embedding model in kith/directory/embedding/), for dense search. Written by the
    background task `services_embed_task` after each re-index; `model` names the model that
    made it, so a new model re-embeds instead of mixing vectors."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    model = models.CharField(max_length=64)
    vector = models.BinaryField()  # float16, little-endian, length 1
    text_hash = models.CharField(max_length=64)  # sha256 of the text embedded
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.service_id} ({self.model})"
