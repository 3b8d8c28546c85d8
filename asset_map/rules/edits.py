"""The planner's forms: check an asset, an activity or a place's needs, and say what to fix.

Pure Python (no streamlit). The same rules hold in the app's forms (:func:`check_asset`,
:func:`check_activity`: a B1-Dutch or English message per field) and in the database layer
(``asset_map.storage``), which raises one ``SchemaError`` naming every bad field. So the
limits below are the only ones there are.

Text is kept verbatim apart from trimming spaces at both ends: markup and quotes are data,
escaped wherever they are shown.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from asset_map.crs import NL_BOUNDS_WGS84
from asset_map.i18n import Joined, Msg, t
from asset_map.model import (
    ACTIVITY_FIELDS,
    ASSET_FIELDS,
    ASSET_STATUSES,
    ID_MAX_LEN,
    NOTE_MAX_LEN,
    WEEKDAYS,
    Field,
    Lang,
    catalogue,
    wheelchair_value,
)
from asset_map.rules.dutch_hours import dutch_to_osm
from asset_map.rules.open_times import MAX_TEXT, parse_opening_hours

#: The source of an asset entered by hand, when none is given.
OWN_SOURCE = "Eigen invoer"
#: The target group of an activity when none is given.
DEFAULT_TARGET_GROUP = "iedereen"
#: Columns of an asset frame that are derived, not stored: accepted and ignored.
DERIVED = ("buurt_code", "wijk_code")

#: The fields of an asset form: the asset's, with the place as ``lon`` and ``lat``.
ASSET_FORM_FIELDS = tuple(
    name for field in ASSET_FIELDS for name in (("lon", "lat") if field == "geometry" else (field,))
)
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One bad field: the text key (in ``texts/edits.toml``) that says what to fix."""

    field: str
    key: str
    value: Any = None
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    allowed: tuple[str, ...] = ()

    def message(self, lang: Lang = "nl") -> str:
        """Return the message for a form, in ``lang``."""
        return t(self.key, lang, **self.fields)

    def technical(self) -> Msg:
        """Return the message for the store's error: field, value, problem, fix, allowed keys."""
        shown = repr(self.value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        allowed = Msg("err.edits.allowed", keys=", ".join(self.allowed)) if self.allowed else ""
        return Msg(
            "err.edits.field",
            field=self.field,
            value=shown,
            problem=Msg(self.key, **self.fields),
            allowed=allowed,
        )


def problem_text(what: object, problems: Iterable[Problem]) -> Msg:
    """Return one message naming every problem, for a ``SchemaError``.

    Parameters
    ----------
    what : Msg or str
        What could not be done (``Msg("err.edits.add_asset")``), or where (a row).
    problems : iterable of Problem
        The problems, each with its field, value and fix.
    """
    found = Joined((p.technical() for p in problems), " ")
    return Msg("err.edits.problems", what=what, problems=found)


def messages(problems: Iterable[Problem], lang: Lang = "nl") -> dict[str, str]:
    """Return the first message per field, in ``lang``."""
    out: dict[str, str] = {}
    for p in problems:
        out.setdefault(p.field, p.message(lang))
    return out


# --- single values ---------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(
    name: str, value: Any, *, max_len: int | None, required: bool, problems: list[Problem]
) -> str | None:
    """Return trimmed text (None when empty), or add a problem."""
    if _is_missing(value):
        if required:
            problems.append(Problem(name, f"edits.{name}.empty", value))
        return None
    if not isinstance(value, str):
        problems.append(Problem(name, "edits.text.bad", value))
        return None
    text = value.strip()
    if max_len is not None and len(text) > max_len:
        problems.append(Problem(name, "edits.text.long", value, {"n": max_len}))
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(Problem(name, "edits.text.bad", value))
        return None
    if "\x00" in text:
        problems.append(Problem(name, "edits.text.bad", value))
        return None
    return text


