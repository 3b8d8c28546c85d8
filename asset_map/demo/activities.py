"""The demo's weekly activities, what its places ask for, its postcodes (``asset_map.demo``).

Activities are held at the demo's meeting places and at a few other places (libraries,
churches and a mosque, schools, sports canteens, playgrounds with a clubhouse). Every
organiser is an organisation, never a resident, and every contact is an e-mail address in the
reserved ``.example`` domain (RFC 2606), so no real address is ever shown.

Everything is drawn from its own random generator, so adding activities never changes the
other demo files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from asset_map.model import WEEKDAYS, catalogue


@dataclass(frozen=True)
class Template:
    """One kind of weekly activity as a place might hold it."""

    kind: str
    title: str
    target_group: str
    hosts: tuple[str, ...]  # host roles, see ROLES
    slots: tuple[tuple[str, str], ...]  # (start, end) choices
    weekdays: tuple[int, ...]
    organiser: str  # a key of ORGANISERS, or "place" for the place itself
    description: str


#: Host role -> asset types of that role.
ROLES: dict[str, tuple[str, ...]] = {
    "meeting": ("buurthuis", "wijkhuiskamer", "huis_van_de_wijk"),
    "sport": ("sportkantine",),
    "play": ("speeltuin_clubhuis",),
    "library": ("bibliotheek",),
    "worship": ("gebedshuis",),
    "school": ("school",),
}
#: Fictional organisations: key -> (name, contact).
ORGANISERS: dict[str, tuple[str, str]] = {
    "welzijn": ("Stichting Welzijn Lindeveen", "buurtwerk@welzijnlindeveen.example"),
    "bieb": ("Bibliotheek Lindeveen", "info@bibliotheeklindeveen.example"),
    "taalhuis": ("Taalhuis Lindeveen", "taalhuis@bibliotheeklindeveen.example"),
    "repair": ("Repair Café Lindeveen", "repaircafe@lindeveen.example"),
    "sport": ("Sportief Lindeveen (buurtsportcoach)", "buurtsport@sportieflindeveen.example"),
    "mantelzorg": ("Mantelzorgpunt Lindeveen", "mantelzorg@welzijnlindeveen.example"),
    "jeugd": ("Jongerenwerk Lindeveen", "jongerenwerk@welzijnlindeveen.example"),
}

MORNING = (("09:30", "11:30"), ("10:00", "12:00"))
AFTERNOON = (("13:30", "15:30"), ("14:00", "16:00"))
EVENING = (("19:00", "21:00"), ("19:30", "21:30"))
WORKDAYS = (1, 2, 3, 4, 5)

TEMPLATES: tuple[Template, ...] = (
    Template(
        "koffieochtend",
        "Koffieochtend",
        "iedereen",
        ("meeting", "worship"),
        MORNING,
        (1, 2, 3, 4, 5, 6),
        "place",
        "Loop binnen voor koffie en een praatje. Gratis.",
    ),
    Template(
        "koffieochtend",
        "Inloop met koffie voor ouderen",
        "ouderen",
        ("meeting",),
        MORNING,
        WORKDAYS,
        "welzijn",
        "Gezellig samen koffie drinken. U hoeft zich niet aan te melden.",
    ),
    Template(
        "samen_eten",
        "Samen eten",
        "iedereen",
        ("meeting", "worship"),
        (("17:30", "19:30"),),
        (2, 3, 4),
        "place",
        "Een warme maaltijd voor 5 euro. Meld u aan tot de dag ervoor.",
    ),
    Template(
        "samen_eten",
        "Buurtmaaltijd voor 55-plussers",
        "ouderen",
        ("meeting",),
        (("12:00", "13:30"),),
        WORKDAYS,
        "welzijn",
        "Samen lunchen voor 4 euro. Bel of mail om u aan te melden.",
    ),
    Template(
        "samen_eten",
        "Wereldkeuken",
        "nieuwkomers",
        ("meeting",),
        (("17:30", "19:30"),),
        (4, 5),
        "place",
        "Buren koken om de beurt een gerecht uit hun land. Iedereen eet mee.",
    ),
    Template(
        "stoelgym",
        "Stoelgym",
        "ouderen",
        ("meeting", "sport"),
        (("10:30", "11:30"), ("14:00", "15:00")),
        WORKDAYS,
        "sport",
        "Rustig bewegen op een stoel, met een begeleider. Gratis.",
    ),
    Template(
        "wandelgroep",
        "Wandelgroep Samen op Pad",
        "iedereen",
        ("meeting", "sport"),
        (("09:30", "11:00"),),
        (1, 3, 6),
        "sport",
        "We wandelen een uur door de buurt en drinken daarna koffie.",
    ),
    Template(
        "wandelgroep",
        "Beweegwandeling voor 65-plussers",
        "ouderen",
        ("sport",),
        (("10:00", "11:00"),),
        WORKDAYS,
        "sport",
        "Een korte wandeling in een rustig tempo.",
    ),
    Template(
        "taalcafe",
        "Taalcafé",
        "nieuwkomers",
        ("meeting", "library"),
        (("14:00", "16:00"), ("19:00", "20:30")),
        WORKDAYS,
        "taalhuis",
        "Nederlands oefenen in een gesprek, met koffie en thee. Gratis.",
    ),
    Template(
        "breigroep",
        "Brei- en haakclub",
        "iedereen",
        ("meeting", "library"),
        AFTERNOON,
        WORKDAYS,
        "place",
        "Neem uw eigen breiwerk mee. Beginners zijn welkom.",
    ),
    Template(
        "spelmiddag",
        "Spelmiddag: sjoelen en kaarten",
        "ouderen",
        ("meeting",),
        AFTERNOON,
        (1, 2, 3, 4, 5, 7),
        "place",
        "Sjoelen, klaverjassen en rummikub. Koffie staat klaar.",
    ),
    Template(
        "spelmiddag",
        "Bordspellenavond",
        "iedereen",
        ("meeting", "sport"),
        EVENING,
        (4, 5),
        "place",
        "Spellen van de club of neem uw eigen spel mee.",
    ),
    Template(
        "repair_cafe",
        "Repair Café",
        "iedereen",
        ("meeting",),
        (("10:00", "13:00"),),
        (6,),
        "repair",
        "Neem kapotte spullen mee. Vrijwilligers repareren ze samen met u.",
    ),
    Template(
        "computerspreekuur",
        "Digi-spreekuur: hulp met telefoon en computer",
        "ouderen",
        ("meeting", "library"),
        MORNING,
        WORKDAYS,
        "bieb",
        "Vragen over uw telefoon, tablet of DigiD? Neem uw apparaat mee.",
    ),
    Template(
        "zingen",
        "Buurtkoor",
        "iedereen",
        ("meeting", "worship"),
        EVENING,
        WORKDAYS,
        "place",
        "Samen zingen, ook als u geen noten kunt lezen.",
    ),
    Template(
        "zingen",
        "Zangmiddag met bekende liedjes",
        "ouderen",
        ("meeting", "worship"),
        AFTERNOON,
        WORKDAYS,
        "welzijn",
        "Liedjes van vroeger, met iemand op de piano.",
    ),
    Template(
        "tuinieren",
        "Samen tuinieren",
        "iedereen",
        ("meeting", "school"),
        (("10:00", "12:00"),),
        (3, 6),
        "place",
        "Zaaien, wieden en oogsten in de buurttuin. Handschoenen zijn er.",
    ),
    Template(
        "kinderactiviteit",
        "Knutselmiddag",
        "kinderen",
        ("meeting", "play"),
        (("14:00", "16:00"),),
        (3,),
        "place",
        "Knutselen voor kinderen van 4 tot 12 jaar.",
    ),
    Template(
        "kinderactiviteit",
        "Voorleesuurtje",
        "kinderen",
        ("library",),
        (("10:30", "11:30"),),
        (3, 6),
        "bieb",
        "Voorlezen voor kinderen van 2 tot 6 jaar.",
    ),
    Template(
        "kinderactiviteit",
        "Huiswerkklas",
        "jongeren",
        ("school", "library"),
        (("15:30", "17:00"),),
        (1, 2, 4),
        "welzijn",
        "Hulp bij huiswerk voor leerlingen van groep 7 tot klas 3.",
    ),
    Template(
        "overig",
        "Mantelzorgcafé",
        "mantelzorgers",
        ("meeting", "worship"),
        MORNING,
        WORKDAYS,
        "mantelzorg",
        "Even tijd voor uzelf, met andere mantelzorgers.",
    ),
    Template(
        "overig",
        "Ouder-kindochtend",
        "ouders",
        ("meeting", "play", "school"),
        MORNING,
        (2, 4),
        "place",
        "Ouders met kleine kinderen ontmoeten elkaar. Er is speelgoed.",
    ),
    Template(
        "overig",
        "Jongerenavond",
        "jongeren",
        ("meeting", "sport"),
        EVENING,
        (5,),
        "jeugd",
        "Chillen, gamen en tafeltennis voor jongeren van 12 tot 18 jaar.",
    ),
    Template(
        "overig",
        "Filmavond",
        "iedereen",
        ("meeting",),
        EVENING,
        (5, 6),
        "place",
        "Elke week een film, met popcorn. Toegang 2 euro.",
    ),
)
#: How many activities each host role gets, beyond the first pass (one of every template).
PER_HOST = {"meeting": (2, 4), "sport": (0, 1), "play": (1, 1), "library": (2, 3)}

#: Talent category -> sentence of a place's note; ``{title}`` and ``{day}`` of its activity.
NEED_NOTES: dict[str, str] = {
    "koken": "Wij zoeken iemand die wil koken voor de maaltijd op {day}.",
    "organiseren": "Wij zoeken iemand die wil helpen bij '{title}' op {day}.",
    "bezoeken": "Wij zoeken een gastvrouw of gastheer die bezoekers welkom heet op {day}.",
    "sport": "Wij zoeken iemand die een beweeggroep wil begeleiden op {day}.",
    "taalmaatje": "Wij zoeken taalmaatjes die Nederlands willen praten met nieuwkomers.",
    "handwerk": "Wij zoeken iemand die anderen wil leren breien of haken.",
    "repareren": "Wij zoeken handige buren die willen helpen repareren.",
    "computerhulp": "Wij zoeken iemand die buren wil helpen met hun telefoon of computer.",
    "muziek": "Wij zoeken iemand die piano of gitaar speelt bij het zingen op {day}.",
    "tuinieren": "Wij zoeken buren met groene vingers voor de buurttuin.",
    "kinderen": "Wij zoeken iemand die het leuk vindt om met kinderen te knutselen.",
    "vervoer": "Wij zoeken iemand die ouderen met de auto wil ophalen en thuisbrengen.",
}
PLANNED_NOTE = "Deze huiskamer gaat nog open. Wij zoeken buren die hem mee willen opzetten."


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _organiser(template: Template, place: dict) -> tuple[str, str]:
    if template.organiser != "place":
        return ORGANISERS[template.organiser]
    name = re.sub(r"^(Kantine|Clubhuis) ", "", place["name"])
    return name, f"{_slug(name)}@lindeveen.example"


def _overlaps(rows: list[dict], place_id: str, weekday: int, start: str, end: str) -> bool:
    return any(
        r["asset_id"] == place_id
        and r["weekday"] == weekday
        and start < r["end"]
        and r["start"] < end
        for r in rows
    )


def _add(rng: np.random.Generator, rows: list[dict], template: Template, place: dict) -> bool:
    """Add ``template`` at ``place`` at a free time; False when it is there already or full."""
    if any(r["asset_id"] == place["id"] and r["title"] == template.title for r in rows):
        return False
    for _ in range(20):
        weekday = int(rng.choice(template.weekdays))
        start, end = template.slots[int(rng.integers(len(template.slots)))]
        if not _overlaps(rows, place["id"], weekday, start, end):
            break
    else:
        return False
    organiser, contact = _organiser(template, place)
    rows.append(
        {
            "id": "",
            "asset_id": place["id"],
            "title": template.title,
            "kind": template.kind,
            "weekday": weekday,
            "start": start,
            "end": end,
            "target_group": template.target_group,
            "organiser": organiser,
            "contact": contact,
            "description": template.description,
        }
    )
    return True


def build_activities(rng: np.random.Generator, assets: list[dict]) -> list[dict]:
    """Return about 50 weekly activities at existing places (``model.ACTIVITY_COLUMNS``).

    Every template is held once at a random place of a fitting role, so every activity kind
    and target group occurs; then every wijkhuiskamer gets a koffieochtend, and meeting
    places, libraries and playgrounds get a few more.
    """
    role_of = {t: role for role, types in ROLES.items() for t in types}
    hosts: dict[str, list[dict]] = {role: [] for role in ROLES}
    for asset in assets:
        if asset["status"] == "existing" and asset["type"] in role_of:
            hosts[role_of[asset["type"]]].append(asset)
    rows: list[dict] = []
    for template in TEMPLATES:
        places = [p for role in template.hosts for p in hosts[role]]
        for _ in range(10):
            if _add(rng, rows, template, places[int(rng.integers(len(places)))]):
                break
    coffee = next(t for t in TEMPLATES if t.title == "Koffieochtend")
    for role, (lo, hi) in PER_HOST.items():
        fitting = [t for t in TEMPLATES if role in t.hosts]
        for place in hosts[role]:
            if place["type"] == "wijkhuiskamer":  # every huiskamer has its koffieochtend
                _add(rng, rows, coffee, place)
            want = int(rng.integers(lo, hi + 1))
            have = sum(r["asset_id"] == place["id"] for r in rows)
            for index in rng.permutation(len(fitting)):
                if have >= want:
                    break
                have += _add(rng, rows, fitting[int(index)], place)
    rows.sort(key=lambda r: (r["asset_id"], r["weekday"], r["start"], r["title"]))
    for i, row in enumerate(rows, 1):
        row["id"] = f"demo-a{i:03d}"
    return rows


def build_place_needs(
    rng: np.random.Generator, assets: list[dict], activities: list[dict]
) -> list[dict]:
    """Return what each buurthuis, wijkhuiskamer and huis van de wijk asks for.

    One to three talent categories that fit the place's own activities (a place with a
    shared meal asks for a cook), each with a sentence in the note.
    """
    kinds = catalogue().activity_kinds
    order = list(catalogue().talent_categories)
    rows = []
    for place in assets:
        if place["type"] not in ROLES["meeting"]:
            continue
        if place["status"] == "planned":
            rows.append(
                {
                    "asset_id": place["id"],
                    "categories": "organiseren;bezoeken",
                    "note": PLANNED_NOTE,
                }
            )
            continue
        own = [a for a in activities if a["asset_id"] == place["id"]]
        fitting = sorted({c for a in own for c in kinds[a["kind"]].talents}, key=order.index)
        if any(a["target_group"] == "ouderen" for a in own):
            fitting.append("vervoer")
        if not fitting:
            continue
        n = int(rng.integers(1, min(3, len(fitting)) + 1))
        chosen = sorted(rng.choice(fitting, n, replace=False).tolist(), key=order.index)
        sentences = []
        for category in chosen:
            activity: dict[str, Any] = next(
                (a for a in own if category in kinds[a["kind"]].talents), own[0]
            )
            day = WEEKDAYS[int(activity["weekday"])][0]
            sentences.append(NEED_NOTES[category].format(title=activity["title"], day=day))
        rows.append(
            {"asset_id": place["id"], "categories": ";".join(chosen), "note": " ".join(sentences)}
        )
    return rows


POSTCODE_COLUMNS = ["postcode", "lon", "lat", "buurt_code"]
POSTCODE_LETTERS = ("AA", "AB", "AC")


def build_postcodes(
    rng: np.random.Generator,
    buurten: list[dict],
    points_in: Callable[[np.random.Generator, Any, int], Any],
) -> list[dict]:
    """Return fictional postcodes, three per buurt, each at a point inside its buurt.

    Real Dutch postcodes start at 1000, so the demo's start with 0: ``0`` + the wijk
    number + the buurt number in its wijk, then ``AA``, ``AB``, ``AC`` (buurt
    ``BU99990203`` has ``0203AA``, ``0203AB`` and ``0203AC``).

    ``points_in(rng, polygon, n)`` gives ``n`` random WGS84 points inside a buurt's polygon.
    """
    rows = []
    for buurt in buurten:
        lonlat = points_in(rng, buurt["rd"], len(POSTCODE_LETTERS))
        digits = "0" + buurt["code"][-4:][1:]
        for letters, point in zip(POSTCODE_LETTERS, lonlat, strict=True):
            rows.append(
                {
                    "postcode": f"{digits}{letters}",
                    "lon": f"{point.x:.6f}",
                    "lat": f"{point.y:.6f}",
                    "buurt_code": buurt["code"],
                }
            )
    return rows
