"""Export a selection of places: as CSV, GeoJSON, GeoPackage or a standalone HTML map.

``asset-map export`` and the werkbank's downloads choose places the same way
(:class:`~asset_map.analysis.query.AssetQuery`: wijk, buurt, type, tag, a search text) and
write them with the same writers (:mod:`asset_map.io.export`, :mod:`asset_map.render.map`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import geopandas as gpd

from asset_map._errors import AssetMapError
from asset_map.analysis.areas import select_areas
from asset_map.analysis.query import AssetQuery, filter_assets, unknown_values
from asset_map.i18n import Msg
from asset_map.io.export import write_selection
from asset_map.model import Lang, catalogue
from asset_map.render.map import build_map, map_html
from asset_map.services.freshness import with_freshness
from asset_map.services.workspace import Workspace


@dataclass
class Selection:
    """The places chosen, the areas they are chosen from, and what matched nothing.

    ``absent`` lists type keys and tags that are valid but that no place has (a note, not
    an error).
    """

    assets: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    absent: list[str] = field(default_factory=list)


def unknown_codes(level: str, codes: Sequence[str], known: Sequence[str]) -> Msg:
    """Return the error for ``--wijk`` or ``--buurt`` codes that are not in the workspace.

    ``known`` are the codes there are, in the order to show them; the message lists the
    first 30, so the user can pick one.
    """
    shown = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
    key = "err.cli.unknown_wijk" if level == "wijk" else "err.cli.unknown_buurt"
    return Msg(key, codes=", ".join(codes), known=shown or Msg("note.io.none"))


def select(ws: Workspace, query: AssetQuery, *, now: datetime | None = None) -> Selection:
    """Return the places of ``ws`` that ``query`` chooses, and the areas they lie in.

    When the workspace keeps checks, the places get when they were last checked, how, and
    whether that is too long ago (``model.CHECK_EXPORT_COLUMNS``, measured at ``now``).

    Raises
    ------
    AssetMapError
        For wijk or buurt codes that are not in the workspace, and for type keys that do
        not exist; every problem in one message.
    """
    unknown = unknown_values(query, ws.areas, ws.assets)
    problems: list[Msg] = []
    for level in ("wijk", "buurt"):
        if level in unknown:
            known = ws.areas.loc[ws.areas["level"] == level, "code"].astype(str).tolist()
            problems.append(unknown_codes(level, unknown[level], known))
    types = catalogue().types
    bad_types = [k for k in unknown.get("type", []) if k not in types]
    if bad_types:
        problems.append(
            Msg(
                "err.cli.export.unknown_type",
                types=", ".join(bad_types),
                known=", ".join(types),
            )
        )
    if problems:
        message = problems[0]
        for problem in problems[1:]:
            message = Msg("err.cli.then", first=message, then=problem)
        raise AssetMapError(message)
    absent = [k for k in unknown.get("type", []) if k not in bad_types] + unknown.get("tag", [])
    areas = select_areas(ws.areas, wijken=query.wijken, buurten=query.buurten)
    chosen = with_freshness(ws, filter_assets(ws.assets, query), now=now)
    return Selection(chosen, areas, absent)


def map_bytes(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    lang: Lang,
    basemap: str,
    label: str = "",
) -> bytes:
    """Return a standalone HTML map (Leaflet inlined) of the areas and places, as UTF-8."""
    fmap = build_map(areas, assets, lang=lang, basemap=basemap, attribution=label)
    return map_html(fmap).encode("utf-8")


def write_export(
    selection: Selection,
    out: Path,
    *,
    fmt: str,
    crs: str = "EPSG:4326",
    lang: Lang = "nl",
    basemap: str = "none",
    write_bytes: Callable[[Path, bytes], None] | None = None,
) -> None:
    """Write the selection to ``out``: ``fmt`` ``html`` for a map, else a data format.

    ``write_bytes`` writes the map's bytes safely (the CLI's temporary file beside the
    target); by default they are written directly. The data formats are written through a
    temporary file by :func:`asset_map.io.export.write_selection`.
    """
    if fmt == "html":
        data = map_bytes(selection.areas, selection.assets, lang=lang, basemap=basemap)
        (write_bytes or Path.write_bytes)(out, data)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    write_selection(selection.assets, out, fmt=fmt, crs=crs)