def clean_texts(
    fields: Mapping[str, Field],
    values: Mapping[str, Any],
    problems: list[Problem],
    *,
    partial: bool = False,
) -> dict[str, str | None]:
    """Return the text fields of ``fields`` (``model.ASSET_FIELDS``, ...), checked.

    Each is trimmed and held to its field's most characters; a required one may not be
    empty. With ``partial``, only the fields in ``values`` are checked (a change).
    """
    return {
        name: clean_text(
            name,
            values.get(name),
            max_len=field.max_len,
            required=field.required,
            problems=problems,
        )
        for name, field in fields.items()
        if field.kind == "text" and (not partial or name in values)
    }


def clean_key(
    name: str, value: Any, allowed: Iterable[str], *, key: str, problems: list[Problem]
) -> str | None:
    """Return ``value`` when it is one of ``allowed``, or add the problem ``key``."""
    options = tuple(allowed)
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text in options:
        return text
    problems.append(Problem(name, key, value, allowed=options))
    return None


def clean_keys(
    name: str, value: Any, allowed: Iterable[str], *, key: str, problems: list[Problem]
) -> tuple[str, ...] | None:
    """Return keys from a list or ``;``-joined text, without repeats; or add a problem."""
    options = tuple(allowed)
    if _is_missing(value):
        return ()
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(";")]
    elif isinstance(value, list | tuple | set | frozenset):
        parts = [p.strip() if isinstance(p, str) else p for p in value]
    else:
        problems.append(Problem(name, key, value, allowed=options))
        return None
    parts = [p for p in parts if p != ""]
    if any(p not in options for p in parts):
        problems.append(Problem(name, key, value, allowed=options))
        return None
    return tuple(dict.fromkeys(parts))


