"""The residents' suggestion form: a new place, a group, or a correction of a stored place.

Pure Python (no streamlit), so the form, Beoordelen (a wijkmanager's edit) and the store
share these rules. The messages (``suggest.err.*`` in ``texts/suggestions.toml``) are Dutch
at B1 level by default (English available); each belongs to one field. The text checks are
those of the talent form (:func:`asset_map.rules.talent_form.text_problem`).

Where a place is, the form finds through ``locate`` (the service passes
:func:`asset_map.analysis.private_places.locate` over the workspace's areas): it says in which
buurt a point lies and where the place may be shown. A private home is shown at the middle of
its buurt or wijk, so the exact point never reaches the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from asset_map.i18n import t
from asset_map.model import SUGGESTION_FIELDS, Lang, catalogue, text_limits
from asset_map.rules.talent_form import EMAIL, PHONE, text_problem

KINDS = ("place", "group", "correction")
CORRECTIONS = ("closed", "moved", "hours", "name")
#: The most characters of each field a resident types (``model.SUGGESTION_FIELDS``).
LIMITS = text_limits(SUGGESTION_FIELDS)
MAX_NAME, MAX_DESCRIPTION, MAX_SCHEDULE = LIMITS["name"], LIMITS["description"], LIMITS["schedule"]
MAX_ADDRESS, MAX_CONTACT = LIMITS["address"], LIMITS["contact"]
#: The asset types of a group (association, residents' initiative, activity).
GROUP_GROUP = "verenigingen"
#: The source of every place residents suggested, once a wijkmanager accepted it.
RESIDENTS_SOURCE = "bewoners"

#: ``locate(lon, lat, private_home)`` -> (buurt code, shown lon, shown lat), or None outside.
Locate = Callable[[float, float, bool], tuple[str | None, float, float] | None]


def types_for(kind: str) -> list[str]:
    """Return the asset types a resident may choose for a new place or for a group."""
    cat = catalogue()
    if kind == "group":
        return [k for k, v in cat.types.items() if v.group == GROUP_GROUP]
    return [k for k, v in cat.types.items() if v.group not in (GROUP_GROUP, "talenten")]


@dataclass(frozen=True)
class SuggestionForm:
    """What a resident filled in, as the form hands it over (unchecked).

    ``lon``/``lat`` come from a click on the map or a postcode (with house number) looked up;
    ``private_home`` says the place is at someone's home.
    """

    kind: str | None = None
    correction: str | None = None
    asset_id: str | None = None
    type: str | None = None
    name: str = ""
    description: str = ""
    schedule: str = ""
    lon: float | None = None
    lat: float | None = None
    private_home: bool = False
    address: str = ""
    contact: str = ""
    consent: bool = False


@dataclass(frozen=True)
class SuggestionSubmission:
    """A checked suggestion, as the store keeps it.

    ``lon``/``lat`` are where it may be shown (a private home: its buurt's middle); for a
    correction of kind ``closed``, ``hours`` or ``name`` they are None. ``address`` is None
    for a private home.
    """

    kind: str
    correction: str | None
    asset_id: str | None
    type: str | None
    name: str | None
    description: str | None
    schedule: str | None
    lon: float | None
    lat: float | None
    private_home: bool
    buurt_code: str | None
    address: str | None
    contact: str | None


#: Fields of a suggestion a wijkmanager may edit before accepting it.
EDIT_FIELDS = ("type", "name", "description", "schedule", "address")


def _text(name: str, value: object, limit: int, lang: Lang, errors: dict[str, str]) -> str | None:
    text = str(value or "").strip()
    problem = text_problem(text, lang)
    if problem is None and len(text) > limit:
        problem = t("suggest.err.long", lang, n=limit)
    if problem is not None:
        errors[name] = problem
        return None
    return text or None


def check_suggestion(
    form: SuggestionForm,
    *,
    locate: Locate,
    asset_ids: Iterable[str],
    lang: Lang = "nl",
) -> tuple[SuggestionSubmission | None, dict[str, str]]:
    """Check every field of the form.

    Parameters
    ----------
    form : SuggestionForm
        The fields as entered.
    locate : callable
        ``locate(lon, lat, private_home)``: the buurt of a point and where it may be shown,
        or None outside the gemeente.
    asset_ids : iterable of str
        The stored places a correction may be about.
    lang : {"nl", "en"}
        The language of the messages.

    Returns
    -------
    (SuggestionSubmission or None, dict)
        The checked suggestion (None when anything is wrong) and a message per field that
        needs fixing (``kind``, ``asset``, ``correction``, ``type``, ``name``,
        ``description``, ``schedule``, ``where``, ``address``, ``contact``, ``consent``).
    """
    errors: dict[str, str] = {}
    kind = form.kind if form.kind in KINDS else None
    if kind is None:
        errors["kind"] = t("suggest.err.kind", lang)
    correction = None
    asset_id = None
    if kind == "correction":
        asset_id = form.asset_id if form.asset_id in set(asset_ids) else None
        if asset_id is None:
            errors["asset"] = t("suggest.err.asset", lang)
        correction = form.correction if form.correction in CORRECTIONS else None
        if correction is None:
            errors["correction"] = t("suggest.err.correction", lang)
    type_key = None
    if kind in ("place", "group"):
        type_key = form.type if form.type in types_for(str(kind)) else None
        if type_key is None:
            errors["type"] = t("suggest.err.type", lang)
    name = _text("name", form.name, MAX_NAME, lang, errors)
    wants_name = kind in ("place", "group") or correction == "name"
    if name is None and "name" not in errors and wants_name:
        errors["name"] = t("suggest.err.name", lang)
    description = _text("description", form.description, MAX_DESCRIPTION, lang, errors)
    if description is None and "description" not in errors and kind in ("place", "group"):
        errors["description"] = t("suggest.err.description", lang)
    schedule = _text("schedule", form.schedule, MAX_SCHEDULE, lang, errors)
    if schedule is None and "schedule" not in errors and correction == "hours":
        errors["schedule"] = t("suggest.err.schedule", lang)
    needs_place = kind in ("place", "group") or correction == "moved"
    private = bool(form.private_home) and kind in ("place", "group")
    found = None
    if needs_place:
        if form.lon is None or form.lat is None:
            errors["where"] = t("suggest.err.where", lang)
        else:
            found = locate(float(form.lon), float(form.lat), private)
            if found is None:
                errors["where"] = t("suggest.err.outside", lang)
    address = None if private else _text("address", form.address, MAX_ADDRESS, lang, errors)
    contact = _text("contact", form.contact, MAX_CONTACT, lang, errors)
    if contact and not (EMAIL.match(contact) or PHONE.match(contact)):
        errors["contact"] = t("suggest.err.contact", lang)
    if not form.consent:
        errors["consent"] = t("suggest.err.consent", lang)
    if errors or kind is None:
        return None, errors
    if kind == "correction" and correction != "name":
        name = None
    return (
        SuggestionSubmission(
            kind=kind,
            correction=correction,
            asset_id=asset_id,
            type=type_key,
            name=name,
            description=description,
            schedule=schedule if correction in (None, "hours") else None,
            lon=found[1] if found else None,
            lat=found[2] if found else None,
            private_home=private,
            buurt_code=found[0] if found else None,
            address=address if needs_place else None,
            contact=contact,
        ),
        {},
    )


def check_edit(
    suggestion: Mapping[str, Any], values: Mapping[str, Any], *, lang: Lang = "nl"
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Check a wijkmanager's edit of a suggestion with the form's rules and messages.

    Parameters
    ----------
    suggestion : mapping
        The stored suggestion (``kind``, ``correction``, ``private_home``).
    values : mapping
        New values of :data:`EDIT_FIELDS` (only those given are checked and returned).
    lang : {"nl", "en"}
        The language of the messages.

    Returns
    -------
    (dict or None, dict)
        The checked values (None when anything is wrong) and a message per field.
    """
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    kind = str(suggestion.get("kind"))
    for name in EDIT_FIELDS:
        if name not in values:
            continue
        if name == "type":
            if kind in ("place", "group") and values["type"] not in types_for(kind):
                errors["type"] = t("suggest.err.type", lang)
            out["type"] = values["type"] if kind in ("place", "group") else None
            continue
        if name == "address" and suggestion.get("private_home"):
            out["address"] = None
            continue
        out[name] = _text(name, values[name], LIMITS[name], lang, errors)
    needs_name = kind in ("place", "group") or suggestion.get("correction") == "name"
    if "name" in out and out["name"] is None and needs_name and "name" not in errors:
        errors["name"] = t("suggest.err.name", lang)
    return (None, errors) if errors else (out, {})
