"""The domain model: ABCD asset types and the canonical columns of each layer.

The types themselves are data (``catalogue/asset_types.toml`` beside this file), so which
types count as a meeting place can change without touching code.

Three layers cross module boundaries, each a GeoDataFrame in EPSG:4326 with these columns:

- **areas**: wijken and buurten (and optionally the gemeente) with their key figures;
- **assets**: what a neighbourhood has, one row per place;
- **talents**: residents' talents. They carry a buurt code, never an exact home location.

A CBS population grid (100 m squares, in RD New) has the columns of :data:`GRID_COLUMNS`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")

# --- canonical columns -----------------------------------------------------------------------

AREA_LEVELS = ("gemeente", "wijk", "buurt")

#: Key figures of an area: column -> (Dutch label, English label, unit).
KEY_FIGURES: dict[str, tuple[str, str, str]] = {
    "inhabitants": ("Inwoners", "Inhabitants", ""),
    "pct_65_plus": ("65 jaar en ouder", "Aged 65 and over", "%"),
    "households": ("Huishoudens", "Households", ""),
    "pct_single_households": ("Eenpersoonshuishoudens", "Single-person households", "%"),
    "land_area_ha": ("Oppervlakte land", "Land area", "ha"),
}

FieldKind = Literal["text", "key", "keys", "number", "time", "geometry"]


@dataclass(frozen=True)
class Field:
    """One field of a layer: what it holds, its limit, and whether it may be left empty.

    The field lists below are the only ones: the forms (:mod:`asset_map.rules`) check
    against them and the database (:mod:`asset_map.storage.schema`) builds its columns from
    them, so a column or a limit is written once.

    Attributes
    ----------
    name : str
        The column.
    kind : {"text", "key", "keys", "number", "time", "geometry"}
        Text a person types; one key or code (a type, a status, an id); several keys
        (``;``-joined); a number; a time of day (``"HH:MM"``); the geometry.
    max_len : int, optional
        The most characters (Unicode code points) a person may give it; None: no limit of
        its own. Imported layers are stored whole.
    required : bool
        It must have a value once checked (a form may fill in a default, e.g. a target group).
    most : int, optional
        ``keys`` only: the most keys a person may choose.
    personal : bool
        Talents only: personal data, erased when a resident withdraws or the retention ends.
    private : bool
        Talents only: for the wijkmanager's eyes; never in a layer.
    """

    name: str
    kind: FieldKind
    max_len: int | None = None
    required: bool = False
    most: int | None = None
    personal: bool = False
    private: bool = False


def _by_name(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


def text_limits(fields: dict[str, Field]) -> dict[str, int]:
    """Return the most characters of each text field of ``fields``, in their order."""
    return {n: f.max_len for n, f in fields.items() if f.kind == "text" and f.max_len is not None}


#: The most characters of an id given by hand (an asset's or an activity's).
ID_MAX_LEN = 64

#: The area layer: wijken and buurten (and the gemeente) with their key figures.
AREA_FIELDS = _by_name(
    Field("code", "key", required=True),
    Field("name", "text"),
    Field("level", "key"),
    Field("parent_code", "key"),
    *(Field(name, "number") for name in KEY_FIGURES),
    Field("geometry", "geometry"),
)
AREA_COLUMNS = list(AREA_FIELDS)
#: ``closed``: the place is gone (a resident's correction, a staff decision); it stays in the
#: workspace as history, but counts nowhere and is left off the public maps.
ASSET_STATUSES = ("existing", "planned", "closed")
#: The optional column of an asset frame holding its outline (WKT in EPSG:4326), e.g. of a
#: park or a school ground from OpenStreetMap.
FOOTPRINT = "footprint"
#: The asset layer; ``max_len`` holds for a place entered or changed by hand.
ASSET_FIELDS = _by_name(
    Field("id", "key", max_len=ID_MAX_LEN, required=True),
    Field("name", "text", max_len=120, required=True),
    Field("type", "key", required=True),
    Field("description", "text", max_len=2000),
    Field("address", "text", max_len=200),
    Field("tags", "text", max_len=500),
    Field("source", "text", max_len=120),
    Field("status", "key"),
    Field("capacity", "number"),
    Field("wheelchair", "key"),
    Field("opening_hours", "text", max_len=200),
    Field("geometry", "geometry"),
)
ASSET_COLUMNS = list(ASSET_FIELDS)
#: Asset columns a frame made before they existed may lack: they are empty (unknown) then.
OPTIONAL_ASSET_COLUMNS = ("wheelchair", "opening_hours")
REQUIRED_ASSET_COLUMNS = [c for c in ASSET_COLUMNS if c not in OPTIONAL_ASSET_COLUMNS]
#: How a place was last checked (``place_checks.method``): a visit, a phone call, its
#: organiser (through their link), an import from a source, a resident's accepted suggestion.
CHECK_METHODS = ("visit", "phone", "organiser", "import", "resident")
#: The columns an export of places gets when checks are kept: the date of the last check
#: (text, ``2025-03-01``), how, and whether the place is overdue.
CHECK_EXPORT_COLUMNS = ("last_checked", "checked_how", "check_overdue")


def with_asset_columns(frame: Any) -> Any:
    """Return an asset frame with the optional columns it lacks added, empty (unknown).

    The frame itself is not changed; a frame that has them all is returned as it is.
    """
    missing = [c for c in OPTIONAL_ASSET_COLUMNS if c not in frame.columns]
    if not missing:
        return frame
    out = frame.copy()
    for column in missing:
        out[column] = [None] * len(out)
    return out


#: Step-free access of a place, as OpenStreetMap's ``wheelchair`` key says it: ``yes`` (no
#: steps), ``limited`` (the entrance without steps, not every room), ``no``; empty when
#: unknown. Staff and organisers set it too (the edit form), and files may say it in Dutch.
WHEELCHAIR_VALUES = ("yes", "limited", "no")
WHEELCHAIR_WORDS: dict[str, str] = {
    **{v: v for v in WHEELCHAIR_VALUES},
    "ja": "yes",
    "true": "yes",
    "drempelvrij": "yes",
    "beperkt": "limited",
    "deels": "limited",
    "nee": "no",
    "false": "no",
}


def wheelchair_value(value: object) -> str | None:
    """Return ``yes``, ``limited`` or ``no`` for a value a file or a form holds; None if empty.

    Raises
    ------
    ValueError
        For a value that is none of these (nor their Dutch words: ja, beperkt, nee).

    >>> wheelchair_value("Ja"), wheelchair_value(None)
    ('yes', None)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text not in WHEELCHAIR_WORDS:
        raise ValueError(text)
    return WHEELCHAIR_WORDS[text]