def parse_number(value: Any) -> float:
    """Return a number from a number or text (a Dutch decimal comma is fine).

    Raises
    ------
    ValueError
        When it is not a finite number (a bool is not a number either).
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        value = text
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def parse_time(value: Any) -> str:
    """Return a time as ``"HH:MM"``, from ``"9:30"``, ``"09.30"`` or a ``datetime.time``.

    Raises
    ------
    ValueError
        When it is not a time of day.
    """
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(value)
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_weekday(value: Any) -> int:
    """Return the ISO weekday 1..7 from a number, or a Dutch or English day name.

    Raises
    ------
    ValueError
        When it is no day of the week.
    """
    if isinstance(value, str):
        word = value.strip().lower()
        for day, names in WEEKDAYS.items():
            if word in (names[0], names[1].lower()):
                return day
    number = parse_number(value)
    if not number.is_integer() or not 1 <= number <= 7:
        raise ValueError(value)
    return int(number)


# --- assets ----------------------------------------------------------------------------------


def _clean_place(values: Mapping[str, Any], problems: list[Problem]) -> dict[str, float]:
    lon_min, lat_min, lon_max, lat_max = NL_BOUNDS_WGS84
    out: dict[str, float] = {}
    for name, low, high in (("lon", lon_min, lon_max), ("lat", lat_min, lat_max)):
        value = values.get(name)
        if _is_missing(value):
            problems.append(Problem(name, "edits.place.missing", value))
            continue
        try:
            number = parse_number(value)
        except (TypeError, ValueError):
            problems.append(Problem(name, "edits.place.number", value))
            continue
        if not low <= number <= high:
            problems.append(Problem(name, "edits.place.outside", value))
            continue
        out[name] = number
    return out


def _clean_capacity(value: Any, problems: list[Problem]) -> float | None:
    if _is_missing(value):
        return None
    try:
        number = parse_number(value)
    except (TypeError, ValueError):
        number = -1.0
    if number < 0:
        problems.append(Problem("capacity", "edits.capacity.bad", value))
        return None
    return number


def _clean_wheelchair(value: Any, problems: list[Problem]) -> str | None:
    try:
        return wheelchair_value(value)
    except ValueError:
        problems.append(Problem("wheelchair", "edits.wheelchair.bad", value))
        return None


def _clean_opening_hours(value: Any, problems: list[Problem]) -> str | None:
    """Return the opening hours in OpenStreetMap's syntax; an unreadable text is a problem.

    Hours written the Dutch way (``ma-vr 9-17 uur``) are turned into that syntax first.
    """
    text = clean_text("opening_hours", value, max_len=MAX_TEXT, required=False, problems=problems)
    if text is None:
        return None
    problem = parse_opening_hours(text).problem
    osm = dutch_to_osm(text) if problem is not None else None
    if osm is not None and parse_opening_hours(osm).problem is None:
        return osm
    if problem is not None:
        problems.append(
            Problem("opening_hours", "edits.opening_hours.bad", value, {"reason": problem})
        )
        return None
    return text


def _clean_id(value: Any, problems: list[Problem]) -> str | None:
    if _is_missing(value):
        return None
    text = value.strip() if isinstance(value, str) else None
    if text is None or len(text) > ID_MAX_LEN or _CONTROL.search(text):
        problems.append(Problem("id", "edits.id.bad", value, {"n": ID_MAX_LEN}))
        return None
    return text


def asset_problems(
    values: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """Return the cleaned asset fields and every problem.

    Parameters
    ----------
    values : mapping
        ``name``, ``type``, ``lon``, ``lat`` (WGS84), ``description``, ``address``, ``tags``
        (``;``-joined text or a list), ``source``, ``status``, ``capacity``, ``id``,
        ``wheelchair`` (yes, limited, no; ja, beperkt, nee) and ``opening_hours`` (as
        OpenStreetMap writes them, ``Mo-Fr 09:00-17:00; PH off``).
    partial : bool
        For a change: only the given keys are checked and returned (``lon`` and ``lat``
        come together), and no defaults are filled in.

    Returns
    -------
    (dict, list of Problem)
        The cleaned values (empty optional text as None, ``tags`` ``;``-joined) and the
        problems. Keys that are no asset field are ignored here.
    """
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def given(name: str) -> bool:
        return not partial or name in values

    if given("id"):
        out["id"] = _clean_id(values.get("id"), problems)
    texts = dict(values)
    if isinstance(texts.get("tags"), list | tuple):
        texts["tags"] = ";".join(str(tag).strip() for tag in texts["tags"] if str(tag).strip())
    out.update(clean_texts(ASSET_FIELDS, texts, problems, partial=partial))
    if given("type"):
        out["type"] = clean_key(
            "type",
            values.get("type"),
            catalogue().types,
            key="edits.type.unknown",
            problems=problems,
        )
    if not partial or "lon" in values or "lat" in values:
        out.update(_clean_place(values, problems))
    if given("status"):
        status = values.get("status")
        out["status"] = (
            "existing"
            if _is_missing(status) and not partial
            else clean_key(
                "status", status, ASSET_STATUSES, key="edits.status.unknown", problems=problems
            )
        )
    if given("capacity"):
        out["capacity"] = _clean_capacity(values.get("capacity"), problems)
    if given("wheelchair"):
        out["wheelchair"] = _clean_wheelchair(values.get("wheelchair"), problems)
    if given("opening_hours"):
        out["opening_hours"] = _clean_opening_hours(values.get("opening_hours"), problems)
    if not partial and out.get("source") is None:
        out["source"] = OWN_SOURCE
    return out, problems


def check_asset(
    values: Mapping[str, Any], *, lang: Lang = "nl"
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Check an asset form (a new asset, or every field of one being edited).

    Parameters
    ----------
    values : mapping
        The fields as entered (see :func:`asset_problems`); ``lon``/``lat`` from a click on
        the map.
    lang : {"nl", "en"}
        The language of the messages.

    Returns
    -------
    (dict or None, dict)
        The cleaned values, ready for ``Store.add_asset`` / ``Store.update_asset`` (None
        when anything is wrong), and a message per field that needs fixing.
    """
    cleaned, problems = asset_problems(values)
    if problems:
        return None, messages(problems, lang)
    return cleaned, {}


# --- activities ------------------------------------------------------------------------------


