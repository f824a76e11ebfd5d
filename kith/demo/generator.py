"""A deterministic generator for the fictional demo locality, laid on the real streets of Lambeth.

Everything comes from one seeded random generator drawn in a fixed order, and every id is a
UUID5 in the demo namespace, so the same seed and the same `today` give identical rows. Dates
(when a listing was checked, courses, closed days) are counted back or forward from `today` so
that the mix of fresh and stale listings holds whenever the demo is loaded.

The generator only builds unsaved model instances; `kith.demo.services.demo_load` saves them.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from kith.demo import content
from kith.demo.content import Offer, OrgKind
from kith.demo.geography import (
    LAMBETH_LOCAL_AUTHORITY,
    NEIGHBOURHOODS,
    Neighbourhood,
    Street,
    is_in_lambeth,
    postcode_districts,
)
from kith.directory.models import (
    Accessibility,
    Address,
    Attribute,
    ClosedDate,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
)
from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_type_term_id, support_types

DEFAULT_SEED = 2026
DEMO_NAMESPACE = uuid.UUID("0f4e6c1a-9b7d-5e2f-8a3c-4d5e6f708192")
DEMO_IDENTIFIER_SCHEME = "kith-demo"
ASSURER_EMAIL = "listings@kith.example.com"
MIN_PER_SUPPORT_TYPE = 6
MIN_SERVICES = 420
MIN_LOCATIONS = 320
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in inward codes
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAYS = DAY_CODES[:5]
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
METRES_PER_DEGREE_LAT = 111_320.0
METRES_PER_DEGREE_LON = 69_400.0  # at 51.45° N


@dataclass
class DemoLocality:
    organizations: list[Organization] = field(default_factory=list)
    identifiers: list[OrganizationIdentifier] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    accessibility: list[Accessibility] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    service_at_locations: list[ServiceAtLocation] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    closed_dates: list[ClosedDate] = field(default_factory=list)
    cost_options: list[CostOption] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    postcodes: list[Postcode] = field(default_factory=list)


@dataclass
class _Org:
    organization: Organization
    kind: OrgKind
    hood: Neighbourhood
    slug: str
    locations: list[Location] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    offers_used: list[Offer] = field(default_factory=list)


def generate_locality(*, today: dt.date, seed: int = DEFAULT_SEED) -> DemoLocality:
    return _Generator(seed=seed, today=today).run()


def demo_uuid(entity: str, number: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{entity}:{number}")


def format_time(value: dt.time) -> str:
    """NHS style: 9am, 9:30am, midday, 6:30pm."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 23 and value.minute == 59:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


