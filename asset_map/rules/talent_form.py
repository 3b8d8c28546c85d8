"""The residents' talent form: check every field and say, per field, what to fix.

Pure Python (no streamlit), so the same rules hold in the app, the moderation screen and
the tests. The messages (``talent.*`` in ``texts/talents.toml``) are Dutch at B1 level by
default (English available); each belongs to one field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from asset_map.i18n import t
from asset_map.model import TALENT_FIELDS, WISHES, Lang, catalogue, text_limits

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{8,16}$")
#: Unicode categories nobody sees: controls, format characters (zero-width space, bidi
#: marks), separators, combining marks on their own, private use and unassigned.
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
#: The form's text fields and their most characters (the store's limits).
TEXT_FIELDS = text_limits(TALENT_FIELDS)
#: The most talent categories one resident gives.
MAX_CATEGORIES = TALENT_FIELDS["categories"].most or 0


@dataclass(frozen=True)
class TalentSubmission:
    """What a resident submits; validated by the form, checked again by the store.

    The fields are ``model.TALENT_FIELDS``, with their limits.

    Attributes
    ----------
    nickname : str
        First name or nickname (not empty).
    categories : tuple of str
        At least one key of ``catalogue().talent_categories``.
    description : str
        May be empty.
    wishes : tuple of str
        Keys of ``model.WISHES`` (may be empty).
    availability : str
        May be empty.
    buurt_code : str
        CBS buurt code, ``BU`` and 8 digits; the finest location a talent has.
    contact : str, optional
        E-mail or phone for the wijkmanager only; never public.
    """

    nickname: str
    categories: tuple[str, ...]
    description: str
    wishes: tuple[str, ...]
    availability: str
    buurt_code: str
    contact: str | None = None


@dataclass(frozen=True)
class TalentForm:
    """What a resident filled in, as the form hands it over (unchecked)."""

    nickname: str = ""
    categories: tuple[str, ...] = ()
    description: str = ""
    wishes: tuple[str, ...] = ()
    availability: str = ""
    buurt_code: str | None = None
    contact: str = ""
    consent: bool = False


def text_problem(text: str, lang: Lang = "nl") -> str | None:
    """Return what is wrong with a trimmed text a resident typed, or None.

    Refused: a NUL character (no database stores it), a lone surrogate (a broken character
    no database can encode) and text of only invisible characters (a zero-width space as a
    name). Other control characters and markup are kept verbatim and escaped where shown.
    """
    if "\x00" in text:
        return t("talent.text_nul", lang)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return t("talent.text_broken", lang)
    if text and all(unicodedata.category(ch) in INVISIBLE for ch in text):
        return t("talent.text_invisible", lang)
    return None


def _too_long(name: str, n: int, lang: Lang) -> str:
    if name == "nickname":
        return t("talent.nickname_long", lang, n=n)
    if name == "description":
        return t("talent.text_long", lang, n=n)
    return t("talent.field_long", lang, n=n)


def _text_errors(texts: Mapping[str, str], lang: Lang) -> dict[str, str]:
    """Check the text fields: broken or invisible characters first, then the length."""
    errors: dict[str, str] = {}
    for name, text in texts.items():
        problem = text_problem(text, lang)
        if problem is None and len(text) > TEXT_FIELDS[name]:
            problem = _too_long(name, TEXT_FIELDS[name], lang)
        if problem is not None:
            errors[name] = problem
    if "nickname" not in errors and not texts["nickname"]:
        errors["nickname"] = t("talent.nickname_empty", lang)
    return errors


def check_talent(
    form: TalentForm, *, buurt_codes: Iterable[str], lang: Lang = "nl"
) -> tuple[TalentSubmission | None, dict[str, str]]:
    """Check every field of the form.

    Parameters
    ----------
    form : TalentForm
        The fields as entered.
    buurt_codes : iterable of str
        The buurten of this gemeente; a buurt outside it is refused.
    lang : {"nl", "en"}
        The language of the messages.

    Returns
    -------
    (TalentSubmission or None, dict)
        The checked talent (None when anything is wrong) and a message per field that
        needs fixing (empty when all is well), in the order of the form. Text is kept
        verbatim apart from trimming spaces at both ends (control characters and markup are
        stored as typed and escaped wherever they are shown), but see :func:`text_problem`.
    """
    texts = {name: str(getattr(form, name) or "").strip() for name in TEXT_FIELDS}
    found = _text_errors(texts, lang)
    errors: dict[str, str] = {}
    if "nickname" in found:
        errors["nickname"] = found["nickname"]
    known = set(catalogue().talent_categories)
    categories = tuple(dict.fromkeys(c for c in form.categories if c in known))
    if not categories:
        errors["categories"] = t("talent.categories_empty", lang)
    elif len(categories) > MAX_CATEGORIES:
        errors["categories"] = t("talent.categories_many", lang, n=MAX_CATEGORIES)
    if "description" in found:
        errors["description"] = found["description"]
    wishes = tuple(dict.fromkeys(w for w in form.wishes if w in WISHES))
    if not wishes:
        errors["wishes"] = t("talent.wishes_empty", lang)
    if "availability" in found:
        errors["availability"] = found["availability"]
    if not form.buurt_code:
        errors["buurt"] = t("talent.buurt_empty", lang)
    elif form.buurt_code not in set(buurt_codes):
        errors["buurt"] = t("talent.buurt_outside", lang)
    contact = texts["contact"]
    if "contact" in found:
        errors["contact"] = found["contact"]
    elif contact and not (EMAIL.match(contact) or PHONE.match(contact)):
        errors["contact"] = t("talent.contact_invalid", lang)
    if not form.consent:
        errors["consent"] = t("talent.consent_missing", lang)
    if errors:
        return None, errors
    return (
        TalentSubmission(
            nickname=texts["nickname"],
            categories=categories,
            description=texts["description"],
            wishes=wishes,
            availability=texts["availability"],
            buurt_code=str(form.buurt_code),
            contact=contact or None,
        ),
        {},
    )


def check_edit(
    values: Mapping[str, Any], *, buurt_codes: Iterable[str], lang: Lang = "nl"
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Check a moderator's edit of a talent with the same rules and messages as the form.

    Parameters
    ----------
    values : mapping
        ``nickname``, ``categories`` and ``wishes`` (tuples of keys), ``description``,
        ``availability``, ``buurt_code`` and ``contact``, as the edit boxes hold them.
    buurt_codes : iterable of str
        The buurten of this gemeente.
    lang : {"nl", "en"}
        The language of the messages.

    Returns
    -------
    (dict or None, dict)
        The checked values as ``Store.edit_talent`` takes them (None when anything is
        wrong), and a message per field (the buurt's under ``"buurt"``).
    """
    form = TalentForm(
        nickname=str(values.get("nickname") or ""),
        categories=tuple(values.get("categories") or ()),
        description=str(values.get("description") or ""),
        wishes=tuple(values.get("wishes") or ()),
        availability=str(values.get("availability") or ""),
        buurt_code=values.get("buurt_code") or None,
        contact=str(values.get("contact") or ""),
        consent=True,
    )
    checked, errors = check_talent(form, buurt_codes=buurt_codes, lang=lang)
    if checked is None:
        return None, errors
    return {name: getattr(checked, name) for name in TALENT_FIELDS}, {}


def buurt_for_point(lon: float, lat: float, buurten: Mapping[str, object]) -> str | None:
    """Return the code of the buurt polygon (shapely geometry, EPSG:4326) holding a point.

    The point itself is not kept anywhere: only the buurt code is.
    """
    from shapely.geometry import Point

    point = Point(lon, lat)
    for code, geometry in buurten.items():
        if geometry is not None and geometry.covers(point):  # type: ignore[attr-defined]
            return code
    return None
