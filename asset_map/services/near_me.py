"""Near me: from a postcode or a buurt to the places and activities within walking distance.

The "Bij mij in de buurt" screen and ``asset-map flyer`` look a postcode up the same way
(:func:`postcode_point`: the local table first, no internet needed; then PDOK's
Locatieserver, which needs a house number) and find what is near the same way
(:func:`find_nearby`, with the walking time of :data:`asset_map.settings.WALK_MIN`). The
postcode is used once to find a point; nothing of it is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

from asset_map import settings
from asset_map.analysis.nearby import Nearby, buurt_origin, nearby
from asset_map.i18n import Msg
from asset_map.io import postcode
from asset_map.io.postcode import PostcodeError
from asset_map.model import Lang
from asset_map.render.flyer import Nearest, nearby_flyer
from asset_map.services import freshness
from asset_map.services.options import walk_profile
from asset_map.services.workspace import Workspace, postcode_table_path

Point = tuple[float, float]


class PostcodeNeedsNumber(PostcodeError):
    """Not in a local table: an online lookup needs the full postcode and a house number."""


class PostcodeNotFound(PostcodeError):
    """The online lookup failed: no connection, or no such address."""


def postcode_table(ws: Workspace, table: Path | None = None) -> Path | None:
    """Return the local postcode table to use: ``table``, the data folder's, or the demo's.

    Raises
    ------
    AssetMapError
        When ``table`` is given but is no file.
    """
    if table is not None:
        if not table.is_file():
            raise PostcodeError(Msg("err.cli.flyer.no_table_file", path=str(table)))
        return table
    return postcode_table_path(ws)


def postcode_point(
    ws: Workspace,
    code: str,
    house_number: str = "",
    *,
    table: Path | None = None,
    read_table: Callable[[Path], pd.DataFrame] = postcode.read_postcodes,
) -> tuple[Point, str]:
    """Return the point (lon, lat) of a postcode and the postcode as it is shown (``1234 AB``).

    The local table (:func:`postcode_table`) first; else PDOK's Locatieserver, which needs a
    full (PC6) postcode and a house number.

    Parameters
    ----------
    ws : Workspace
        The workspace; a demo workspace uses the bundled demo's table.
    code, house_number : str
        As the resident or the user typed them.
    table : Path, optional
        Another local table (the CLI's ``--postcodes``).
    read_table : callable
        Reads a table (the app passes a cached reader).

    Raises
    ------
    PostcodeError
        When ``code`` is no postcode.
    PostcodeNeedsNumber
        When it is not in a local table and a house number or the full postcode is missing.
    PostcodeNotFound
        When the online lookup fails (no connection, no such address).
    """
    key = postcode.normalise_local(code)
    shown = f"{key[:4]} {key[4:]}".strip()
    path = postcode_table(ws, table)
    if path is not None:
        found = postcode.local_lookup(key, read_table(path))
        if found is not None:
            return found, shown
    if len(key) == 4 or not house_number.strip():
        if path is None:
            raise PostcodeNeedsNumber(Msg("err.cli.flyer.no_table", postcode=code))
        raise PostcodeNeedsNumber(Msg("err.cli.flyer.not_in_table", postcode=code, table=path.name))
    try:
        address = postcode.lookup(key, house_number)
    except PostcodeError as exc:
        problem = exc.args[0] if exc.args else str(exc)
        raise PostcodeNotFound(
            Msg("err.cli.flyer.lookup_failed", postcode=code, problem=problem)
        ) from None
    return (address.lon, address.lat), shown


def buurt_point(ws: Workspace, buurt_code: str) -> tuple[Point, str]:
    """Return the middle of a buurt (a point inside it) and the buurt's name."""
    names = ws.areas.loc[ws.areas["code"].astype(str) == buurt_code, "name"]
    return buurt_origin(ws.areas, buurt_code), str(names.iloc[0])


def find_nearby(
    ws: Workspace,
    origin: Point,
    walk_min: float,
    *,
    profile: str = settings.DEFAULT_PROFILE,
    now: datetime | None = None,
) -> Nearby:
    """Return the meeting places and activities within ``walk_min`` minutes of ``origin``.

    At the speed and detour of the walking ``profile`` (a wheelchair: step-free places
    only); each place says whether it is open at ``now`` (the current time by default).

    Raises
    ------
    AssetMapError
        When ``walk_min`` is out of the range of :data:`asset_map.settings.WALK_MIN`, or the
        profile is unknown (naming ``--profile``).
    """
    settings.WALK_MIN.check(walk_min)
    way = walk_profile(profile)
    return nearby(
        origin,
        ws.assets,
        ws.activities,
        walk_min=walk_min,
        speed_kmh=way.speed_kmh,
        detour=way.detour,
        profile=way.key,
        now=now,
    )


def nearest(ws: Workspace, found: Nearby) -> Nearest | None:
    """Return the nearest meeting place (name, address, walking minutes), if any.

    Looked for within the longest walking time there is (:data:`asset_map.settings.WALK_MIN`),
    at the same walking profile, so it names a place also when none lies within the
    resident's own walk.
    """
    wider = nearby(
        found.origin,
        ws.assets,
        ws.activities,
        walk_min=settings.WALK_MIN.hi,
        speed_kmh=found.speed_kmh,
        detour=found.detour,
        profile=found.profile,
        now=found.now,
    )
    if wider.places.empty:
        return None
    first = wider.places.iloc[0]
    address = first.get("address")
    shown = "" if address is None or pd.isna(address) else str(address)
    return Nearest(str(first["name"]), shown, int(first["walk_min"]))


def nearest_place(ws: Workspace, found: Nearby) -> tuple[str, int] | None:
    """Return the name and walking minutes of the nearest place, if any (see :func:`nearest`)."""
    found_one = nearest(ws, found)
    return None if found_one is None else (found_one.name, found_one.walk_min)


def flyer(
    ws: Workspace,
    found: Nearby,
    *,
    place_label: str,
    lang: Lang = "nl",
    made_by: str | None = None,
    contact: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """Return the one-page A4 flyer (PDF) of what is near.

    Places that nobody checked in the period of ``ASSET_MAP_CHECK_MONTHS`` are left off,
    with their activities (:func:`asset_map.services.freshness.for_flyer`): a flyer goes on
    paper to people who cannot see online that a place has closed. The flyer names the
    nearest meeting place when none is within the walk, gives whom to ask (``contact``, else
    ``ASSET_MAP_CONTACT``, else the gemeente's general number) and carries the demo label
    when the workspace is the made-up demo.

    Raises
    ------
    AssetMapError
        When ``ASSET_MAP_CONTACT`` is set wrong.
    """
    checked = freshness.for_flyer(ws, found, now=now)
    label = str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else ""
    return nearby_flyer(
        checked,
        place_label=place_label,
        lang=lang,
        made_by=made_by,
        nearest=nearest(ws, checked),
        contact=contact or settings.contact(),
        demo_label=label or None,
    )