def activity_problems(
    values: Mapping[str, Any], *, asset_ids: Iterable[str] | None
) -> tuple[dict[str, Any], list[Problem]]:
    """Return the cleaned activity fields and every problem.

    Parameters
    ----------
    values : mapping
        ``asset_id``, ``title``, ``kind``, ``weekday`` (1..7, 1 = Monday, or a day name),
        ``start`` and ``end`` (``"HH:MM"`` or ``datetime.time``), ``target_group`` (empty
        means :data:`DEFAULT_TARGET_GROUP`), ``organiser``, ``contact``, ``description``,
        ``id`` (optional).
    asset_ids : iterable of str or None
        The places an activity may be at; None skips that check (the store checks it
        against its own table).
    """
    problems: list[Problem] = []
    out: dict[str, Any] = {"id": _clean_id(values.get("id"), problems)}
    if asset_ids is None:
        asset_id = values.get("asset_id")
        ok = isinstance(asset_id, str) and bool(asset_id)
        out["asset_id"] = asset_id if ok else None
        if not ok:
            problems.append(Problem("asset_id", "edits.asset.unknown", asset_id))
    else:
        out["asset_id"] = clean_key(
            "asset_id",
            values.get("asset_id"),
            asset_ids,
            key="edits.asset.unknown",
            problems=problems,
        )
    out.update(clean_texts(ACTIVITY_FIELDS, values, problems))
    out["kind"] = clean_key(
        "kind",
        values.get("kind"),
        catalogue().activity_kinds,
        key="edits.kind.unknown",
        problems=problems,
    )
    try:
        out["weekday"] = parse_weekday(values.get("weekday"))
    except (TypeError, ValueError):
        problems.append(Problem("weekday", "edits.weekday.bad", values.get("weekday")))
    times: dict[str, str] = {}
    for name in ("start", "end"):
        try:
            times[name] = out[name] = parse_time(values.get(name))
        except (TypeError, ValueError):
            problems.append(Problem(name, "edits.time.bad", values.get(name)))
    if len(times) == 2 and times["end"] <= times["start"]:
        problems.append(Problem("end", "edits.time.order", values.get("end")))
    group = values.get("target_group")
    out["target_group"] = (
        DEFAULT_TARGET_GROUP
        if _is_missing(group)
        else clean_key(
            "target_group",
            group,
            catalogue().target_groups,
            key="edits.target_group.unknown",
            problems=problems,
        )
    )
    return out, problems


def check_activity(
    values: Mapping[str, Any], *, asset_ids: Iterable[str], lang: Lang = "nl"
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Check an activity form.

    Parameters
    ----------
    values : mapping
        The fields as entered (see :func:`activity_problems`).
    asset_ids : iterable of str
        The places the activity may be at (the workspace's assets).
    lang : {"nl", "en"}
        The language of the messages.

    Returns
    -------
    (dict or None, dict)
        The cleaned values, ready for ``Store.save_activity`` (None when anything is
        wrong; ``weekday`` an int, times ``"HH:MM"``), and a message per field to fix.
    """
    cleaned, problems = activity_problems(values, asset_ids=list(asset_ids))
    if problems:
        return None, messages(problems, lang)
    return cleaned, {}


# --- place needs and connections -------------------------------------------------------------


def needs_problems(categories: Any, note: Any) -> tuple[tuple[str, ...], str | None, list[Problem]]:
    """Return the cleaned talent category keys and note of a place's needs, and the problems."""
    keys, text, problems = _talents_and_note(clean_keys, "categories", categories, note)
    return keys or (), text, problems


def connection_problems(category: Any, note: Any) -> tuple[str | None, str | None, list[Problem]]:
    """Return the cleaned talent category and note of a connection, and the problems."""
    return _talents_and_note(clean_key, "category", category, note)


def _talents_and_note(
    clean: Callable[..., Any], name: str, value: Any, note: Any
) -> tuple[Any, str | None, list[Problem]]:
    """Check talent category key(s) with ``clean`` and a note: what places ask and are given."""
    problems: list[Problem] = []
    talents = catalogue().talent_categories
    keys = clean(name, value, talents, key="edits.categories.unknown", problems=problems)
    text = clean_text("note", note, max_len=NOTE_MAX_LEN, required=False, problems=problems)
    return keys, text, problems
