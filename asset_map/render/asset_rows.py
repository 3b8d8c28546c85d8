"""The asset layers of a map: each place as a short row of escaped fields, one layer per type.

A map of 50,000 places must stay under 5 MB, so a row is kept short: coordinates as whole
numbers from an origin (the latitude as a step from the previous row, rows sorted from
south to north), texts that repeat (streets, sources, tags) as an index into a table of
the layer's distinct texts, long descriptions cut for the popup, and empty fields at a
row's end left out. The popup is built in the browser from the pre-escaped fields.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.i18n import t
from asset_map.model import AssetType, Lang
from asset_map.render.layers import PointLayer, esc, esc_series

#: Coordinates are written with this many decimals (1e-5 degrees is about 1 m).
COORD_DECIMALS = 5
#: Row layout of an asset layer: the fields that are most often empty come last, so that
#: trailing empty fields can be left out of a row.
#: The address is sent in two parts, the street and the house number: streets repeat.
ROW_FIELDS = (
    "lat", "lon", "name", "street", "number", "source", "tags", "description", "capacity",
    "planned",
)  # fmt: skip
#: Text fields sent as an index into a per-layer table of distinct texts when that is shorter.
TABLE_FIELDS = ("street", "source", "tags", "description")
#: Popup descriptions are cut to this many characters (with "…"); the full text is in the
#: workbench's table. Keeps a map of 50,000 places under 5 MB.
POPUP_DESCRIPTION_CHARS = 160
_COL = {name: j for j, name in enumerate(ROW_FIELDS)}


def asset_fields(assets: gpd.GeoDataFrame) -> tuple[np.ndarray, tuple[int, int, int]]:
    """Return every asset's row fields, escaped, as an object array (one row per asset).

    Row layout: ``ROW_FIELDS``; the coordinates as whole numbers from an origin (returned
    as ``(lat0, lon0, scale)``; :func:`asset_layer` turns the latitude into steps, see
    :class:`PointLayer`); ``planned`` is 0/1.

    Computed once for all assets with vectorised string kernels, then sliced per type:
    per-type frames would copy the geometry column once per type.
    """
    scale = 10**COORD_DECIMALS
    lat = np.round(assets.geometry.y.to_numpy() * scale).astype(np.int64)
    lon = np.round(assets.geometry.x.to_numpy() * scale).astype(np.int64)
    origin = (int(lat.min()), int(lon.min()), scale) if len(assets) else (0, 0, scale)
    capacity = pd.to_numeric(assets["capacity"], errors="coerce")
    capacity_text = capacity.round().astype("Int64").astype("string").fillna("")
    columns = {
        "lat": (lat - origin[0]).tolist(),
        "lon": (lon - origin[1]).tolist(),
        "name": esc_series(assets["name"]),
        **_address_parts(assets["address"]),
        "source": esc_series(assets["source"]),
        "tags": esc_series(assets["tags"].astype("string").str.replace(";", ", ", regex=False)),
        "description": esc_series(_shortened(assets["description"], POPUP_DESCRIPTION_CHARS)),
        "capacity": capacity_text.tolist(),
        "planned": (assets["status"] == "planned").astype(int).tolist(),
    }
    fields = np.empty((len(assets), len(ROW_FIELDS)), dtype=object)
    for j, name in enumerate(ROW_FIELDS):
        fields[:, j] = columns[name]
    return fields, origin


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


def asset_layer(
    fields: np.ndarray,
    asset_type: AssetType,
    *,
    origin: tuple[int, int, int],
    lang: Lang,
    cluster: bool,
    vendor_base: str,
) -> PointLayer:
    """One layer for one asset type: rows of escaped fields, popups built in the browser."""
    type_html = f"{asset_type.icon} {esc(asset_type.label(lang))}"
    labels = {
        k: json.dumps(esc(t(f"popup.{k}", lang)))
        for k in ("address", "tags", "source", "planned", "capacity")
    }

    # Sources, tags (and in some data addresses or descriptions) repeat: such a column is
    # sent as a table of its distinct texts plus an index per row, when that is shorter.
    # Sorted from south to north, so each row holds a small step in latitude.
    fields = fields[np.argsort(fields[:, 0].astype(np.int64), kind="stable")]
    lats = fields[:, 0].astype(np.int64)
    fields[:, 0] = np.diff(lats, prepend=0).tolist()
    tables: dict[int, list[str]] = {}
    value = {name: f"r[{j}]" for name, j in _COL.items()}
    for name in TABLE_FIELDS:
        j = _COL[name]
        table = _as_table(fields[:, j])
        if table is not None:
            fields[:, j], tables[j] = table
            value[name] = f"T[{j}][r[{j}]]"

    value["address"] = (
        f"({value['street']} + (r[{_COL['number']}] ? ' ' + r[{_COL['number']}] : ''))"
    )

    def meta(name: str, test: str | None = None) -> str:
        return (
            f"if ({test or value[name]}) h += '<div class=\"am-meta\">' + {labels[name]} "
            f"+ ': ' + {value[name]} + '</div>';"
        )

    popup_js = (
        f'var h = \'<div class="am-popup"><div class="am-type">\' + {json.dumps(type_html)}'
        f" + '</div><div class=\"am-name\">' + {value['name']} + '</div>';"
        f"if ({value['planned']}) h += '<div class=\"am-meta\"><b>' + {labels['planned']}"
        " + '</b></div>';"
        f"if ({value['description']}) h += '<div>' + {value['description']} + '</div>';"
        + meta("address", test=value["street"])
        + meta("tags")
        + meta("capacity")
        + meta("source")
        + "return h + '</div>';"
    )
    return PointLayer(
        _trimmed(fields),
        name=f"{swatch(asset_type)} {esc(asset_type.label(lang))} ({len(fields)})",
        popup_js=popup_js,
        tables=tables,
        icon_html=(
            f'<span data-layer="{asset_type.key}" style="background:{asset_type.color}">'
            f"{asset_type.icon}</span>"
        ),
        color=asset_type.color,
        layer_key=asset_type.key,
        cluster=cluster,
        tooltip_index=_COL["name"],
        planned_index=_COL["planned"],
        vendor_base=vendor_base,
        origin=origin,
    )


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
    """Return the rows of ``fields`` without their trailing empty fields (``""`` or ``0``).

    The first three fields (the place and the name) are always kept.
    """
    filled = np.ones(fields.shape, dtype=bool)
    for j in range(3, fields.shape[1]):
        column = fields[:, j]
        filled[:, j] = (column != "") & (column != 0)
    # The length of each row: one past its last filled field.
    ends = fields.shape[1] - np.argmax(filled[:, ::-1], axis=1)
    return [row[:end] for row, end in zip(fields.tolist(), ends.tolist(), strict=True)]


def swatch(asset_type: AssetType) -> str:
    """Return the HTML of a small round swatch with the type's colour and icon."""
    return (
        f'<span class="am-sw" style="background:{asset_type.color};display:inline-flex;'
        f"width:16px;height:16px;border-radius:50%;align-items:center;justify-content:center;"
        f'font-size:10px">{asset_type.icon}</span>'
    )
