"""CBS wijken and buurten of one gemeente, downloaded from PDOK and read as the area layer.

Downloading (:mod:`asset_map.io._pdok`) is apart from parsing (:func:`parse_pages`), which runs
offline on recorded pages. :func:`fetch_areas` writes what it downloaded to a GeoPackage and
reads it back through :func:`asset_map.io.read_areas`, so the PDOK column mapping and the
geometry and key-figure hygiene (CBS's negative sentinels become missing) apply unchanged.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd

from asset_map._errors import AssetMapError, DownloadError
from asset_map.crs import STORAGE_CRS
from asset_map.i18n import Msg
from asset_map.io._pdok import (
    Progress,
    fetch_collection,
    fetch_pages,
    items_url,
    what_pdok,
)
from asset_map.io.areas import read_areas
from asset_map.io.formats import ImportResult
from asset_map.settings import DEFAULT_PDOK_URL

#: The years of the wijk- en buurtkaart PDOK serves as OGC API Features, newest first
#: (https://www.pdok.nl/ogc-apis/-/article/cbs-wijken-en-buurten). The first is the default.
YEARS = (2025, 2024, 2023)

GEMEENTE_CODE = re.compile(r"^\s*(?:GM)?\s*([0-9]{1,4})\s*$", re.IGNORECASE)
#: The levels fetch_areas downloads, as (PDOK collection, GeoPackage layer).
LEVELS = (("wijken", "wijken"), ("buurten", "buurten"))


class GemeenteError(AssetMapError):
    """A gemeente name or code is not known."""


#: Names people use for a gemeente whose CBS name differs, in :func:`_plain` form -> the
#: CBS name (also in plain form). Spelling variants without the apostrophe, accents or
#: dots need no entry: :func:`_plain` removes those.
ALIASES = {
    "den haag": "s gravenhage",
    "the hague": "s gravenhage",
    "haag": "s gravenhage",
    "sgravenhage": "s gravenhage",
    "gravenhage": "s gravenhage",
    "den bosch": "s hertogenbosch",
    "bosch": "s hertogenbosch",
    "shertogenbosch": "s hertogenbosch",
    "hertogenbosch": "s hertogenbosch",
    "bergen noord holland": "bergen nh",
    "bergen limburg": "bergen l",
    "nuenen": "nuenen gerwen en nederwetten",
    "sittard": "sittard geleen",
    "geleen": "sittard geleen",
}
#: Names shared by more than one gemeente: the user has to choose (CBS names).
AMBIGUOUS = {"bergen": ("Bergen (NH.)", "Bergen (L.)")}


def _plain(name: str) -> str:
    """Return a name without case, accents, apostrophes, dots, brackets or hyphens."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`.(),]", "", text).replace("-", " ")
    return " ".join(text.split())


def gemeente_code(name_or_code: str, *, gemeenten: Mapping[str, str] | None = None) -> str:
    """Return the CBS code (``"GM0150"``) of a gemeente given by name or code.

    Names are compared without case, accents, apostrophes and hyphens, and the names people
    use beside the CBS name are known (:data:`ALIASES`: ``"Den Haag"`` is ``'s-Gravenhage``,
    ``"Den Bosch"`` is ``'s-Hertogenbosch``).

    Parameters
    ----------
    name_or_code : str
        ``"Deventer"``, ``"deventer"``, ``"Den Haag"``, ``"GM0150"``, ``"gm0150"``,
        ``"0150"`` or ``"150"``.
    gemeenten : mapping of str to str, optional
        Code -> name of every gemeente (see :func:`fetch_gemeenten`). Names are looked up
        here; a code is accepted without it. When omitted and a name is given, the table is
        downloaded from PDOK.

    Raises
    ------
    GemeenteError
        For an empty input, a name shared by two gemeenten (Bergen), or a name or code not
        in the table, listing close matches.
    """
    text = name_or_code.strip()
    if not text:
        raise GemeenteError(Msg("err.cbs.no_gemeente"))
    match = GEMEENTE_CODE.match(text)
    if match:
        code = f"GM{int(match.group(1)):04d}"
        if gemeenten is None or code in gemeenten:
            return code
        raise GemeenteError(
            Msg("err.cbs.unknown_code", text=text, suggest=_suggest(text, gemeenten))
        )
    plain = _plain(text)
    if plain in AMBIGUOUS:
        raise GemeenteError(
            Msg("err.cbs.ambiguous", text=text, options=" / ".join(AMBIGUOUS[plain]))
        )
    if gemeenten is None:
        gemeenten = fetch_gemeenten()
    by_name = {_plain(name): code for code, name in gemeenten.items()}
    found = by_name.get(plain) or by_name.get(ALIASES.get(plain, ""))
    if found is not None:
        return found
    raise GemeenteError(Msg("err.cbs.unknown_name", text=text, suggest=_suggest(text, gemeenten)))


def _suggest(text: str, gemeenten: Mapping[str, str]) -> str:
    names = {_plain(name): f"{name} ({code})" for code, name in gemeenten.items()}
    close = difflib.get_close_matches(_plain(text), list(names), n=5, cutoff=0.6)
    close += difflib.get_close_matches(text.upper(), list(gemeenten), n=3, cutoff=0.8)
    shown = [names.get(c, f"{gemeenten.get(c, '')} ({c})") for c in close]
    if not shown:
        return ""
    return Msg("note.cbs.did_you_mean", names=", ".join(dict.fromkeys(shown)))