def is_step_free(value: object) -> bool | None:
    """Return whether a place counts as step-free: True (yes, limited), False (no), or None."""
    try:
        known = wheelchair_value(value)
    except ValueError:
        return None
    return None if known is None else known != "no"


WISHES = ("teach", "help_neighbour", "join_activity", "start_something")
#: What a resident submits about a talent. Talents never hold a home location: ``buurt_code``
#: is their finest location.
TALENT_FIELDS = _by_name(
    Field("nickname", "text", max_len=40, required=True, personal=True),
    Field("categories", "keys", required=True, most=5),
    Field("description", "text", max_len=500, personal=True),
    Field("wishes", "keys", most=len(WISHES)),
    Field("availability", "text", max_len=100, personal=True),
    Field("buurt_code", "key", max_len=10, required=True),
    Field("contact", "text", max_len=120, personal=True, private=True),
)
#: Statuses of a talent. Only ``approved`` ones reach a public layer; ``withdrawn`` ones hold
#: no personal data any more (categories, wishes, buurt and date stay for anonymous counts).
TALENT_STATUSES = ("pending", "approved", "rejected", "withdrawn")
#: A CBS buurt code: ``BU`` and 8 digits (gemeente, wijk, buurt), e.g. ``BU01500401``.
BUURT_CODE = re.compile(r"^BU\d{8}$")
#: The talent layer: never contact data (nor a home location).
TALENT_COLUMNS = ["id", *(n for n, f in TALENT_FIELDS.items() if not f.private), "status"]
#: The fields a withdrawal or the retention erases.
PERSONAL_TALENT_FIELDS = tuple(n for n, f in TALENT_FIELDS.items() if f.personal)

#: What a resident suggests (a new place, a group, a correction of a place), as text they type;
#: ``contact`` is for the wijkmanager only and erased when the suggestion is decided on.
SUGGESTION_FIELDS = _by_name(
    Field("name", "text", max_len=120),
    Field("description", "text", max_len=1000),
    Field("schedule", "text", max_len=200),
    Field("address", "text", max_len=200),
    Field("contact", "text", max_len=120, personal=True, private=True),
)