class _Generator:
    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.out = DemoLocality()
        self.counters: Counter[str] = Counter()
        self.org_names: set[str] = set()
        self.landlines = self._number_pool("020 7946 0{:03d}")
        self.mobiles = self._number_pool("07700 900{:03d}")
        self.street_points: dict[tuple[str, str], tuple[float, float, str]] = {}
        self.used_postcodes: dict[str, tuple[float, float]] = {}
        self.orgs: list[_Org] = []

    # -- plumbing ------------------------------------------------------------------------------

    def _id(self, entity: str) -> uuid.UUID:
        self.counters[entity] += 1
        return demo_uuid(entity, self.counters[entity])

    def _number_pool(self, pattern: str) -> list[str]:
        numbers = [pattern.format(n) for n in range(1000)]
        self.rng.shuffle(numbers)
        return numbers

    def _fill(
        self, pattern: str, org: _Org | None = None, hood: Neighbourhood | None = None
    ) -> str:
        hood = hood or (org.hood if org else self.rng.choice(NEIGHBOURHOODS))
        values = {
            "hood": hood.name,
            "street": self.rng.choice(hood.streets).name,
            "park": self.rng.choice(content.PARKS),
            "word": self.rng.choice(content.WORDS),
            "day": self.rng.choice(content.DAYS[:5]),
            "name": self.rng.choice(content.FIRST_NAMES),
            "saint": self.rng.choice(content.SAINTS),
            "prefix": self.rng.choice(content.HOST_PREFIXES),
            "org": org.organization.name if org else "",
        }
        return pattern.format(**values)

    # -- geography -----------------------------------------------------------------------------

    def _street_point(self, hood: Neighbourhood, street: Street) -> tuple[float, float, str]:
        key = (hood.name, street.name)
        if key not in self.street_points:
            lat, lon = hood.latitude, hood.longitude
            for _ in range(50):
                d_north = self.rng.uniform(-hood.spread_m, hood.spread_m)
                d_east = self.rng.uniform(-hood.spread_m, hood.spread_m)
                candidate = (
                    hood.latitude + d_north / METRES_PER_DEGREE_LAT,
                    hood.longitude + d_east / METRES_PER_DEGREE_LON,
                )
                if is_in_lambeth(*candidate):
                    lat, lon = candidate
                    break
            postcode = self._new_postcode(street.sector)
            self.street_points[key] = (round(lat, 6), round(lon, 6), postcode)
            self.used_postcodes[postcode] = (round(lat, 6), round(lon, 6))
        return self.street_points[key]

    def _new_postcode(self, sector: str) -> str:
        while True:
            code = f"{sector}{self.rng.choice(INWARD_LETTERS)}{self.rng.choice(INWARD_LETTERS)}"
            if code not in self.used_postcodes:
                return code

    def _place(self, hood: Neighbourhood) -> tuple[Street, float, float, str]:
        street = self.rng.choice(hood.streets)
        lat, lon, postcode = self._street_point(hood, street)
        for _ in range(20):
            candidate = (
                lat + self.rng.uniform(-60, 60) / METRES_PER_DEGREE_LAT,
                lon + self.rng.uniform(-60, 60) / METRES_PER_DEGREE_LON,
            )
            if is_in_lambeth(*candidate):
                return street, round(candidate[0], 6), round(candidate[1], 6), postcode
        return street, lat, lon, postcode

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> DemoLocality:
        for kind in content.ORG_KINDS:
            for _ in range(kind.count):
                self._organization(kind)
        for org in self.orgs:
            self._locations(org, self.rng.randint(*self._location_range(org.kind)))
            count = min(self.rng.randint(*org.kind.services), len(org.kind.offers))
            for offer in self.rng.sample(list(org.kind.offers), count):
                self._service(org, offer)
        self._top_up()
        for org in self.orgs:
            self._link_locations(org)
        self._postcodes()
        return self.out

    def _location_range(self, kind: OrgKind) -> tuple[int, int]:
        low, high = kind.locations
        return (low, high + 1) if kind.voice != "host" else (low, high)

    def _top_up(self) -> None:
        """Make sure every support type is well represented and the locality is big enough."""
        for support_type in support_types():
            while self._support_type_count(support_type.code) < MIN_PER_SUPPORT_TYPE:
                candidates = [
                    (org, offer)
                    for org in self.orgs
                    if org.kind.voice != "host"
                    for offer in org.kind.offers
                    if support_type.code in offer.support_types
                ]
                org, offer = self.rng.choice(candidates)
                self._service(org, offer)
        non_hosts = [org for org in self.orgs if org.kind.voice != "host"]
        while len(self.out.services) < MIN_SERVICES:
            org = self.rng.choice(non_hosts)
            self._service(org, self.rng.choice(org.kind.offers))
        while len(self.out.locations) < MIN_LOCATIONS:
            self._locations(self.rng.choice(non_hosts), 1)

    def _support_type_count(self, code: str) -> int:
        return sum(
            1 for a in self.out.attributes if a.taxonomy_term_id == support_type_term_id(code)
        )

    # -- organisations -------------------------------------------------------------------------

    def _organization(self, kind: OrgKind) -> None:
        hood = self.rng.choice(NEIGHBOURHOODS)
        name = ""
        for attempt in range(40):
            pattern = self.rng.choice(kind.names)
            if kind.key == "nhs":
                pattern = kind.names[len([o for o in self.orgs if o.kind.key == "nhs"])]
            name = self._fill(pattern, hood=hood)
            if name not in self.org_names:
                break
            if attempt > 20:
                hood = self.rng.choice(NEIGHBOURHOODS)
        self.org_names.add(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("(fictional)", "")).strip("-")
        org_id = self._id("organization")
        year = self.rng.randint(1978, 2024)
        legal_status = {
            "host": "Independent business",
            "nhs": "NHS body (fictional)",
            "charity": "Registered charity (fictional)",
        }.get(kind.voice, self.rng.choice(["Community group", "Community interest company"]))
        about = " ".join(self._fill(line, hood=hood) for line in kind.about)
        if kind.voice in {"group", "charity"} and self.rng.random() < 0.6:
            about += f" We've been going since {year}."
        domain = "example.com" if kind.voice in {"nhs", "host"} else "example.org"
        organization = Organization(
            id=org_id,
            name=name,
            description=about,
            email=f"hello@{slug}.{domain}",
            website=f"https://{slug}.{domain}/",
            legal_status=legal_status,
            year_incorporated=year if kind.voice != "host" else None,
        )
        org = _Org(organization=organization, kind=kind, hood=hood, slug=slug)
        self.orgs.append(org)
        self.out.organizations.append(organization)
        self.out.identifiers.append(
            OrganizationIdentifier(
                id=self._id("organization_identifier"),
                organization_id=org_id,
                identifier_scheme=DEMO_IDENTIFIER_SCHEME,
                identifier_type="Fictional demo organisation",
                identifier=f"demo-{self.counters['organization']:04d}",
            )
        )
        self.out.phones.append(
            Phone(
                id=self._id("phone"),
                organization_id=org_id,
                number=self.landlines.pop(),
                type="voice",
            )
        )

    # -- locations -----------------------------------------------------------------------------

    def _locations(self, org: _Org, count: int) -> None:
        for _ in range(count):
            is_main = not org.locations
            hood = (
                org.hood if is_main or self.rng.random() < 0.4 else self.rng.choice(NEIGHBOURHOODS)
            )
            street, lat, lon, postcode = self._place(hood)
            if is_main:
                name = org.organization.name
            else:
                name = self._fill(self.rng.choice(content.VENUES), org, hood)
            has_step_free = self.rng.random() < 0.72
            location = Location(
                id=self._id("location"),
                organization_id=org.organization.id,
                name=name,
                latitude=lat,
                longitude=lon,
                has_step_free_access=has_step_free,
                transportation=self._transport(hood),
            )
            number = self.rng.randint(1, 240)
            self.out.addresses.append(
                Address(
                    id=self._id("address"),
                    location_id=location.id,
                    address_1=f"{number} {street.name}",
                    address_2=hood.name,
                    city="London",
                    region="Lambeth",
                    postal_code=postcode,
                    country="GB",
                )
            )
            access = content.ACCESS_STEP_FREE if has_step_free else content.ACCESS_STEPS
            descriptions = [self.rng.choice(access)] + self.rng.sample(
                content.ACCESS_EXTRAS, self.rng.randint(0, 2)
            )
            for description in descriptions:
                self.out.accessibility.append(
                    Accessibility(
                        id=self._id("accessibility"),
                        location_id=location.id,
                        description=description,
                    )
                )
            org.locations.append(location)
            self.out.locations.append(location)

    def _transport(self, hood: Neighbourhood) -> str:
        bus = self.rng.sample(["2", "3", "35", "36", "45", "59", "109", "118", "133", "159", "196", "322", "333", "345", "415", "432"], 2)  # fmt: skip
        return (
            f"Buses {bus[0]} and {bus[1]} stop nearby. A short walk from the centre of {hood.name}."
        )

    # -- services ------------------------------------------------------------------------------

    def _service(self, org: _Org, offer: Offer) -> None:
        rng = self.rng
        service_id = self._id("service")
        name = self._fill(rng.choice(offer.names), org)
        if any(s.name == name for s in org.services):
            name = f"{name} ({rng.choice(content.DAYS)}s)"
        is_place_to_talk = "talking-space" in offer.support_types
        is_free = offer.cost == "free" or (offer.cost == "either" and rng.random() < 0.4)
        languages = self._languages(org)
        description = self._description(org, offer, is_free=is_free, languages=languages)
        stale = rng.random() < 0.28
        assured = self.today - dt.timedelta(
            days=rng.randint(100, 420) if stale else rng.randint(0, 80)
        )
        trained_on = self.today - dt.timedelta(days=rng.randint(20, 540))
        status = Service.Status.ACTIVE
        alert = ""
        roll = rng.random()
        if roll < 0.01 and not is_place_to_talk:
            status = Service.Status.TEMPORARILY_CLOSED
            alert = "Paused while we look for a new venue. Ring us for the latest."
        elif roll < 0.05:
            venue = self._fill(rng.choice(content.VENUES), org)
            alert = f"For the next few weeks we're meeting at {venue} while our room is repainted."
        prices = [] if is_free else list(offer.prices)
        service = Service(
            id=service_id,
            organization_id=org.organization.id,
            name=name,
            description=description,
            url=f"{org.organization.website}{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}",
            email=org.organization.email if rng.random() < 0.5 else "",
            status=status,
            alert=alert,
            application_process=self._application_process(offer),
            fees_description="Free" if is_free else "; ".join(text for _, text in prices),
            eligibility_description=self._eligibility(offer),
            minimum_age=offer.minimum_age,
            maximum_age=offer.maximum_age,
            assured_date=assured,
            assurer_email=ASSURER_EMAIL,
            last_modified=dt.datetime.combine(assured, dt.time(10, 0), tzinfo=dt.UTC),
            interpretation_services=(
                "Interpreters can be booked for appointments." if offer.needs_referral else ""
            ),
            is_no_referral_needed=not offer.needs_referral,
            is_free=is_free,
            is_place_to_talk=is_place_to_talk,
            place_to_talk_training=(
                f"{rng.choice(content.TRAINING_COURSES)}, {trained_on:%B %Y}"
                if is_place_to_talk
                else ""
            ),
            place_to_talk_trained_on=trained_on if is_place_to_talk else None,
        )
        org.services.append(service)
        org.offers_used.append(offer)
        self.out.services.append(service)
        for code in offer.support_types:
            self.out.attributes.append(
                Attribute(
                    id=self._id("attribute"),
                    taxonomy_term_id=support_type_term_id(code),
                    link_id=service_id,
                    link_entity="service",
                    link_type=SUPPORT_TYPE_LINK_TYPE,
                )
            )
        self._costs(service, is_free=is_free, prices=prices)
        for language_name, code in [("English", "en"), *languages]:
            self.out.languages.append(
                Language(
                    id=self._id("language"), service_id=service_id, name=language_name, code=code
                )
            )
        self._schedules(service, offer)
        self._contact_and_phone(org, service)

    def _languages(self, org: _Org) -> list[tuple[str, str]]:
        rng = self.rng
        if org.kind.voice == "nhs" or rng.random() < 0.45:
            return []
        pool = list(content.LANGUAGES)
        if org.hood.name in {"Stockwell", "Vauxhall", "Oval"}:
            pool = [("Portuguese", "pt")] * 3 + pool
        chosen: list[tuple[str, str]] = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            language = rng.choice(pool)
            if language not in chosen:
                chosen.append(language)
        return chosen

    def _description(
        self, org: _Org, offer: Offer, *, is_free: bool, languages: list[tuple[str, str]]
    ) -> str:
        rng = self.rng
        voice = org.kind.voice
        opening: list[str] = []
        is_drop_in = offer.attending == "in person" and not offer.needs_referral
        openers = content.GROUP_OPENERS + (content.DROP_IN_OPENERS if is_drop_in else ())
        if voice == "group" and rng.random() < 0.7:
            opening.append(rng.choice(openers))
        elif voice == "charity" and rng.random() < 0.6:
            pool = content.CHARITY_OPENERS if rng.random() < 0.6 else openers
            opening.append(rng.choice(pool))
        elif voice == "nhs" and rng.random() < 0.6:
            opening.append(rng.choice(content.NHS_OPENERS))
        count = min(len(offer.lines), rng.choice([2, 2, 3]))
        picked = sorted(rng.sample(range(len(offer.lines)), count))
        body = [offer.lines[i] for i in picked]
        practical: list[str] = []
        if is_drop_in and rng.random() < 0.6:
            practical.append(rng.choice(content.PRACTICAL_DROP_IN))
        if is_free and voice != "nhs" and rng.random() < 0.5:
            practical.append(rng.choice(content.PRACTICAL_FREE))
        elif not is_free and rng.random() < 0.7:
            practical.append(rng.choice(content.PRACTICAL_PAID))
        if languages:
            names = [name for name, _ in languages]
            spoken = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            practical.append(rng.choice(content.LANGUAGE_LINES).replace("{languages}", spoken))
        if voice != "nhs" and rng.random() < 0.6:
            practical.append(rng.choice(content.WELCOMES))
        first = " ".join(self._fill(s, org) for s in opening + body)
        second = " ".join(self._fill(s, org) for s in practical)
        return f"{first}\n\n{second}" if second else first

    def _application_process(self, offer: Offer) -> str:
        if offer.needs_referral:
            return offer.referral_process
        if offer.attending == "appointment":
            return self.rng.choice(
                [
                    "Refer yourself by phone or email and we'll arrange a time.",
                    "Ring or email to book an appointment. You don't need a referral.",
                ]
            )
        if offer.attending == "phone":
            return "Ring us, or ask someone to ring on your behalf with your permission."
        return self.rng.choice(
            ["Just turn up.", "Drop in, no need to book.", "Turn up, or ring first if you'd like."]
        )

    def _eligibility(self, offer: Offer) -> str:
        if offer.minimum_age and offer.maximum_age:
            return f"Ages {offer.minimum_age} to {offer.maximum_age}."
        if offer.minimum_age:
            return f"Aged {offer.minimum_age} or over."
        if offer.needs_referral:
            return "Adults registered with a GP in Lambeth."
        return ""

    def _costs(self, service: Service, *, is_free: bool, prices: list[tuple[str, str]]) -> None:
        if is_free:
            self.out.cost_options.append(
                CostOption(
                    id=self._id("cost_option"),
                    service_id=service.id,
                    option="Free",
                    currency="GBP",
                    amount=Decimal("0.00"),
                    amount_description="Free",
                )
            )
            return
        for amount, text in prices:
            self.out.cost_options.append(
                CostOption(
                    id=self._id("cost_option"),
                    service_id=service.id,
                    option=text,
                    currency="GBP",
                    amount=Decimal(amount),
                    amount_description=text,
                )
            )

    def _contact_and_phone(self, org: _Org, service: Service) -> None:
        rng = self.rng
        if rng.random() < 0.45:
            first = rng.choice(content.FIRST_NAMES)
            self.out.contacts.append(
                Contact(
                    id=self._id("contact"),
                    service_id=service.id,
                    name=f"{first} {rng.choice(content.SURNAMES)}",
                    title=rng.choice(
                        [
                            "Group facilitator",
                            "Volunteer coordinator",
                            "Project worker",
                            "Peer support worker",
                            "Service manager",
                        ]  # fmt: skip
                    ),
                    email=f"{first.lower()}@{org.slug}.example.org",
                )
            )
        if rng.random() < 0.75:
            mobile = org.kind.voice == "group" and rng.random() < 0.6
            self.out.phones.append(
                Phone(
                    id=self._id("phone"),
                    service_id=service.id,
                    number=self.mobiles.pop() if mobile else self.landlines.pop(),
                    type="cell" if mobile else "voice",
                    description="Text or call" if mobile else "",
                )
            )

    # -- schedules -----------------------------------------------------------------------------

    def _schedules(self, service: Service, offer: Offer) -> None:
        rng = self.rng
        style = rng.choice(offer.schedules)
        self._schedule(service, style)
        if style in {"morning", "afternoon", "evening"} and rng.random() < 0.2:
            self._schedule(service, rng.choice(["morning", "evening", "weekend"]))
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 2)):
                self.out.closed_dates.append(
                    ClosedDate(
                        id=self._id("closed_date"),
                        service_id=service.id,
                        date=self.today + dt.timedelta(days=rng.randint(2, 60)),
                        reason=rng.choice(content.CLOSED_REASONS),
                    )
                )

    def _schedule(self, service: Service, style: str) -> None:
        rng = self.rng
        t = dt.time
        freq = Schedule.Freq.WEEKLY
        interval: int | None = None
        dtstart: dt.date | None = None
        until: dt.date | None = None
        if style == "office":
            days = list(WEEKDAYS)
            opens, closes = rng.choice(
                [(t(9, 30), t(17, 0)), (t(9, 0), t(17, 0)), (t(10, 0), t(16, 0))]
            )
        elif style == "gp":
            days = list(WEEKDAYS)
            opens, closes = t(8, 0), t(18, 30)
            if rng.random() < 0.5:
                self._add_schedule(
                    service, ["SA"], t(9, 0), t(12, 0), "Saturdays, 9am to midday (extended hours)"
                )
        elif style == "shop":
            days = list(DAY_CODES[:6])
            opens, closes = rng.choice(
                [(t(9, 0), t(18, 0)), (t(10, 0), t(19, 0)), (t(8, 30), t(17, 30))]
            )
            if rng.random() < 0.5:
                self._add_schedule(service, ["SU"], t(10, 0), t(16, 0), "Sundays, 10am to 4pm")
        elif style in {"late", "always"}:
            days = list(DAY_CODES)
            opens, closes = (t(18, 0), t(23, 0)) if style == "late" else (t(0, 0), t(23, 59))
        else:
            minutes = rng.choice([90, 120, 120, 150])
            if style == "morning":
                days = [rng.choice(WEEKDAYS)]
                start = rng.choice([t(9, 30), t(10, 0), t(10, 30), t(11, 0)])
            elif style == "afternoon":
                days = [rng.choice(WEEKDAYS)]
                start = rng.choice([t(13, 0), t(13, 30), t(14, 0)])
            elif style == "evening":
                days = [rng.choice(WEEKDAYS)]
                start = rng.choice([t(18, 0), t(18, 30), t(19, 0)])
            elif style == "weekend":
                days = [rng.choice(["SA", "SU"])]
                start = rng.choice([t(10, 0), t(11, 0), t(14, 0)])
            else:  # monthly, fortnightly, course
                days = [rng.choice(DAY_CODES[:6])]
                start = rng.choice([t(10, 30), t(14, 0), t(18, 30)])
            opens = start
            end = dt.datetime.combine(self.today, start) + dt.timedelta(minutes=minutes)
            closes = end.time()
            if style == "monthly":
                ordinal = rng.choice([1, 1, 2, 3, -1])
                freq = Schedule.Freq.MONTHLY
                day_name = content.DAYS[DAY_CODES.index(days[0])]
                description = f"{ORDINALS[ordinal]} {day_name} of the month, {format_time(opens)} to {format_time(closes)}"
                self._add_schedule(
                    service, [f"{ordinal}{days[0]}"], opens, closes, description, freq=freq
                )
                return
            if style in {"fortnightly", "course"}:
                weekday = DAY_CODES.index(days[0])
                offset = (weekday - self.today.weekday()) % 7
                if style == "fortnightly":
                    interval = 2
                    dtstart = self.today + dt.timedelta(days=offset - 14)
                else:
                    weeks = rng.choice([6, 8])
                    dtstart = self.today + dt.timedelta(days=offset + 7 * rng.randint(0, 4))
                    until = dtstart + dt.timedelta(weeks=weeks - 1)
        description = self._describe(
            days, opens, closes, interval=interval, dtstart=dtstart, until=until
        )
        self._add_schedule(service, days, opens, closes, description, freq=freq, interval=interval, dtstart=dtstart, until=until)  # fmt: skip

    def _add_schedule(
        self,
        service: Service,
        days: list[str],
        opens: dt.time,
        closes: dt.time,
        description: str,
        *,
        freq: str = Schedule.Freq.WEEKLY,
        interval: int | None = None,
        dtstart: dt.date | None = None,
        until: dt.date | None = None,
    ) -> None:
        self.out.schedules.append(
            Schedule(
                id=self._id("schedule"),
                service_id=service.id,
                freq=freq,
                interval=interval,
                byday=",".join(days),
                opens_at=opens,
                closes_at=closes,
                dtstart=dtstart,
                until=until,
                valid_from=dtstart if until else None,
                valid_to=until,
                description=description,
            )
        )

    def _describe(
        self,
        days: list[str],
        opens: dt.time,
        closes: dt.time,
        *,
        interval: int | None,
        dtstart: dt.date | None,
        until: dt.date | None,
    ) -> str:
        names = [content.DAYS[DAY_CODES.index(d)] for d in days]
        hours = f"{format_time(opens)} to {format_time(closes)}"
        if opens == dt.time(0, 0) and closes == dt.time(23, 59):
            return "Open 24 hours, every day"
        if len(names) == 7:
            when = "Every day"
        elif len(names) > 1:
            when = f"{names[0]} to {names[-1]}"
        elif interval == 2:
            when = f"Every other {names[0]}"
        elif until and dtstart:
            weeks = (until - dtstart).days // 7 + 1
            when = f"{weeks}-week course on {names[0]}s from {dtstart.day} {dtstart:%B %Y}"
        else:
            when = f"{names[0]}s"
        return f"{when}, {hours}"

    # -- service at location, postcodes ------------------------------------------------------------

    def _link_locations(self, org: _Org) -> None:
        used: set[uuid.UUID] = set()
        for service in org.services:
            count = 1 if len(org.locations) == 1 or self.rng.random() < 0.6 else 2
            for location in self.rng.sample(org.locations, min(count, len(org.locations))):
                self._service_at_location(service, location)
                used.add(location.id)
        for location in org.locations:
            if location.id not in used and org.services:
                self._service_at_location(self.rng.choice(org.services), location)

    def _service_at_location(self, service: Service, location: Location) -> None:
        self.out.service_at_locations.append(
            ServiceAtLocation(
                id=self._id("service_at_location"),
                service_id=service.id,
                location_id=location.id,
            )
        )

    def _postcodes(self) -> None:
        for district, lat, lon in postcode_districts():
            self.out.postcodes.append(
                Postcode(code=district, latitude=lat, longitude=lon, is_district=True)
            )
        for postcode, (lat, lon) in self.used_postcodes.items():
            self.out.postcodes.append(
                Postcode(
                    code=postcode.replace(" ", ""),
                    latitude=lat,
                    longitude=lon,
                    local_authority=LAMBETH_LOCAL_AUTHORITY,
                )
            )