def fetch_gemeenten(
    *, year: int = 2024, base: str = DEFAULT_PDOK_URL, timeout_s: float = 60
) -> dict[str, str]:
    """Download the code -> name table of every gemeente from the ``gemeenten`` collection.

    This downloads every gemeente's boundary too (the API has no lighter answer); call it once
    and pass the table to :func:`gemeente_code`.
    """
    url = items_url("gemeenten", "", year=year, base=base)
    what = Msg("note.download.gemeenten")
    frame = parse_pages(fetch_pages(url, timeout_s=timeout_s, what=what))
    if "gemeentecode" not in frame or "gemeentenaam" not in frame:
        detail = Msg("err.io.gemeenten_columns")
        raise DownloadError(Msg("err.download.bad_answer", what=what, url=url, detail=detail))
    return {
        str(code): str(name)
        for code, name in zip(frame["gemeentecode"], frame["gemeentenaam"], strict=True)
        if isinstance(code, str) and isinstance(name, str)
    }


def parse_pages(pages: list[bytes]) -> gpd.GeoDataFrame:
    """Concatenate OGC API Features pages (GeoJSON in CRS84) into one frame in EPSG:4326.

    Parameters
    ----------
    pages : list of bytes
        Raw ``items`` pages, as :func:`asset_map.io._pdok.fetch_pages` returns them.

    Returns
    -------
    GeoDataFrame
        One row per feature, the feature's properties as columns, in EPSG:4326.

    Raises
    ------
    DownloadError
        When a page is not a GeoJSON FeatureCollection, naming the page.
    """
    features: list[dict] = []
    for number, body in enumerate(pages, start=1):
        try:
            page = json.loads(body)
        except ValueError as error:
            detail = Msg("err.io.page_not_json", page=number, reason=str(error))
            raise DownloadError(_bad_page(detail)) from error
        if not isinstance(page, dict) or not isinstance(page.get("features"), list):
            raise DownloadError(_bad_page(Msg("err.io.page_not_collection", page=number)))
        features += page["features"]
    if not features:
        return gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=STORAGE_CRS)}, crs=STORAGE_CRS)
    return gpd.GeoDataFrame.from_features(features, crs=STORAGE_CRS)


def _bad_page(detail: str) -> Msg:
    return Msg("err.download.bad_answer", what=what_pdok(), url="PDOK", detail=detail)


def fetch_areas(
    gemeente: str,
    *,
    year: int = 2024,
    base: str = DEFAULT_PDOK_URL,
    folder: Path | None = None,
    progress: Progress | None = None,
    timeout_s: float = 60,
) -> ImportResult:
    """Download a gemeente's wijken and buurten with their key figures.

    Parameters
    ----------
    gemeente : str
        The CBS gemeente code (``GM0150``, ``0150``) or name (``Deventer``; this downloads
        the table of gemeenten first, see :func:`fetch_gemeenten`).
    year : int
        The year of the wijk- en buurtkaart.
    base : str
        The API's landing page, ``{year}`` filled in.
    folder : Path, optional
        Where the GeoPackage ``cbs_<code>_<year>.gpkg`` (layers ``wijken`` and ``buurten``) is
        written; a new temporary folder when omitted.
    progress : callable, optional
        Called after each page with the features received so far in this collection and
        ``numberMatched``.
    timeout_s : float
        Seconds to wait for each page.

    Returns
    -------
    ImportResult
        Wijken then buurten, as :func:`asset_map.io.read_areas` reads them.

    Raises
    ------
    AssetMapError
        :class:`DownloadError` when a download fails, :class:`GemeenteError` when PDOK has no
        areas for the gemeente, or what ``read_areas`` raises. Nothing is left in ``folder``.
    """
    known = GEMEENTE_CODE.match(gemeente) or _plain(gemeente) in AMBIGUOUS  # no table needed
    table = None if known else fetch_gemeenten(year=year, base=base)
    code = gemeente_code(gemeente, gemeenten=table)
    frames = {
        layer: parse_pages(
            fetch_collection(
                collection, code, year=year, base=base, timeout_s=timeout_s, progress=progress
            )
        )
        for collection, layer in LEVELS
    }
    if all(frame.empty for frame in frames.values()):
        raise GemeenteError(Msg("err.cbs.no_areas", code=code, year=year))
    target = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="cbs-"))
    target.mkdir(parents=True, exist_ok=True)
    final = target / f"cbs_{code}_{year}.gpkg"
    scratch = Path(tempfile.mkdtemp(prefix=".cbs-", dir=target))
    try:
        path = scratch / final.name
        for layer, frame in frames.items():
            if not frame.empty:
                frame.to_file(path, layer=layer, driver="GPKG")
        # One read of both layers: one note names the water parts of both levels.
        result = read_areas(path)
        os.replace(path, final)
    except BaseException:
        if folder is None:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    notes: list[str] = [Msg("note.cbs.downloaded", year=year, file=final.name)]
    return ImportResult(result.frame, notes + result.notes)
