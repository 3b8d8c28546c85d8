"""Postcode and house number to buurt, through PDOK's Locatieserver (for users online).

Parsing is apart from fetching, so it runs offline on a recorded answer. Only the buurt code
is kept: the address and its coordinates are used once and forgotten.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from asset_map._errors import AssetMapError

LOCATIESERVER_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
HOUSE_NUMBER = re.compile(r"^\s*([0-9]{1,5})\s*([A-Za-z]?)\s*$")
TIMEOUT_S = 8.0


class PostcodeError(AssetMapError):
    """A postcode lookup failed: bad input, unknown address, or no connection."""


@dataclass(frozen=True)
class Address:
    """What the lookup returns: the buurt, and a point to place it (not stored)."""

    label: str
    lon: float
    lat: float
    buurt_code: str | None
    gemeente_code: str | None


def normalise(postcode: str, house_number: str) -> tuple[str, str]:
    """Return ``("1234AB", "12")`` or raise PostcodeError saying what is wrong."""
    pc = POSTCODE.match(postcode or "")
    if not pc:
        raise PostcodeError(
            f"'{postcode}' is not a Dutch postcode. A postcode has 4 digits and 2 letters, "
            "e.g. 7411 AB."
        )
    number = HOUSE_NUMBER.match(house_number or "")
    if not number:
        raise PostcodeError(
            f"'{house_number}' is not a house number. Use digits, e.g. 12 (a letter may follow)."
        )
    return f"{pc.group(1)}{pc.group(2).upper()}", number.group(1)


def query_url(postcode: str, house_number: str, base_url: str = LOCATIESERVER_URL) -> str:
    """Return the Locatieserver URL for one address."""
    pc, number = normalise(postcode, house_number)
    params = {
        "q": f"postcode:{pc} and huisnummer:{number}",
        "fq": "type:adres",
        "rows": "1",
        "fl": "weergavenaam,centroide_ll,buurtcode,gemeentecode",
    }
    return f"{base_url}?{urllib.parse.urlencode(params)}"


def parse_answer(payload: bytes | str) -> Address | None:
    """Parse a Locatieserver ``free`` answer; None when it found no address."""
    try:
        data = json.loads(payload)
        docs = data["response"]["docs"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PostcodeError(f"The address service gave an answer we cannot read ({exc}).") from None
    if not docs:
        return None
    doc = docs[0]
    point = re.match(r"POINT\(([-0-9.]+) ([-0-9.]+)\)", str(doc.get("centroide_ll", "")))
    if not point:
        raise PostcodeError("The address service gave no location for this address.")
    gemeente = doc.get("gemeentecode")
    return Address(
        label=str(doc.get("weergavenaam", "")),
        lon=float(point.group(1)),
        lat=float(point.group(2)),
        buurt_code=str(doc["buurtcode"]).upper() if doc.get("buurtcode") else None,
        gemeente_code=f"GM{int(gemeente):04d}" if str(gemeente or "").isdigit() else gemeente,
    )


def lookup(postcode: str, house_number: str, *, base_url: str = LOCATIESERVER_URL) -> Address:
    """Look an address up online.

    Raises
    ------
    PostcodeError
        Bad postcode or number, address not found, or no connection (the message says the
        resident can choose the buurt from the list instead).
    """
    url = query_url(postcode, house_number, base_url)
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            payload = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PostcodeError(
            f"The address service cannot be reached ({getattr(exc, 'reason', exc)}). "
            "Choose your buurt from the list instead."
        ) from None
    address = parse_answer(payload)
    if address is None:
        pc, number = normalise(postcode, house_number)
        raise PostcodeError(
            f"No address found for {pc} {number}. Check the postcode and house number, or "
            "choose your buurt from the list."
        )
    return address
