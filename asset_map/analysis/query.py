"""The planner's filter: which assets a view shows, kept in the URL so a view can be shared.

An :class:`AssetQuery` holds the choices (wijken, buurten, asset types, tags, a search text);
:meth:`AssetQuery.to_params` and :meth:`AssetQuery.from_params` turn it into URL query
parameters and back (``?wijk=WK999901&wijk=WK999902&type=buurthuis&q=koor``), and
:func:`filter_assets` applies it. A shared URL may name codes this workspace does not have:
:func:`unknown_values` lists them so the screen can say so instead of showing nothing.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import geopandas as gpd
import pandas as pd

from asset_map._errors import require_columns
from asset_map.i18n import Msg

#: Field of :class:`AssetQuery` -> its URL query parameter.
PARAM_NAMES = {"wijken": "wijk", "buurten": "buurt", "types": "type", "tags": "tag", "text": "q"}
#: Longest search text kept from a URL; a longer one is cut.
MAX_TEXT = 200


@dataclass(frozen=True)
class AssetQuery:
    """A filter on assets: AND across the fields, OR within a field; empty means "all".

    Attributes
    ----------
    wijken, buurten : tuple of str
        CBS codes (``WK...``, ``BU...``) of the areas to show.
    types : tuple of str
        Asset type keys (``buurthuis``, ``speelplek``, ...).
    tags : tuple of str
        Tags; an asset matches when it has at least one of them (case-insensitive).
    text : str
        Searched in name and description, ignoring case and accents.
    """

    wijken: tuple[str, ...] = ()
    buurten: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        for name in ("wijken", "buurten", "types", "tags"):
            object.__setattr__(self, name, _clean(getattr(self, name)))
        object.__setattr__(self, "text", " ".join(str(self.text or "").split())[:MAX_TEXT])

    def to_params(self) -> dict[str, list[str]]:
        """Return the URL query parameters; empty fields are left out.

        Returns
        -------
        dict
            ``"wijk"``, ``"buurt"``, ``"type"``, ``"tag"`` -> the values (repeated keys in
            the URL), ``"q"`` -> ``[text]``.
        """
        params: dict[str, list[str]] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            values = [value] if isinstance(value, str) else list(value)
            values = [v for v in values if v]
            if values:
                params[PARAM_NAMES[field.name]] = values
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> AssetQuery:
        """Build a query from URL query parameters (e.g. ``st.query_params``).

        Parameters
        ----------
        params : mapping
            ``"wijk"``, ``"buurt"``, ``"type"``, ``"tag"``: one value, a list of values
            (repeated keys) or comma-joined values; ``"q"``: the search text. Other keys are
            ignored.
        """
        values: dict[str, object] = {}
        for name, key in PARAM_NAMES.items():
            raw = params.get(key)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else [str(v) for v in raw]
            if name == "text":
                values[name] = " ".join(items)
            else:
                values[name] = tuple(part for item in items for part in item.split(","))
        return cls(**values)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        """Return whether the query chooses nothing (and so shows all assets)."""
        return not (self.wijken or self.buurten or self.types or self.tags or self.text)


def _clean(values: Iterable[str] | str) -> tuple[str, ...]:
    """Return the values stripped, without blanks and repeats, in their first order."""
    if isinstance(values, str):
        values = [values]
    return tuple(dict.fromkeys(s for s in (str(v).strip() for v in values) if s))


def fold(text: object) -> str:
    """Return ``text`` in lower case without accents, for matching (``"Ideeën"`` -> ``"ideeen"``).

    Missing values give ``""``.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _tag_sets(tags: pd.Series) -> list[set[str]]:
    return [{fold(part).strip() for part in fold(v).split(";")} - {""} for v in tags]


def filter_assets(assets: gpd.GeoDataFrame, query: AssetQuery) -> gpd.GeoDataFrame:
    """Return the assets that match ``query`` (a filtered copy; the input is not changed).

    Parameters
    ----------
    assets : GeoDataFrame
        Canonical assets with ``buurt_code`` and ``wijk_code``
        (:func:`asset_map.analysis.areas.assign_areas`; the workspace's assets have them).
    query : AssetQuery
        The choices: AND across fields, OR within a field. Tags are matched on the
        ``;``-joined ``tags`` column, case-insensitively; the text is a substring of the
        name or the description, ignoring case and accents.

    Raises
    ------
    SchemaError
        When the query chooses wijken or buurten and the assets lack their code columns.
    """
    mask = pd.Series(True, index=assets.index)
    for field, column in (("wijken", "wijk_code"), ("buurten", "buurt_code")):
        chosen = getattr(query, field)
        if not chosen:
            continue
        require_columns(
            assets.columns, [column], Msg("err.what.assets"), Msg("err.columns.fix.assign_areas")
        )
        mask &= assets[column].isin(chosen).fillna(False).astype(bool)
    if query.types:
        mask &= assets["type"].isin(query.types)
    if query.tags:
        wanted = {fold(tag) for tag in query.tags}
        mask &= pd.Series(
            [bool(tags & wanted) for tags in _tag_sets(assets["tags"])], index=assets.index
        )
    if query.text:
        needle = fold(query.text)
        haystack = [
            f"{fold(name)}\n{fold(desc)}"
            for name, desc in zip(assets["name"], assets["description"], strict=True)
        ]
        mask &= pd.Series([needle in text for text in haystack], index=assets.index)
    return assets[mask.to_numpy(dtype=bool)].copy()


def tag_options(assets: gpd.GeoDataFrame) -> list[str]:
    """Return the distinct tags of ``assets`` (the ``;``-joined ``tags`` column), sorted.

    Tags that differ only in case or surrounding spaces are one tag (the first spelling).
    """
    seen: dict[str, str] = {}
    for value in assets["tags"].dropna():
        for part in str(value).split(";"):
            tag = part.strip()
            if tag:
                seen.setdefault(fold(tag), tag)
    return sorted(seen.values(), key=fold)


def unknown_values(
    query: AssetQuery, areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame
) -> dict[str, list[str]]:
    """Return what a (shared) query names that this workspace lacks.

    Parameters
    ----------
    query : AssetQuery
        The query, e.g. from a URL made on another workspace.
    areas : GeoDataFrame
        The workspace's areas (``code``, ``level``).
    assets : GeoDataFrame
        The workspace's assets (``type``, ``tags``).

    Returns
    -------
    dict
        URL parameter name (``"wijk"``, ``"buurt"``, ``"type"``, ``"tag"``) -> the values
        not found, in query order; parameters with nothing unknown are left out. A type
        counts as unknown when no asset has it.
    """
    known = {
        "wijk": set(areas.loc[areas["level"] == "wijk", "code"].astype(str)),
        "buurt": set(areas.loc[areas["level"] == "buurt", "code"].astype(str)),
        "type": set(assets["type"].dropna().astype(str)),
        "tag": {fold(tag) for tag in tag_options(assets)},
    }
    asked = {"wijk": query.wijken, "buurt": query.buurten, "type": query.types, "tag": query.tags}
    out: dict[str, list[str]] = {}
    for key, values in asked.items():
        missing = [v for v in values if (fold(v) if key == "tag" else v) not in known[key]]
        if missing:
            out[key] = missing
    return out
