"""The real geography the fictional demo locality is laid on: the London Borough of Lambeth.

The boundary is an approximate polygon written by hand (about two dozen points, good to a few
hundred metres): from the South Bank and Waterloo in the north, down the Southwark border through
Kennington, Loughborough Junction, Herne Hill and Gipsy Hill, along the Croydon border at
Streatham Common, and back up the Wandsworth border through Streatham, Clapham and Vauxhall to
the river. Neighbourhood centres, postcode districts and street names are real; every
organisation, service, person and full postcode placed on them is fictional.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kith.teams.areas import area_contains

DATA_DIR = Path(__file__).parent / "data"
DISTRICTS_CSV = DATA_DIR / "lambeth-postcode-districts.csv"
LAMBETH_LOCAL_AUTHORITY = "E09000022"

# (latitude, longitude), clockwise from the South Bank.
LAMBETH_BOUNDARY: tuple[tuple[float, float], ...] = (
    (51.5085, -0.1130),  # South Bank, by Gabriel's Wharf
    (51.5050, -0.1070),  # Stamford Street
    (51.4985, -0.1045),  # St George's Circus
    (51.4900, -0.1050),  # Kennington Park Road
    (51.4800, -0.0990),  # Camberwell New Road
    (51.4730, -0.0950),  # Denmark Hill edge
    (51.4600, -0.0960),  # Herne Hill, east side
    (51.4450, -0.0950),  # Thurlow Park Road
    (51.4320, -0.0870),  # West Dulwich
    (51.4220, -0.0770),  # Crystal Palace Parade
    (51.4180, -0.0850),  # Upper Norwood
    (51.4150, -0.1050),  # Norwood Grove
    (51.4110, -0.1250),  # Streatham Common, south edge
    (51.4140, -0.1400),  # Streatham Vale
    (51.4250, -0.1470),  # Furzedown edge
    (51.4400, -0.1480),  # Tooting Bec Common edge
    (51.4500, -0.1450),  # Clapham Park
    (51.4600, -0.1420),  # Clapham Common, east side
    (51.4700, -0.1450),  # Clapham Old Town
    (51.4790, -0.1400),  # Wandsworth Road
    (51.4850, -0.1300),  # Nine Elms edge
    (51.4880, -0.1270),  # Vauxhall Bridge
    (51.4950, -0.1225),  # Lambeth Bridge
    (51.5010, -0.1220),  # Westminster Bridge
    (51.5060, -0.1200),  # Jubilee Gardens
    (51.5085, -0.1160),  # Waterloo Bridge
)


def lambeth_area() -> dict[str, object]:
    """The approximate borough boundary as a GeoJSON Polygon ([longitude, latitude], closed)."""
    ring = [[longitude, latitude] for latitude, longitude in LAMBETH_BOUNDARY]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


_LAMBETH_AREA = lambeth_area()


def is_in_lambeth(latitude: float, longitude: float) -> bool:
    """Whether a point lies inside the approximate borough boundary (the teams' area test)."""
    return area_contains(_LAMBETH_AREA, latitude=latitude, longitude=longitude)


@dataclass(frozen=True)
class Street:
    name: str
    sector: str  # the full postcode's first half plus sector digit, e.g. "SW9 8"


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    latitude: float
    longitude: float
    spread_m: float  # how far from the centre its streets are placed
    streets: tuple[Street, ...]


def _streets(sector: str, *names: str) -> tuple[Street, ...]:
    return tuple(Street(name, sector) for name in names)


NEIGHBOURHOODS: tuple[Neighbourhood, ...] = (
    Neighbourhood(
        "Waterloo",
        51.5015,
        -0.1130,
        450,
        _streets("SE1 7", "Lower Marsh", "Baylis Road", "Hercules Road", "Lambeth Road")
        + _streets("SE1 8", "Roupell Street", "Cornwall Road", "Exton Street", "Theed Street"),
    ),
    Neighbourhood(
        "Kennington",
        51.4880,
        -0.1100,
        450,
        _streets("SE11 4", "Kennington Road", "Cleaver Square", "Renfrew Road", "Walcot Square")
        + _streets("SE11 5", "Courtenay Street", "Kennington Lane", "Black Prince Road")
        + _streets("SE11 6", "Lambeth Walk", "Fitzalan Street", "Sancroft Street"),
    ),
    Neighbourhood(
        "Vauxhall",
        51.4850,
        -0.1230,
        350,
        _streets("SE11 5", "Vauxhall Walk", "Tyers Street", "Glasshouse Walk")
        + _streets("SW8 1", "Bonnington Square", "Harleyford Road", "Wilcox Road", "Parry Street"),
    ),
    Neighbourhood(
        "Oval",
        51.4810,
        -0.1140,
        350,
        _streets("SW8 1", "Fentiman Road", "Ashmole Street", "Meadow Road")
        + _streets("SW9 0", "Clapham Road", "Handforth Road", "Brixton Road", "Crewdson Road"),
    ),
    Neighbourhood(
        "Stockwell",
        51.4715,
        -0.1225,
        500,
        _streets("SW8 2", "South Lambeth Road", "Lansdowne Way", "Hartington Road")
        + _streets("SW9 9", "Stockwell Road", "Stockwell Park Road", "Albert Square")
        + _streets("SW9 0", "Landor Road", "Durand Gardens", "Hackford Road", "Stockwell Green"),
    ),
    Neighbourhood(
        "Brixton",
        51.4620,
        -0.1150,
        550,
        _streets("SW9 8", "Atlantic Road", "Electric Avenue", "Coldharbour Lane", "Pope's Road")
        + _streets("SW9 7", "Brixton Station Road", "Somerleyton Road", "Mayall Road")
        + _streets("SW2 1", "Acre Lane", "Brixton Hill", "Effra Road", "Tunstall Road"),
    ),
    Neighbourhood(
        "Brixton Hill",
        51.4520,
        -0.1210,
        450,
        _streets("SW2 2", "Josephine Avenue", "Lyham Road", "Upper Tulse Hill", "Arodene Road")
        + _streets("SW2 4", "New Park Road", "Christchurch Road", "Sternhold Avenue"),
    ),
    Neighbourhood(
        "Clapham",
        51.4630,
        -0.1370,
        400,
        _streets("SW4 0", "Clapham High Street", "Venn Street", "Old Town", "Rectory Grove")
        + _streets("SW4 6", "Clapham Manor Street", "Bedford Road", "Lendal Terrace"),
    ),
    Neighbourhood(
        "Clapham Park",
        51.4510,
        -0.1350,
        400,
        _streets("SW4 8", "Kings Avenue", "Poynders Road", "Clarence Avenue")
        + _streets("SW4 9", "Abbeville Road", "Narbonne Avenue")
        + _streets("SW12 0", "Atkins Road", "Cavendish Road", "Thornton Road"),
    ),
    Neighbourhood(
        "Loughborough Junction",
        51.4665,
        -0.1030,
        350,
        _streets("SW9 7", "Loughborough Road", "Barrington Road", "Wiltshire Road")
        + _streets("SE5 9", "Hinton Road", "Padfield Road", "Coldharbour Lane"),
    ),
    Neighbourhood(
        "Herne Hill",
        51.4530,
        -0.1040,
        400,
        _streets("SE24 0", "Railton Road", "Dulwich Road", "Herne Hill Road", "Milkwood Road")
        + _streets("SE24 9", "Norwood Road", "Shakespeare Road", "Hurst Street"),
    ),
    Neighbourhood(
        "Tulse Hill",
        51.4415,
        -0.1100,
        400,
        _streets("SW2 3", "Tulse Hill", "Trinity Rise", "Palace Road", "Elm Park")
        + _streets("SE27 0", "Norwood Road", "Lanercost Road", "Thurlow Park Road"),
    ),
    Neighbourhood(
        "West Dulwich",
        51.4400,
        -0.0990,
        250,
        _streets("SE21 8", "Rosendale Road", "Lovelace Road", "Idmiston Road"),
    ),
    Neighbourhood(
        "West Norwood",
        51.4315,
        -0.1040,
        450,
        _streets("SE27 9", "Norwood High Street", "Knights Hill", "Chapel Road", "Ernest Avenue")
        + _streets("SE27 0", "Auckland Hill", "Lansdowne Hill", "Elder Road", "York Hill"),
    ),
    Neighbourhood(
        "Gipsy Hill",
        51.4245,
        -0.0870,
        300,
        _streets("SE19 1", "Gipsy Hill", "Highland Road", "Central Hill", "Salters Hill")
        + _streets("SE27 9", "Hamilton Road", "Dunkirk Street", "Gipsy Road"),
    ),
    Neighbourhood(
        "Streatham",
        51.4280,
        -0.1310,
        550,
        _streets("SW16 1", "Streatham High Road", "Gleneagle Road", "Pendennis Road")
        + _streets("SW16 2", "Leigham Court Road", "Becmead Avenue", "Shrubbery Road")
        + _streets("SW16 6", "Mitcham Lane", "Ambleside Avenue", "Natal Road"),
    ),
    Neighbourhood(
        "Streatham Hill",
        51.4390,
        -0.1270,
        350,
        _streets("SW2 4", "Streatham Hill", "Telford Avenue", "Downton Avenue", "Hillside Road"),
    ),
    Neighbourhood(
        "Streatham Common",
        51.4180,
        -0.1230,
        350,
        _streets("SW16 3", "Streatham Common North", "Covington Way", "Valley Road")
        + _streets("SW16 5", "Greyhound Lane", "Ribblesdale Road", "Woodbourne Avenue"),
    ),
)


def postcode_districts() -> list[tuple[str, float, float]]:
    """(outward code, latitude, longitude) for each postcode district covering the borough."""
    with DISTRICTS_CSV.open(newline="", encoding="utf-8") as handle:
        return [
            (row["district"], float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        ]