#: A recurring activity at a place (an asset): every week on ``weekday`` (ISO: 1 = Monday) from
#: ``start`` to ``end`` ("HH:MM"). ``kind`` and ``target_group`` are keys of the catalogue.
#: ``contact`` is the organisation's (public); never a resident's.
ACTIVITY_FIELDS = _by_name(
    Field("id", "key", max_len=ID_MAX_LEN, required=True),
    Field("asset_id", "key", required=True),
    Field("title", "text", max_len=120, required=True),
    Field("kind", "key", required=True),
    Field("weekday", "number", required=True),
    Field("start", "time", required=True),
    Field("end", "time", required=True),
    Field("target_group", "key", required=True),
    Field("organiser", "text", max_len=120),
    Field("contact", "text", max_len=120),
    Field("description", "text", max_len=1000),
)
ACTIVITY_COLUMNS = list(ACTIVITY_FIELDS)
#: Weekday number (ISO) -> (Dutch, English).
WEEKDAYS: dict[int, tuple[str, str]] = {
    1: ("maandag", "Monday"),
    2: ("dinsdag", "Tuesday"),
    3: ("woensdag", "Wednesday"),
    4: ("donderdag", "Thursday"),
    5: ("vrijdag", "Friday"),
    6: ("zaterdag", "Saturday"),
    7: ("zondag", "Sunday"),
}
#: The most characters of a note: what a place asks for, a connection.
NOTE_MAX_LEN = 500
#: What a meeting place asks for: talent category keys (``;``-joined) and a note.
PLACE_NEED_FIELDS = _by_name(
    Field("asset_id", "key", required=True),
    Field("categories", "keys", required=True),
    Field("note", "text", max_len=NOTE_MAX_LEN),
)
PLACE_NEED_COLUMNS = list(PLACE_NEED_FIELDS)
#: A connection made between a resident's talent and a place. ``buurt_code`` is the talent's
#: buurt when the connection was made, so counts per buurt survive a withdrawal.
CONNECTION_COLUMNS = [
    "id",
    "asset_id",
    "talent_id",
    "category",
    "buurt_code",
    "made_by",
    "made_at",
    "note",
]

#: The canonical columns of a CBS population grid (100 m squares): total residents,
#: residents aged 65+, single-person households.
GRID_RESIDENTS = "aantal_inwoners"
GRID_65 = "aantal_inwoners_65_jaar_en_ouder"
GRID_SINGLE = "aantal_eenpersoonshuishoudens"
GRID_COLUMNS = (GRID_RESIDENTS, GRID_65, GRID_SINGLE)
#: Older CBS vierkantstatistieken (up to 2019, also their Shapefiles) -> the names above.
GRID_OLD_NAMES = {"inwoner": GRID_RESIDENTS, "inw_65pl": GRID_65, "tothh_eenp": GRID_SINGLE}


def grid_columns(names: Sequence[object]) -> dict[str, str]:
    """Return the population grid's columns by their 2020+ CBS name (any case, old names too)."""
    found: dict[str, str] = {}
    for name in names:
        lower = str(name).lower()
        canonical = GRID_OLD_NAMES.get(lower, lower)
        if canonical in GRID_COLUMNS and canonical not in found:
            found[canonical] = str(name)
    return found


#: Other spellings importers accept for canonical columns (lower case). Shapefiles cut column
#: names to 10 characters, so the truncated forms are here too.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("fid", "uuid", "identificatie", "nummer"),
    "name": ("naam", "titel", "title", "statnaam"),
    "type": ("soort", "asset_type", "categorie_type"),
    "description": ("descriptio", "omschrijving", "beschrijving", "toelichting", "desc"),
    "address": ("adres", "straat_huisnummer"),
    "tags": ("labels", "trefwoorden", "kenmerken"),
    "source": ("bron",),
    "status": (),
    "capacity": ("capaciteit", "plaatsen"),
    "wheelchair": ("rolstoel", "rolstoeltoegankelijk", "drempelvrij", "toegankelijk"),
    "opening_hours": ("openingstijden", "openingsuren", "opening_ho"),
    "code": ("statcode", "regiocode"),
    "level": ("niveau", "soort_regio"),
    "parent_code": ("parent_cod", "ouder_code"),
    "inhabitants": ("inhabitant", "aantal_inwoners", "inwoners", "aant_inw"),
    "pct_65_plus": ("pct_65_plu", "percentage_personen_65_jaar_en_ouder", "p_65_eo_jr"),
    "households": ("households", "aantal_huishoudens", "aant_hh"),
    "pct_single_households": ("pct_single", "percentage_eenpersoonshuishoudens", "p_eenp_hh"),
    "land_area_ha": ("land_area_", "oppervlakte_land_in_ha", "opp_land"),
}


# --- asset types -----------------------------------------------------------------------------


def in_lang(nl: str, en: str, lang: Lang) -> str:
    """Return the Dutch or the English text, as ``lang`` asks."""
    return nl if lang == "nl" else en


class _Labelled:
    """A thing of the catalogue with a Dutch and an English label."""

    label_nl: str
    label_en: str

    def label(self, lang: Lang = "nl") -> str:
        """Return the label in ``lang``."""
        return in_lang(self.label_nl, self.label_en, lang)


