"""Postcode and house number to buurt, through PDOK's Locatieserver (for users online).

Parsing is apart from fetching, so it runs offline on a recorded answer. Only the buurt code
is kept: the address and its coordinates are used once and forgotten.

A local postcode table (``postcodes.csv``: ``postcode, lon, lat, buurt_code``) answers first,
without internet: :func:`local_lookup`. The demo gemeente's table holds made-up postcodes
that start with 0 (real Dutch postcodes start at 1000), so they can never be a real address.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from asset_map._errors import AssetMapError, SchemaError

LOCATIESERVER_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
HOUSE_NUMBER = re.compile(r"^\s*([0-9]{1,5})\s*([A-Za-z]?)\s*$")
TIMEOUT_S = 8.0
#: A postcode as a local table may hold it: PC6 (``1234AB``) or PC4 (``1234``); a leading 0
#: is allowed here for made-up postcodes (the demo's), never sent to PDOK.
LOCAL_POSTCODE = re.compile(r"^\s*([0-9]{4})\s?([A-Za-z]{2})?\s*$")
POSTCODE_TABLE_COLUMNS = ("postcode", "lon", "lat", "buurt_code")


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


# --- the local postcode table ------------------------------------------------------------------


def normalise_local(postcode: str) -> str:
    """Return ``"1234AB"`` (PC6) or ``"1234"`` (PC4); a leading 0 is allowed.

    Raises
    ------
    PostcodeError
        When ``postcode`` is neither 4 digits nor 4 digits and 2 letters.
    """
    found = LOCAL_POSTCODE.match(postcode or "")
    if not found:
        raise PostcodeError(
            f"'{postcode}' is not a postcode. A postcode has 4 digits and 2 letters, e.g. 7411 AB."
        )
    return found.group(1) + (found.group(2) or "").upper()


def read_postcodes(path: str | Path) -> pd.DataFrame:
    """Read a local postcode table (CSV: ``postcode, lon, lat, buurt_code``).

    Postcodes are read as text (a leading 0 stays) and normalised to ``1234AB``.

    Raises
    ------
    SchemaError
        When a column is missing or a row has no valid postcode or coordinates; the message
        names the file, the row and the column.
    """
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return check_postcodes(table, where=path.name)


def check_postcodes(table: pd.DataFrame, *, where: str = "postcode table") -> pd.DataFrame:
    """Return a normalised copy of a postcode table (PC6 keys, float ``lon``/``lat``).

    Raises
    ------
    SchemaError
        When a column is missing or a value does not fit; every problem at once.
    """
    missing = [c for c in POSTCODE_TABLE_COLUMNS[:3] if c not in table.columns]
    if missing:
        raise SchemaError(
            f"{where}: column(s) {', '.join(missing)} missing. A postcode table needs the "
            f"columns {', '.join(POSTCODE_TABLE_COLUMNS)}."
        )
    keys = table["postcode"].astype(str).str.replace(" ", "", regex=False).str.upper()
    lon = pd.to_numeric(table["lon"], errors="coerce")
    lat = pd.to_numeric(table["lat"], errors="coerce")
    problems = []
    for i, (key, x, y) in enumerate(zip(keys, lon, lat, strict=True)):
        if not re.fullmatch(r"[0-9]{4}[A-Z]{2}", key):
            problems.append(f"row {i + 2}, column 'postcode': '{key}' is not 4 digits + 2 letters")
        elif not (-180 <= x <= 180 and -90 <= y <= 90):
            problems.append(f"row {i + 2}, columns 'lon'/'lat': not WGS84 degrees")
    if problems:
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        raise SchemaError(f"{where}: {shown}. Fix these rows or leave them out.")
    out = table.copy()
    out["postcode"], out["lon"], out["lat"] = keys, lon.astype(float), lat.astype(float)
    if "buurt_code" not in out.columns:
        out["buurt_code"] = None
    return out.reset_index(drop=True)


def local_lookup(postcode: str, table: pd.DataFrame) -> tuple[float, float] | None:
    """Return the point (lon, lat) of a postcode from a local table, or None when it is absent.

    A PC6 (``1234 AB``) is looked up as it is; a PC4 (``1234``) gives the mean point of the
    table's postcodes with those digits.

    Parameters
    ----------
    postcode : str
        As a resident types it: spaces and lower case are fine.
    table : DataFrame
        ``postcode, lon, lat`` (``buurt_code`` optional), e.g. from :func:`read_postcodes`.

    Raises
    ------
    PostcodeError
        When ``postcode`` is not a postcode at all.
    """
    key = normalise_local(postcode)
    codes = table["postcode"].astype(str).str.replace(" ", "", regex=False).str.upper()
    hits = table[codes == key] if len(key) == 6 else table[codes.str[:4] == key]
    if hits.empty:
        return None
    lon = pd.to_numeric(hits["lon"], errors="coerce").mean()
    lat = pd.to_numeric(hits["lat"], errors="coerce").mean()
    if pd.isna(lon) or pd.isna(lat):
        return None
    return float(lon), float(lat)
