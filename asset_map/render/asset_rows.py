"""The assets of a map as compact arrays: every place once, its popup built in the browser.

A map of 50,000 places must stay small (under 5 MB) and quick for the browser to read, so the
places travel as a few columns, not as markers or HTML (``asset_points.js`` reads them):

- ``lat``, ``lon``: whole numbers from an origin ``o = [lat0, lon0, scale]`` (``1e-5``
  degrees, about 1 m): the longitude as an offset, the latitude as a step from the previous
  place (places sorted by type, then from south to north, so the steps are small);
- ``types``: the types present, in the catalogue's order, each with its count ``n``: the
  places of one type follow each other;
- ``name``: every place's name (its tooltip; the workbench matches a click by it);
- ``rec``: a short record per place for its popup (``RECORD_FIELDS``): texts that repeat as
  an index into a table ``T[j]`` of distinct texts, empty fields at a record's end left out;
- ``planned``: the indices of planned places (drawn with a dashed rim);
- ``act``: the places with weekly activities, by index: their number and the list for the
  popup (:func:`asset_map.render.activities.weekly_activities`).

Every text is HTML-escaped here (``esc_series``); the browser only concatenates them.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.i18n import t
from asset_map.model import AssetType, Lang, catalogue
from asset_map.render.layers import esc, esc_series

#: Coordinates are written with this many decimals (1e-5 degrees is about 1 m).
COORD_DECIMALS = 5
#: A place's popup record. The fields most often empty come last, so that trailing empty
#: fields can be left out. The address is sent in two parts, the street and the house
#: number: streets repeat.
RECORD_FIELDS = ("street", "number", "source", "tags", "description", "capacity")
#: Text fields sent as an index into a table of distinct texts when that is shorter.
TABLE_FIELDS = ("street", "source", "tags", "description")
#: Popup descriptions are cut to this many characters (with "…"); the full text is in the
#: workbench's table. Keeps a map of 50,000 places under 5 MB.
POPUP_DESCRIPTION_CHARS = 160
#: The labels a popup uses, sent once per map.
POPUP_LABELS = ("address", "tags", "source", "planned", "capacity")


def asset_data(
    assets: gpd.GeoDataFrame,
    *,
    lang: Lang,
    activities: Mapping[str, tuple[int, str]] | None = None,
) -> tuple[dict[str, object], list[tuple[AssetType, int]]]:
    """Return the page data of ``assets`` and the types present with their counts.

    Places whose type is not in the catalogue are left out. ``assets`` must be in
    EPSG:4326. ``activities`` maps a place id to its weekly activities (their number and
    popup HTML, from :func:`asset_map.render.activities.weekly_activities`).

    Returns
    -------
    data : dict
        The columns described in the module docstring, ready for :func:`compact_json`.
    present : list of (AssetType, int)
        The types on the map, in the catalogue's order, with their number of places.
    """
    cat = catalogue()
    rank_of = {key: j for j, key in enumerate(cat.types)}
    ranks = assets["type"].astype(str).map(rank_of).fillna(-1).to_numpy(dtype=np.int64)
    scale = 10**COORD_DECIMALS
    lat = np.round(assets.geometry.y.to_numpy() * scale).astype(np.int64)
    lon = np.round(assets.geometry.x.to_numpy() * scale).astype(np.int64)
    keep = np.flatnonzero(ranks >= 0)
    # By type, then from south to north (a stable sort keeps equal places in input order).
    order = keep[np.lexsort((lat[keep], ranks[keep]))]
    origin = (int(lat[order].min()), int(lon[order].min()), scale) if len(order) else (0, 0, 1)
    keys = list(cat.types)
    counts = np.bincount(ranks[order], minlength=len(keys))
    present = [(cat.types[keys[j]], int(n)) for j, n in enumerate(counts) if n]

    records, tables = _records(assets, order)
    data: dict[str, object] = {
        "o": list(origin),
        "lat": np.diff(lat[order] - origin[0], prepend=0).tolist(),
        "lon": (lon[order] - origin[1]).tolist(),
        "types": [
            {
                "key": kind.key,
                "n": n,
                "color": kind.color,
                "icon": (
                    f'<span data-layer="{kind.key}" style="background:{kind.color}">'
                    f"{kind.icon}</span>"
                ),
                "title": f"{kind.icon} {esc(kind.label(lang))}",
            }
            for kind, n in present
        ],
        "name": np.asarray(esc_series(assets["name"]), dtype=object)[order].tolist(),
        "rec": records,
        "T": {str(j): table for j, table in tables.items()},
        "planned": np.flatnonzero((assets["status"] == "planned").to_numpy()[order]).tolist(),
        "act": _activities_by_index(assets, order, activities or {}),
        "labels": {k: esc(t(f"popup.{k}", lang)) for k in POPUP_LABELS},
    }
    return data, present


def _activities_by_index(
    assets: gpd.GeoDataFrame, order: np.ndarray, activities: Mapping[str, tuple[int, str]]
) -> dict[str, list[object]]:
    """Return the weekly activities of the places in ``order``, keyed by their index there."""
    if not activities:
        return {}
    ids = assets["id"].astype(str).to_numpy()[order]
    return {str(j): list(activities[i]) for j, i in enumerate(ids) if i in activities}


def _records(
    assets: gpd.GeoDataFrame, order: np.ndarray
) -> tuple[list[list[object]], dict[int, list[str]]]:
    """Return the popup record of each place in ``order`` and the tables of repeated texts.

    Computed with vectorised string kernels for all places at once (a Python loop per
    place is too slow for 50,000).
    """
    capacity = pd.to_numeric(assets["capacity"], errors="coerce")
    columns = {
        **_address_parts(assets["address"]),
        "source": esc_series(assets["source"]),
        "tags": esc_series(assets["tags"].astype("string").str.replace(";", ", ", regex=False)),
        "description": esc_series(_shortened(assets["description"], POPUP_DESCRIPTION_CHARS)),
        "capacity": capacity.round().astype("Int64").astype("string").fillna("").tolist(),
    }
    fields = np.empty((len(order), len(RECORD_FIELDS)), dtype=object)
    tables: dict[int, list[str]] = {}
    for j, name in enumerate(RECORD_FIELDS):
        column = np.asarray(columns[name], dtype=object)[order]
        table = _as_table(column) if name in TABLE_FIELDS else None
        if table is None:
            fields[:, j] = column
        else:
            fields[:, j], tables[j] = table
    return _trimmed(fields), tables


def _address_parts(addresses: pd.Series) -> dict[str, list[str]]:
    """Return the escaped street and house number of each address ("Dorpsstraat", "12a").

    An address that does not end in a house number is all street.
    """
    text = addresses.astype("string").str.strip()
    parts = text.str.rsplit(" ", n=1, expand=True)
    if parts.shape[1] < 2:
        return {"street": esc_series(text), "number": [""] * len(text)}
    numbered = parts[1].str.match(r"\d").fillna(False).to_numpy(dtype=bool)
    street = text.where(~numbered, parts[0])
    number = parts[1].where(numbered, None)
    return {"street": esc_series(street), "number": esc_series(number)}


def _shortened(texts: pd.Series, limit: int) -> pd.Series:
    """Return ``texts`` cut to at most ``limit`` characters at a word, ending in "…"."""
    text = texts.astype("string")
    long = (text.str.len() > limit).fillna(False).to_numpy(dtype=bool)
    if not long.any():
        return text
    start = text[long].str.slice(0, limit - 1)
    # Cut at the last space when there is one in the last quarter, not inside a word.
    cuts = [
        (part[: part.rfind(" ")] if part.rfind(" ") > limit * 3 // 4 else part).rstrip() + "…"
        for part in start.tolist()
    ]
    out = text.copy()
    out[long] = pd.array(cuts, dtype="string")
    return out


def _as_table(values: np.ndarray) -> tuple[list[int], list[str]] | None:
    """Return (index per row, distinct texts) when that is shorter than the texts, else None.

    The empty text is index 0, so an empty field is ``0`` (and can be left off a row's end).
    """
    codes, uniques = pd.factorize(np.concatenate([[""], values]))
    unique_lengths = pd.Series(uniques, dtype="string").str.len().to_numpy()
    inline = int(unique_lengths[codes[1:]].sum()) + 3 * len(values)
    digits = np.floor(np.log10(np.maximum(codes[1:], 1))).astype(np.int64) + 2
    table = int(unique_lengths.sum()) + 3 * len(uniques) + int(digits.sum())
    if table >= inline:
        return None
    return codes[1:].tolist(), [str(u) for u in uniques]


def _trimmed(fields: np.ndarray) -> list[list[object]]:
    """Return the rows of ``fields`` without their trailing empty fields (``""`` or ``0``)."""
    if fields.size == 0:
        return [[] for _ in range(len(fields))]
    filled = (fields != "") & (fields != 0)
    # The length of each row: one past its last filled field (0 when none is filled).
    ends = np.where(filled.any(axis=1), fields.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    return [row[:end] for row, end in zip(fields.tolist(), ends.tolist(), strict=True)]


def swatch(asset_type: AssetType) -> str:
    """Return the HTML of a small round swatch with the type's colour and icon."""
    return (
        f'<span class="am-sw" style="background:{asset_type.color};display:inline-flex;'
        f"width:16px;height:16px;border-radius:50%;align-items:center;justify-content:center;"
        f'font-size:10px">{asset_type.icon}</span>'
    )
