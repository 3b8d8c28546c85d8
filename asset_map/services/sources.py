"""Bring real data into the workspace: a gemeente from PDOK and OpenStreetMap, or own files.

Everything is downloaded and read first; :func:`combine` then puts it into the current
workspace by one rule (the same gemeente: areas and re-delivered sources replaced, other
sources kept; another gemeente or the demo: replaced whole), and the result is saved at the
end, in one transaction (:meth:`asset_map.storage.Store.save_workspace`). A download that
fails halfway therefore leaves the workspace as it was.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError, ImportFormatError, SchemaError
from asset_map.analysis.area_levels import (
    LevelMerge,
    files_of_levels,
    keep_levels,
    levels_of,
    merge_levels,
    with_levels,
)
from asset_map.analysis.duplicates import find_duplicates, merge_duplicates
from asset_map.crs import to_storage_crs
from asset_map.i18n import Msg
from asset_map.io import ImportResult, join_figures, read_assets
from asset_map.io._overpass import OVERPASS_URL, fetch_overpass, overpass_query
from asset_map.io._pdok import PDOK_BASE
from asset_map.io.cbs import fetch_areas, gemeente_code
from asset_map.io.figures import CODE_COLUMNS
from asset_map.io.formats import list_some, read_table, text_cell
from asset_map.io.osm import (
    OSM_ATTRIBUTION,
    boundary_areas,
    parse_overpass_json,
    read_osm_pbf,
    read_overpass_turbo_geojson,
)
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS
from asset_map.storage.layers import FOOTPRINT

if TYPE_CHECKING:
    from asset_map.storage import Store

Progress = Callable[[str], None]


@dataclass
class Loaded:
    """Layers ready to be saved, with their sources and what happened on the way."""

    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    meta: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)


def osm_kind(path: str | Path) -> str | None:
    """Return ``"pbf"``, ``"overpass"`` or ``"turbo"`` for an OpenStreetMap export, else None.

    ``.osm.pbf``/``.pbf`` and ``.osm`` (XML) files; JSON with an ``elements`` list (an
    Overpass API answer); GeoJSON whose features carry an ``@id`` like ``node/123`` (an
    overpass-turbo export).
    """
    path = Path(path)
    if path.name.lower().endswith((".pbf", ".osm")):
        return "pbf"
    if path.suffix.lower() not in {".json", ".geojson"}:
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # the ordinary reader gives the precise error
    if isinstance(data, dict) and isinstance(data.get("elements"), list):
        return "overpass"
    features = data.get("features") if isinstance(data, dict) else None
    if isinstance(features, list) and features:
        props = features[0].get("properties") or {}
        if "@id" in props or str(features[0].get("id", "")).startswith(("node/", "way/")):
            return "turbo"
    return None


def read_any_assets(
    path: str | Path,
    *,
    mapping: Any = None,
    crs: str | None = None,
    source: str | None = None,
    layer: str | None = None,
    type_key: str | None = None,
) -> ImportResult:
    """Read assets from our formats, or from an OpenStreetMap export (detected by content).

    ``layer`` and ``type_key`` are passed to :func:`asset_map.io.read_assets` (our formats
    only: OpenStreetMap exports carry their own types).
    """
    kind = osm_kind(path)
    if kind == "pbf":
        result = read_osm_pbf(path)
    elif kind == "overpass":
        result = parse_overpass_json(Path(path).read_bytes())
    elif kind == "turbo":
        result = read_overpass_turbo_geojson(path)
    else:
        return read_assets(
            path, mapping=mapping, crs=crs, source=source, layer=layer, type_key=type_key
        )
    frame = result.frame[ASSET_COLUMNS].copy()
    if "osm_polygon" in result.frame.columns:  # ways and relations: keep their outline
        frame[FOOTPRINT] = result.frame["osm_polygon"]
    label = "xml" if Path(path).name.lower().endswith(".osm") else kind
    note = Msg("note.sources.osm_read", file=Path(path).name, kind=label)
    return ImportResult(frame, [note, *result.notes])


def cbs_source(year: int) -> dict[str, Any]:
    """Return the source entry of the CBS wijk- en buurtkaart of ``year``."""
    return {
        "name": f"CBS/Kadaster wijk- en buurtkaart {year} (PDOK)",
        "licence": "CC BY 4.0",
        "year": year,
        "layer": "areas",
    }


def osm_source() -> dict[str, Any]:
    """Return the source entry of OpenStreetMap (ODbL: the attribution must be shown)."""
    return {
        "name": OSM_ATTRIBUTION,
        "licence": "ODbL 1.0",
        "year": date.today().year,
        "layer": "assets",
    }


def _gemeente_names(folder: Path) -> pd.Series:
    """Return the gemeente names in the downloaded GeoPackage (PDOK's ``gemeentenaam``)."""
    for gpkg in folder.glob("*.gpkg"):
        frame = gpd.read_file(gpkg, layer="wijken")
        if "gemeentenaam" in frame.columns:
            return frame["gemeentenaam"].dropna()
    return pd.Series(dtype="str")


def fetch_gemeente(
    gemeente: str,
    *,
    year: int = 2024,
    osm: bool = True,
    pdok_base: str = PDOK_BASE,
    overpass_url: str = OVERPASS_URL,
    progress: Progress | None = None,
    pages: Callable[[int, int | None], None] | None = None,
) -> Loaded:
    """Download a gemeente's wijken and buurten (CBS, PDOK) and its assets (OpenStreetMap).

    ``progress`` is told each step; ``pages`` is called after each PDOK page with the areas
    received so far in that collection and how many there are (None when PDOK does not say).
    OpenStreetMap's boundary of the gemeente is looked up by ``ref:gemeentecode`` (padded or
    not), else by the gemeente's CBS name; when it has none, a note says so and only the
    wijken and buurten are loaded.

    Raises
    ------
    AssetMapError
        A subclass that names what failed (no internet, HTTP status, unknown gemeente).
    """
    say = progress or (lambda _message: None)
    say(Msg("note.download.pdok"))
    with tempfile.TemporaryDirectory() as tmp:
        areas = fetch_areas(gemeente, year=year, base=pdok_base, folder=Path(tmp), progress=pages)
        code = areas.frame.loc[areas.frame["level"] == "wijk", "parent_code"].dropna()
        gm = str(code.iloc[0]) if len(code) else gemeente_code(gemeente)
        names = _gemeente_names(Path(tmp))
    sources = [cbs_source(year)]
    assets = gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")
    notes = list(areas.notes)
    if osm:
        say(Msg("note.download.osm"))
        payload = fetch_overpass(overpass_query(gemeente_code=gm), url=overpass_url)
        name = str(names.iloc[0]) if len(names) else None
        if not boundary_areas(payload) and name:  # no boundary with the code: try the name
            payload = fetch_overpass(overpass_query(name), url=overpass_url)
        found = _parse_overpass(payload) if boundary_areas(payload) else None
        if not boundary_areas(payload):
            number = gm.removeprefix("GM").lstrip("0") or "0"
            notes.append(
                Msg("note.sources.osm_no_boundary", code=gm, number=number, name=name or gm)
            )
        elif found is None:
            notes.append(Msg("note.sources.osm_empty"))
        else:
            assets = found.frame[ASSET_COLUMNS].copy()
            if "osm_polygon" in found.frame.columns:
                assets[FOOTPRINT] = found.frame["osm_polygon"]
            notes += found.notes
            sources.append(osm_source())
    meta = {
        "name": str(names.iloc[0]) if len(names) else gm,
        "gemeentecode": gm,
        "is_demo": False,
        "sources": sources,
    }
    return Loaded(areas.frame[AREA_COLUMNS], assets, meta, notes)


def gemeente_of(loaded: Loaded) -> str | None:
    """Return the CBS code of the gemeente ``loaded`` is about (``"GM0150"``), or None.

    The code in ``meta["gemeentecode"]`` when given, else the gemeente most wijken and buurten
    belong to (CBS codes hold it: ``WK015004`` and ``BU01500401`` are in ``GM0150``).
    """
    code = loaded.meta.get("gemeentecode")
    if code:
        return str(code).upper()
    codes = loaded.areas["code"].dropna().astype(str).str.upper() if len(loaded.areas) else None
    if codes is None:
        return None
    digits = codes[codes.str.match(r"^(WK|BU)\d{6}")].str[2:6]
    gemeenten = codes[codes.str.match(r"^GM\d{4}$")].str[2:6]
    found = digits if len(digits) else gemeenten
    return f"GM{found.value_counts().index[0]}" if len(found) else None


def replaces_other_gemeente(current: Loaded | None, new: Loaded) -> str | None:
    """Return the name of the gemeente that ``new`` would replace whole, or None.

    :func:`combine` replaces the workspace whole, the user's own lists too, when ``new`` is
    about another gemeente than the stored, non-demo ``current``: ask before doing that.
    """
    if current is None or current.meta.get("is_demo"):
        return None
    here, there = gemeente_of(current), gemeente_of(new)
    if here and there and here != there:
        return str(current.meta.get("name") or here)
    return None


def _parse_overpass(payload: bytes) -> ImportResult | None:
    """Parse an Overpass answer; None when it holds no element of an asset type."""
    try:
        return parse_overpass_json(payload)
    except ImportFormatError as exc:
        try:
            data = json.loads(payload)
        except ValueError:
            raise exc from None  # not an answer at all: the parser's message says so
        if isinstance(data, dict) and isinstance(data.get("elements"), list):
            return None
        raise


def area_levels(current: Loaded | None, new: Loaded) -> LevelMerge | None:
    """Return how :func:`combine` would put the new areas beside the stored ones, or None.

    None when ``new`` brings no areas, or replaces the workspace whole (there is none yet,
    it is the demo, or another gemeente). Otherwise see
    :func:`asset_map.analysis.area_levels.merge_levels`: a non-empty ``removed`` means that
    stored areas of another level do not fit the new ones; ask before combining with
    ``replace_levels=True``.
    """
    if current is None or not len(new.areas) or current.meta.get("is_demo"):
        return None
    here, there = gemeente_of(current), gemeente_of(new)
    if here and there and here != there:
        return None
    return merge_levels(current.areas, new.areas, files=files_of_levels(new.meta, new.areas))


def combine(
    current: Loaded | None,
    new: Loaded,
    *,
    replace_assets: bool = False,
    replace_levels: bool = False,
) -> Loaded:
    """Put ``new`` layers into the ``current`` workspace: the one rule for fetch and import.

    - No workspace yet: ``new`` is the workspace.
    - The demo, or another gemeente than ``current`` (see :func:`gemeente_of`): ``new``
      replaces the workspace whole, with a note saying so.
    - Otherwise new areas replace the current ones of the same level(s) (wijken replace
      wijken); the current areas of other levels stay when they fit (a buurt's wijk is
      among the wijken), with the key figures joined onto them. A note says per level what
      was added, replaced and kept (:func:`area_levels`). Stored areas that do not fit the
      new ones are removed only with ``replace_levels``. The ``meta["sources"]`` entries of
      areas and figures say which levels they are about (``levels``); an entry whose levels
      are all replaced goes. Assets are kept per source:
      the current assets of a source that ``new`` brings again (e.g. OpenStreetMap on a
      second fetch, or a file imported again under the same source name) are replaced by the
      new list; other sources stay. An id only has to be unique within its source: new rows
      whose id another source already uses get a new id (a short slug of their source in
      front). Likely duplicates across sources (same type, within 30 m, similar names) are
      merged; ``decisions`` lists every pair found and what was done with it.

    Parameters
    ----------
    current : Loaded or None
        The workspace as stored (:func:`current`), or None when there is none.
    new : Loaded
        What was just downloaded or read.
    replace_assets : bool
        Drop all current assets, not just those of the sources ``new`` brings again.
    replace_levels : bool
        Remove stored areas of another level that do not fit the new areas (the user said
        yes); without it they are refused.

    Returns
    -------
    Loaded
        The workspace to save; ``notes`` (:class:`~asset_map.i18n.Msg`) say what was
        replaced, renamed and merged.

    Raises
    ------
    SchemaError
        When stored areas of another level do not fit the new ones and ``replace_levels``
        is not given; the message names the file and what would go.
    """
    if current is None:
        return replace(new, meta=with_levels(new.meta, new.areas))
    here, there = gemeente_of(current), gemeente_of(new)
    if current.meta.get("is_demo"):
        note = Msg("note.sources.demo_replaced", name=new.meta.get("name") or there or "")
        return replace(new, meta=with_levels(new.meta, new.areas), notes=[*new.notes, note])
    if here and there and here != there:
        note = Msg(
            "note.sources.other_gemeente",
            old=current.meta.get("name") or here,
            new=new.meta.get("name") or there,
        )
        return replace(new, meta=with_levels(new.meta, new.areas), notes=[*new.notes, note])
    notes: list[str] = list(new.notes)
    levels = area_levels(current, new)
    areas = current.areas
    if levels is not None:
        if levels.removed and not replace_levels:
            raise SchemaError(
                Msg("err.areas.levels_do_not_fit", why=levels.misfit, gone=levels.gone())
            )
        areas = levels.areas
        notes.append(levels.note())
    kept = to_storage_crs(current.assets)
    incoming = to_storage_crs(new.assets)
    again = {s for s in incoming["source"].dropna().astype(str) if s}
    gone = kept["source"].map(lambda s: _parts(s) <= again) if len(kept) else pd.Series([])
    if replace_assets:
        gone = pd.Series(True, index=kept.index)
    for source, n in kept.loc[gone.to_numpy(dtype=bool), "source"].value_counts().items():
        notes.append(Msg("note.sources.replaced", source=source, n=int(n)))
    kept = kept[~gone.to_numpy(dtype=bool)]
    incoming, clash_notes = _fresh_ids(incoming, taken=set(kept["id"].astype(str)))
    notes += clash_notes
    frames = [kept, incoming]
    outlines = pd.concat(
        [f.set_index("id")[FOOTPRINT] for f in frames if FOOTPRINT in f.columns]
        or [pd.Series(dtype="object")]
    )
    both = pd.concat([f[ASSET_COLUMNS] for f in frames], ignore_index=True)
    assets = gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")
    pairs = find_duplicates(assets)
    merged, _log = merge_duplicates(assets, pairs)
    outlines = outlines[~outlines.index.duplicated(keep="last")].dropna()
    if len(outlines):
        merged[FOOTPRINT] = merged["id"].map(outlines)
    before, after = current.meta.get("sources", []), new.meta.get("sources", [])
    first: list[dict[str, Any]] = []
    if levels is not None:  # the replaced areas, and the figures joined onto them, are gone
        stored = levels_of(current.areas)
        before = [
            kept_entry
            for entry in before
            if (kept_entry := keep_levels(entry, levels.gone_levels, stored)) is not None
        ]
        first = [e for e in before if e.get("layer") == "areas"]
        first += [
            e
            for e in with_levels(new.meta, new.areas).get("sources", [])
            if e.get("layer") == "areas"
        ]
        before = [e for e in before if e.get("layer") != "areas"]
        after = [e for e in after if e.get("layer") != "areas"]
    meta = {
        **current.meta,
        **{k: v for k, v in new.meta.items() if k != "sources"},
        "sources": [*first, *merge_sources(before, after)],
    }
    notes.append(duplicates_note(pairs))
    return Loaded(areas, merged.reset_index(drop=True), meta, notes, pairs)


def merge_sources(current: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the source list with ``new`` entries added.

    An entry with the same name and layer (``"areas"``, ``"assets"``, ``"figures"``; an entry
    without a layer matches any) as a current one replaces it in place: an updated list or a
    newer year. Entries that name their ``file`` (key figures) match only the same file.
    """

    def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
        layers = {a.get("layer"), b.get("layer")} - {None}
        files = {a.get("file"), b.get("file")} - {None}
        return a.get("name") == b.get("name") and len(layers) <= 1 and len(files) <= 1

    out = [next((e for e in new if same(e, old)), old) for old in current]
    return [*out, *[e for e in new if not any(same(e, old) for old in current)]]


def duplicates_note(pairs: pd.DataFrame) -> Msg:
    """Return the note that says how many likely duplicates were merged (1 or n)."""
    n = int((pairs["decision"] == "merge").sum()) if len(pairs) else 0
    return Msg("note.sources.duplicate_one" if n == 1 else "note.sources.duplicates", n=n)


def _parts(source: object) -> set[str]:
    """Return the sources a merged asset came from (``"A + B"`` -> ``{"A", "B"}``)."""
    return {p.strip() for p in str(source or "").split(" + ")}


def source_slug(name: str) -> str:
    """Return a short id prefix for a source: ``"Bibliotheek Amsterdam"`` -> ``"bibliothee"``."""
    slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:10]
    return slug or "bron"


def _fresh_ids(assets: gpd.GeoDataFrame, *, taken: set[str]) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give new ids to the rows of each source with an id in ``taken``.

    All rows of such a source get its slug in front (``"1"`` of "Parken" -> ``"parken-1"``),
    not only the clashing ones, so one source's ids look alike and stay the same when the
    same file is imported again.
    """
    ids = assets["id"].astype(str)
    sources = assets["source"].fillna("").astype(str)
    clashing = set(sources[ids.isin(taken)])
    if not clashing:
        return assets, []
    out = assets.copy()
    used = taken | set(ids)
    new_ids = ids.tolist()
    renamed: dict[str, list[str]] = {}
    for i in np.flatnonzero(sources.isin(clashing).to_numpy()):
        prefix = source_slug(sources.iloc[i])
        candidate, k = f"{prefix}-{new_ids[i]}", 2
        while candidate in used:
            candidate, k = f"{prefix}-{new_ids[i]}-{k}", k + 1
        used.add(candidate)
        new_ids[i] = candidate
        renamed.setdefault(sources.iloc[i], []).append(candidate)
    out["id"] = new_ids
    notes: list[str] = [
        Msg(
            "note.sources.id_clash",
            n=len(names),
            source=source,
            prefix=source_slug(source) + "-",
            examples=list_some(names),
        )
        for source, names in renamed.items()
    ]
    return out, notes


def current(store: Store) -> Loaded | None:
    """Return the workspace in ``store`` as :class:`Loaded`, or None when there is none."""
    loaded = store.load_workspace()
    if loaded is None:
        return None
    areas, assets, meta = loaded
    return Loaded(areas, assets, meta)


def save(store: Store, loaded: Loaded, *, actor: str) -> list[str]:
    """Save the layers as the workspace (all or nothing).

    Activities and place needs of places that are no longer in ``loaded.assets`` are deleted
    by the store; a note saying how many is returned and added to ``loaded.notes``.
    """
    ids = set(loaded.assets["id"].astype(str))
    activities = store.activities()
    needs = store.place_needs()
    lost_a = int((~activities["asset_id"].astype(str).isin(ids)).sum()) if len(activities) else 0
    lost_n = int((~needs["asset_id"].astype(str).isin(ids)).sum()) if len(needs) else 0
    store.save_workspace(loaded.areas, loaded.assets, meta=loaded.meta, actor=actor)
    notes: list[str] = []
    if lost_a or lost_n:
        notes.append(Msg("note.sources.orphans", activities=lost_a, needs=lost_n))
    loaded.notes.extend(notes)
    return notes


#: The source entry of a Kerncijfers CSV (its year is added per file).
FIGURES_SOURCE = "CBS Kerncijfers wijken en buurten"
YEAR_COLUMNS = ("jaar", "perioden", "year")


def add_figures(current: Loaded | None, path: str | Path, *, year: int | None = None) -> Loaded:
    """Join a Kerncijfers CSV onto the stored areas and record it as a source.

    Parameters
    ----------
    current : Loaded or None
        The workspace (:func:`current`); it needs areas.
    path : str or Path
        The CSV (see :func:`asset_map.io.join_figures`): figures it has replace the areas'
        ones, other columns stay.
    year : int, optional
        The year of the figures; by default read from the file's ``jaar`` or ``Perioden``
        column (``2019JJ00``).

    Returns
    -------
    Loaded
        The workspace with the figures joined and the source ``CBS Kerncijfers wijken en
        buurten`` (CC BY 4.0) in ``meta["sources"]``.

    Raises
    ------
    AssetMapError
        When the workspace has no areas, or the CSV cannot be joined (see ``join_figures``).
    """
    if current is None or not len(current.areas):
        raise AssetMapError(Msg("err.sources.figures_without_areas", file=Path(path).name))
    joined = join_figures(current.areas, path)
    year = year if year is not None else figures_year(path)
    entry = {
        "name": FIGURES_SOURCE,
        "licence": "CC BY 4.0",
        "year": year,
        "layer": "figures",
        "file": Path(path).name,  # one entry per figures file: a second file adds its own
        "levels": figures_levels(current.areas, path),  # gone when those areas are replaced
    }
    meta = {**current.meta, "sources": merge_sources(current.meta.get("sources", []), [entry])}
    return Loaded(joined.frame, current.assets, meta, list(joined.notes))


def figures_year(path: str | Path) -> int | None:
    """Return the year of a Kerncijfers CSV from its ``jaar``/``Perioden`` column, else None."""
    table = read_table(path).frame
    by_lower = {str(c).lower(): c for c in table.columns}
    for name in YEAR_COLUMNS:
        if name in by_lower:
            years = table[by_lower[name]].astype(str).str.extract(r"((?:19|20)\d\d)")[0].dropna()
            if len(years):
                return int(years.mode().iloc[0])
    return None


def figures_levels(areas: pd.DataFrame, path: str | Path) -> list[str]:
    """Return the levels of the ``areas`` that a Kerncijfers CSV has a row for."""
    table = read_table(path).frame
    by_lower = {str(c).lower(): c for c in table.columns}
    column = next((by_lower[c] for c in CODE_COLUMNS if c in by_lower), None)
    if column is None:
        return levels_of(areas)
    codes = {(text_cell(v) or "").upper() for v in table[column]}
    return levels_of(areas[areas["code"].astype(str).isin(codes)])
