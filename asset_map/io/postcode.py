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
from asset_map._errors import where as _where
from asset_map.i18n import Msg
from asset_map.io.cells import list_some

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
        raise PostcodeError(Msg("err.io.postcode_dutch", postcode=postcode))
    number = HOUSE_NUMBER.match(house_number or "")
    if not number:
        raise PostcodeError(Msg("err.io.house_number", number=house_number))
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
        raise PostcodeError(Msg("err.io.address_unreadable", reason=str(exc))) from None
    if not docs:
        return None
    doc = docs[0]
    point = re.match(r"POINT\(([-0-9.]+) ([-0-9.]+)\)", str(doc.get("centroide_ll", "")))
    if not point:
        raise PostcodeError(Msg("err.io.address_no_location"))
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
        reason = str(getattr(exc, "reason", exc))
        raise PostcodeError(Msg("err.io.address_offline", reason=reason)) from None
    address = parse_answer(payload)
    if address is None:
        pc, number = normalise(postcode, house_number)
        raise PostcodeError(Msg("err.io.address_not_found", postcode=pc, number=number))
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
        raise PostcodeError(Msg("err.io.postcode", postcode=postcode))
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


def check_postcodes(table: pd.DataFrame, *, where: str | None = None) -> pd.DataFrame:
    """Return a normalised copy of a postcode table (PC6 keys, float ``lon``/``lat``).

    Raises
    ------
    SchemaError
        When a column is missing or a value does not fit; every problem at once.
    """
    where = where or Msg("note.io.postcode_table")
    missing = [c for c in POSTCODE_TABLE_COLUMNS[:3] if c not in table.columns]
    if missing:
        raise SchemaError(
            Msg(
                "err.io.postcode_columns",
                where=where,
                missing=", ".join(missing),
                columns=", ".join(POSTCODE_TABLE_COLUMNS),
            )
        )
    keys = table["postcode"].astype(str).str.replace(" ", "", regex=False).str.upper()
    lon = pd.to_numeric(table["lon"], errors="coerce")
    lat = pd.to_numeric(table["lat"], errors="coerce")
    problems: list[str] = []
    for i, (key, x, y) in enumerate(zip(keys, lon, lat, strict=True)):
        if not re.fullmatch(r"[0-9]{4}[A-Z]{2}", key):
            here = _where(None, row=i + 2, column="postcode")
            problems.append(Msg("err.io.postcode_cell", where=here, value=key))
        elif not (-180 <= x <= 180 and -90 <= y <= 90):
            here = _where(None, row=i + 2)
            problems.append(Msg("err.io.postcode_lon_lat", where=here))
    if problems:
        shown = list_some(problems, semicolons=True)
        raise SchemaError(Msg("err.io.postcode_rows", where=where, problems=shown))
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