@dataclass(frozen=True)
class AssetGroup(_Labelled):
    """A group of asset types (an ABCD asset category)."""

    key: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class AssetType(_Labelled):
    """One asset type: its key, labels, style, and its role in the gap analysis."""

    key: str
    group: str
    label_nl: str
    label_en: str
    color: str
    icon: str
    meeting_place: bool = False
    can_host: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityKind(_Labelled):
    """A kind of recurring activity, and the talent categories that fit it."""

    key: str
    label_nl: str
    label_en: str
    icon: str
    talents: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Catalogue:
    """All asset groups, asset types, talent categories and activity kinds, in display order."""

    groups: dict[str, AssetGroup]
    types: dict[str, AssetType]
    talent_categories: dict[str, tuple[str, str]]
    activity_kinds: dict[str, ActivityKind]
    target_groups: dict[str, tuple[str, str]]

    def type_for(self, text: str) -> AssetType | None:
        """Find the type whose key, Dutch or English label, or alias is ``text``.

        Parameters
        ----------
        text : str
            The value as a file holds it; compared case-insensitively, spaces and
            underscores alike.

        Returns
        -------
        AssetType or None
            None when no type matches.
        """
        return self._lookup.get(_norm(text))

    @cached_property
    def _lookup(self) -> dict[str, AssetType]:
        table: dict[str, AssetType] = {}
        for t in self.types.values():
            for word in (t.key, t.label_nl, t.label_en, *t.aliases):
                table.setdefault(_norm(word), t)
        return table

    def meeting_place_types(self) -> list[str]:
        """Return the keys of the types that count as a meeting place."""
        return [k for k, t in self.types.items() if t.meeting_place]

    def talent_label(self, key: str, lang: Lang = "nl") -> str:
        """Return the label of talent category ``key`` in ``lang``."""
        return in_lang(*self.talent_categories[key], lang)

    def target_group_label(self, key: str, lang: Lang = "nl") -> str:
        """Return the label of target group ``key`` in ``lang``."""
        return in_lang(*self.target_groups[key], lang)


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


@cache
def catalogue() -> Catalogue:
    """Load the asset types from ``asset_types.toml`` (once per process).

    Returns
    -------
    Catalogue
        Groups and types in the order of the file.
    """
    text = resources.files("asset_map").joinpath("catalogue", "asset_types.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    groups = {k: AssetGroup(key=k, **v) for k, v in raw["groups"].items()}
    types = {}
    for key, spec in raw["types"].items():
        if spec["group"] not in groups:
            raise ValueError(
                f"asset_types.toml: type '{key}' names unknown group '{spec['group']}'"
            )
        types[key] = AssetType(key=key, **{**spec, "aliases": tuple(spec.get("aliases", ()))})
    talents = {k: (v["label_nl"], v["label_en"]) for k, v in raw["talent_categories"].items()}
    kinds = {}
    for key, spec in raw["activity_kinds"].items():
        unknown = [c for c in spec.get("talents", ()) if c not in talents]
        if unknown:
            raise ValueError(
                f"asset_types.toml: activity kind '{key}' names unknown talent categories "
                f"{', '.join(unknown)}"
            )
        kinds[key] = ActivityKind(key=key, **{**spec, "talents": tuple(spec.get("talents", ()))})
    groups_of_people = {k: (v["label_nl"], v["label_en"]) for k, v in raw["target_groups"].items()}
    return Catalogue(
        groups=groups,
        types=types,
        talent_categories=talents,
        activity_kinds=kinds,
        target_groups=groups_of_people,
    )


def area_level_of(code: str) -> str | None:
    """Return ``"gemeente"``, ``"wijk"`` or ``"buurt"`` from a CBS region code's prefix.

    >>> area_level_of("WK015004")
    'wijk'
    """
    prefix = str(code)[:2].upper()
    return {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}.get(prefix)


def parent_code_of(code: str) -> str | None:
    """Return the CBS code of the area that holds ``code``.

    CBS codes nest: ``BU01500401`` (buurt 01 of wijk 04 of gemeente 0150) lies in wijk
    ``WK015004``, which lies in gemeente ``GM0150``.

    >>> parent_code_of("BU01500401"), parent_code_of("WK015004"), parent_code_of("GM0150")
    ('WK015004', 'GM0150', None)
    """
    code = str(code).upper()
    level = area_level_of(code)
    if level == "buurt" and len(code) == 10:
        return "WK" + code[2:8]
    if level == "wijk" and len(code) == 8:
        return "GM" + code[2:6]
    return None
