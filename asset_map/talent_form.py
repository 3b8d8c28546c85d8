"""The residents' talent form: check every field and say, per field, what to fix.

Pure Python (no streamlit), so the same rules hold in the app, the CLI and the tests. The
messages are Dutch at B1 level by default (English available) and name the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from asset_map.model import WISHES, Lang, catalogue
from asset_map.storage.talents import TalentSubmission

MAX_NICKNAME = 40
MAX_DESCRIPTION = 500
MAX_AVAILABILITY = 100
MAX_CONTACT = 120
MAX_CATEGORIES = 5

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{8,16}$")

MESSAGES: dict[str, dict[Lang, str]] = {
    "nickname.empty": {
        "nl": "Vul een naam of bijnaam in. Een voornaam is genoeg.",
        "en": "Fill in a name or nickname. A first name is enough.",
    },
    "nickname.long": {
        "nl": "Uw naam is te lang. Gebruik hoogstens {n} tekens.",
        "en": "Your name is too long. Use at most {n} characters.",
    },
    "categories.empty": {
        "nl": "Kies minstens één talent uit de lijst. Staat uw talent er niet bij? Kies wat "
        "er het meest op lijkt en schrijf uw talent bij 'Iets anders'.",
        "en": "Choose at least one talent from the list. Is yours not there? Choose the "
        "closest one and write your talent under 'Something else'.",
    },
    "categories.many": {
        "nl": "Kies hoogstens {n} talenten.",
        "en": "Choose at most {n} talents.",
    },
    "description.long": {
        "nl": "Uw tekst is te lang. Gebruik hoogstens {n} tekens.",
        "en": "Your text is too long. Use at most {n} characters.",
    },
    "availability.long": {
        "nl": "Dit is te lang. Gebruik hoogstens {n} tekens.",
        "en": "This is too long. Use at most {n} characters.",
    },
    "wishes.empty": {
        "nl": "Kies wat u met uw talent wilt doen.",
        "en": "Choose what you would like to do with your talent.",
    },
    "buurt.empty": {
        "nl": "Kies uw buurt, of klik op de kaart waar u woont.",
        "en": "Choose your buurt, or click on the map where you live.",
    },
    "buurt.outside": {
        "nl": "Deze plek ligt niet in de gemeente. Kies een buurt uit de lijst.",
        "en": "This place is not in the municipality. Choose a buurt from the list.",
    },
    "contact.invalid": {
        "nl": "Dit is geen e-mailadres of telefoonnummer. Voorbeeld: naam@voorbeeld.nl of "
        "06 12345678. U mag dit vak ook leeg laten.",
        "en": "This is not an e-mail address or phone number. Example: name@example.nl or "
        "06 12345678. You may also leave this empty.",
    },
    "contact.long": {
        "nl": "Dit is te lang. Gebruik hoogstens {n} tekens.",
        "en": "This is too long. Use at most {n} characters.",
    },
    "consent.missing": {
        "nl": "Zet een vinkje als u het goed vindt dat wij uw gegevens bewaren. "
        "Zonder vinkje kunnen wij uw talent niet opslaan.",
        "en": "Tick the box if you agree that we keep your details. "
        "Without the tick we cannot save your talent.",
    },
}


@dataclass(frozen=True)
class TalentForm:
    """What a resident filled in, as the form hands it over (unchecked)."""

    nickname: str = ""
    categories: tuple[str, ...] = ()
    other: str = ""
    description: str = ""
    wishes: tuple[str, ...] = ()
    availability: str = ""
    buurt_code: str | None = None
    contact: str = ""
    consent: bool = False


def message(key: str, lang: Lang = "nl", **values: object) -> str:
    """Return the text of a form message in ``lang``."""
    text = MESSAGES[key][lang]
    return text.format(**values) if values else text


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
        needs fixing (empty when all is well). Text is kept verbatim apart from trimming
        spaces at both ends (also control characters and markup: they are stored as
        typed and escaped wherever they are shown, not here).
    """
    errors: dict[str, str] = {}
    nickname = form.nickname.strip()
    other = form.other.strip()
    description = form.description.strip()
    if other:
        description = f"{other}. {description}".strip() if description else other
    availability = form.availability.strip()
    contact = form.contact.strip()

    if not nickname:
        errors["nickname"] = message("nickname.empty", lang)
    elif len(nickname) > MAX_NICKNAME:
        errors["nickname"] = message("nickname.long", lang, n=MAX_NICKNAME)
    known = set(catalogue().talent_categories)
    categories = tuple(dict.fromkeys(c for c in form.categories if c in known))
    if not categories:
        errors["categories"] = message("categories.empty", lang)
    elif len(categories) > MAX_CATEGORIES:
        errors["categories"] = message("categories.many", lang, n=MAX_CATEGORIES)
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = message("description.long", lang, n=MAX_DESCRIPTION)
    wishes = tuple(dict.fromkeys(w for w in form.wishes if w in WISHES))
    if not wishes:
        errors["wishes"] = message("wishes.empty", lang)
    if len(availability) > MAX_AVAILABILITY:
        errors["availability"] = message("availability.long", lang, n=MAX_AVAILABILITY)
    codes = set(buurt_codes)
    if not form.buurt_code:
        errors["buurt"] = message("buurt.empty", lang)
    elif form.buurt_code not in codes:
        errors["buurt"] = message("buurt.outside", lang)
    if contact and len(contact) > MAX_CONTACT:
        errors["contact"] = message("contact.long", lang, n=MAX_CONTACT)
    elif contact and not (EMAIL.match(contact) or PHONE.match(contact)):
        errors["contact"] = message("contact.invalid", lang)
    if not form.consent:
        errors["consent"] = message("consent.missing", lang)
    if errors:
        return None, errors
    return (
        TalentSubmission(
            nickname=nickname,
            categories=categories,
            description=description,
            wishes=wishes,
            availability=availability,
            buurt_code=str(form.buurt_code),
            contact=contact or None,
        ),
        {},
    )


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
