"""OpenStreetMap assets: the tag table and offline parsers.

:data:`TAG_TYPES` says which OSM tags make which asset type (first match wins).
:func:`parse_overpass_json` reads an Overpass API answer (as
:func:`asset_map.io.osm_download.overpass_query` asks for it),
:func:`read_overpass_turbo_geojson` an overpass-turbo GeoJSON export and :func:`read_osm_pbf`
an ``.osm.pbf`` extract. All run offline; the query and the download are in
:mod:`asset_map.io.osm_download`.

Every result is a canonical asset frame (:data:`asset_map.model.ASSET_COLUMNS`, EPSG:4326)
with ``source`` "OpenStreetMap" and status "existing", ``wheelchair`` and ``opening_hours``
from their tags; ways and relations become a point
(their centre) and keep their outline as WKT in the extra column ``osm_polygon`` when the
input holds it. OSM data are ODbL: show :data:`OSM_ATTRIBUTION` with the map and exports.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from asset_map import model
from asset_map._errors import CRSError, ImportFormatError
from asset_map.crs import outside_netherlands
from asset_map.i18n import Msg
from asset_map.io.cells import list_some
from asset_map.io.formats import ImportResult, require_file
from asset_map.model import WHEELCHAIR_VALUES

__all__ = [
    "OSM_ATTRIBUTION",
    "TAG_TYPES",
    "USEFUL_KEYS",
    "boundary_areas",
    "osm_type",
    "parse_overpass_json",
    "read_osm_pbf",
    "read_overpass_turbo_geojson",
]

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
SOURCE = "OpenStreetMap"
POLYGON_COLUMN = "osm_polygon"

#: (tags to match, asset type key), in order: the first row whose tags all match wins.
#: A value of None matches any value of that key. Specific rows come before general ones.
TAG_TYPES: list[tuple[dict[str, str | None], str]] = [
    # Meeting places. A clubhouse of a sports club is a sports canteen; a youth centre and a
    # social centre are meeting places like a community centre.
    ({"leisure": "clubhouse", "sport": None}, "sportkantine"),
    ({"amenity": "community_centre"}, "buurthuis"),  # incl. community_centre=youth_centre
    ({"amenity": "social_centre"}, "buurthuis"),
    # Associations: a sports club (club=sport) and a sports centre (usually run by a club).
    ({"club": "sport"}, "vereniging"),
    ({"leisure": "sports_centre"}, "vereniging"),
    # Institutions.
    ({"amenity": "library"}, "bibliotheek"),
    ({"amenity": "place_of_worship"}, "gebedshuis"),
    ({"amenity": "school"}, "school"),
    ({"amenity": "kindergarten"}, "school"),
    ({"amenity": "social_facility"}, "zorg"),
    ({"amenity": "doctors"}, "zorg"),
    ({"amenity": "clinic"}, "zorg"),
    ({"amenity": "dentist"}, "zorg"),
    ({"amenity": "pharmacy"}, "zorg"),
    # Green and public space. A community garden before any other garden (not matched).
    ({"leisure": "garden", "garden:type": "community"}, "moestuin"),
    ({"landuse": "allotments"}, "moestuin"),
    ({"leisure": "playground"}, "speelplek"),
    ({"leisure": "park"}, "park"),
    # Local economy: every shop, and the market square.
    ({"amenity": "marketplace"}, "markt"),
    ({"shop": None}, "winkel"),
]
# Left out on purpose: leisure=pitch (a field, not a place people meet or an organisation)
# and leisure=garden without garden:type=community (mostly private or ornamental gardens).

_KINDS = {"n": "node", "w": "way", "r": "relation"}

#: Tag keys worth keeping in the ``tags`` column, as ``key=value``.
USEFUL_KEYS = ("wheelchair", "opening_hours", "sport", "religion", "website", "operator")


def osm_type(tags: Mapping[str, str]) -> str | None:
    """Return the asset type key of an OSM element's tags, or None when no row matches.

    Parameters
    ----------
    tags : Mapping of str to str
        The element's tags.

    Returns
    -------
    str or None
        The type of the first row of :data:`TAG_TYPES` whose tags all match.

    Examples
    --------
    >>> osm_type({"leisure": "playground"}), osm_type({"leisure": "garden"})
    ('speelplek', None)
    """
    for wanted, key in TAG_TYPES:
        if all(
            k in tags and (v is None or tags[k] == v) and tags[k] != "no" for k, v in wanted.items()
        ):
            return key
    return None


# --- building the frame ----------------------------------------------------------------------


def _address(tags: Mapping[str, str]) -> str | None:
    street = " ".join(t for t in (tags.get("addr:street"), tags.get("addr:housenumber")) if t)
    town = " ".join(t for t in (tags.get("addr:postcode"), tags.get("addr:city")) if t)
    text = ", ".join(t for t in (street, town) if t)
    return text or None


def _record(
    osm_id: str, tags: Mapping[str, str], type_key: str, point: BaseGeometry, outline: str | None
) -> dict[str, Any]:
    label = model.catalogue().types[type_key].label("nl")
    useful = [f"{k}={tags[k]}" for k in USEFUL_KEYS if tags.get(k)]
    return {
        "id": f"osm:{osm_id}",
        "name": tags.get("name") or f"{label} zonder naam",
        "type": type_key,
        "description": tags.get("description"),
        "address": _address(tags),
        "tags": ";".join(useful) or None,
        "status": "existing",
        "capacity": np.nan,
        "wheelchair": _wheelchair(tags.get("wheelchair")),
        "opening_hours": (tags.get("opening_hours") or "").strip() or None,
        "geometry": point,
        POLYGON_COLUMN: outline,
    }


def _wheelchair(value: str | None) -> str | None:
    """Return OSM's ``wheelchair`` as ``yes``, ``limited`` or ``no``; other values: unknown.

    ``designated`` (made for wheelchair users) counts as ``yes``.
    """
    text = (value or "").strip().lower()
    text = "yes" if text == "designated" else text
    return text if text in WHEELCHAIR_VALUES else None


def _result(
    what: object, records: list[dict[str, Any]], skipped: Counter[str], source: str
) -> ImportResult:
    """Return the canonical frame, refusing it whole when a point lies outside the Netherlands."""
    notes: list[str] = []
    if skipped:
        kinds = [f"{k} ({n})" for k, n in skipped.most_common()]
        n = sum(skipped.values())
        key = "note.osm.skipped_one" if n == 1 else "note.osm.skipped"
        notes.append(Msg(key, n=n, examples=list_some(kinds)))
    if not records:
        raise ImportFormatError(Msg("err.osm.no_assets", what=what))
    frame = pd.DataFrame.from_records(records)
    frame["source"] = source
    lon = np.array([p.x for p in frame["geometry"]])
    lat = np.array([p.y for p in frame["geometry"]])
    outside = np.flatnonzero(outside_netherlands(lon, lat))
    if outside.size:
        named = [
            Msg("err.osm.element_at", id=frame["id"].iloc[i], x=f"{lon[i]:.5f}", y=f"{lat[i]:.5f}")
            for i in outside
        ]
        n, total, shown = len(named), len(frame), list_some(named)
        raise CRSError(Msg("err.osm.outside_nl", what=what, n=n, total=total, examples=shown))
    columns = list(model.ASSET_COLUMNS)
    if frame[POLYGON_COLUMN].notna().any():
        columns.append(POLYGON_COLUMN)
    gdf = gpd.GeoDataFrame(frame[columns], geometry="geometry", crs="EPSG:4326")
    return ImportResult(frame=gdf, notes=notes)


def _point_and_outline(geom: BaseGeometry) -> tuple[BaseGeometry, str | None]:
    """Return the point for a geometry, and its outline as WKT when it is an area."""
    if geom.geom_type == "Point":
        return geom, None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    outline = geom.wkt if geom.geom_type in ("Polygon", "MultiPolygon") else None
    return geom.representative_point(), outline


def _ring_or_line(coords: list[tuple[float, float]]) -> BaseGeometry:
    if len(coords) >= 4 and coords[0] == coords[-1]:
        return shapely.Polygon(coords)
    if len(coords) >= 2:
        return shapely.LineString(coords)
    return shapely.Point(coords[0])


# --- Overpass JSON ---------------------------------------------------------------------------


def parse_overpass_json(
    payload: bytes | str | dict[str, Any], *, source: str = SOURCE
) -> ImportResult:
    """Turn an Overpass API JSON answer into a canonical asset frame.

    Parameters
    ----------
    payload : bytes or str or dict
        The answer (``[out:json]``), raw or already decoded. Ways and relations need a
        ``center`` (``out center``) or a ``geometry`` (``out geom``).
    source : str
        The value of the ``source`` column.

    Returns
    -------
    ImportResult
        Points in EPSG:4326; ids like ``osm:node/123``; ``osm_polygon`` (WKT) when the
        answer holds outlines. The notes count the elements that match no asset type.

    Raises
    ------
    ImportFormatError
        When the payload is not JSON, has no ``elements``, or no element matches a type.
    CRSError
        When an element lies outside the Netherlands.
    """
    what = Msg("err.osm.what_answer")
    data = payload
    if isinstance(payload, bytes | str):
        try:
            data = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ImportFormatError(Msg("err.osm.not_json", reason=str(exc))) from None
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise ImportFormatError(Msg("err.osm.no_elements", what=what))
    records: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    for n, element in enumerate(data["elements"], start=1):
        if not isinstance(element, dict):
            raise ImportFormatError(Msg("err.osm.element_not_object", what=what, n=n))
        kind, ident = element.get("type"), element.get("id")
        if kind == "area":
            continue  # the gemeente's boundary the query selected by, not a place
        tags = element.get("tags") or {}
        type_key = osm_type(tags)
        if type_key is None:
            skipped[f"{kind}/{ident}"] += 1
            continue
        geom = _overpass_geometry(element)
        if geom is None:
            element_id = f"{kind}/{ident}"
            raise ImportFormatError(
                Msg("err.osm.element_no_location", what=what, n=n, id=element_id)
            )
        point, outline = _point_and_outline(geom)
        records.append(_record(f"{kind}/{ident}", tags, type_key, point, outline))
    return _result(what, records, skipped, source)


def boundary_areas(payload: bytes | str | dict[str, Any]) -> list[dict[str, Any]]:
    """Return the boundary areas an Overpass answer holds (elements of type ``area``).

    A query of :func:`overpass_query` for a gemeente outputs the gemeente's boundary area
    before its places (``.gemeente out tags;``). An answer without one means OpenStreetMap
    has no boundary with that ``ref:gemeentecode`` or name; an answer with one but without
    places means the gemeente has no places with an asset tag.

    Parameters
    ----------
    payload : bytes or str or dict
        The answer, raw or already decoded.

    Returns
    -------
    list of dict
        The area elements (``{"type": "area", "id": 3600047394, "tags": {...}}``); empty
        when there is none or the payload is no Overpass answer.
    """
    data = payload
    if isinstance(payload, bytes | str):
        try:
            data = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return []
    elements = data.get("elements") if isinstance(data, dict) else None
    if not isinstance(elements, list):
        return []
    return [e for e in elements if isinstance(e, dict) and e.get("type") == "area"]


def _overpass_geometry(element: Mapping[str, Any]) -> BaseGeometry | None:
    """Return an element's geometry: node point, way or relation outline, else its centre."""
    if "lat" in element and "lon" in element:
        return shapely.Point(float(element["lon"]), float(element["lat"]))
    coords = _coords(element.get("geometry"))
    if coords:
        return _ring_or_line(coords)
    members = [m for m in element.get("members") or [] if isinstance(m, dict)]
    found = _relation_geometry(members) if members else None
    if found is not None:
        return found
    center = element.get("center")
    if isinstance(center, dict) and "lat" in center and "lon" in center:
        return shapely.Point(float(center["lon"]), float(center["lat"]))
    return None


def _coords(geometry: object) -> list[tuple[float, float]]:
    """Return the ``(lon, lat)`` pairs of an ``out geom`` list, skipping empty entries."""
    if not isinstance(geometry, list):
        return []
    return [(float(c["lon"]), float(c["lat"])) for c in geometry if isinstance(c, dict)]


def _relation_geometry(members: Sequence[Mapping[str, Any]]) -> BaseGeometry | None:
    """Return a relation's area (outer rings less inner rings), else its members together.

    ``out geom`` gives each way member a ``geometry`` list and each node member ``lat``/
    ``lon``; a multipolygon's ways are joined into rings whatever their order.
    """
    rings: dict[bool, list[shapely.LineString]] = {True: [], False: []}
    parts: list[BaseGeometry] = []
    for member in members:
        coords = _coords(member.get("geometry"))
        if len(coords) >= 2:
            line = shapely.LineString(coords)
            rings[member.get("role") == "inner"].append(line)
            parts.append(line)
        elif "lat" in member and "lon" in member:
            parts.append(shapely.Point(float(member["lon"]), float(member["lat"])))
    outer = shapely.polygonize(rings[False])
    if not outer.is_empty:
        area = shapely.unary_union(list(outer.geoms))
        inner = shapely.polygonize(rings[True])
        if not inner.is_empty:
            area = area.difference(shapely.unary_union(list(inner.geoms)))
        if not area.is_empty:
            return area
    return shapely.unary_union(parts) if parts else None


# --- overpass-turbo GeoJSON ------------------------------------------------------------------


def read_overpass_turbo_geojson(path: str | Path) -> ImportResult:
    """Read an overpass-turbo GeoJSON export (Export, GeoJSON).

    Parameters
    ----------
    path : str or Path
        The file. Its features carry the OSM tags as properties and ``@id`` like ``way/123``
        (or ``id``).

    Returns
    -------
    ImportResult
        Polygons become their representative point (inside them), outline kept in
        ``osm_polygon``.

    Raises
    ------
    ImportFormatError
        When the file is missing, not GeoJSON, or no feature matches an asset type.
    CRSError
        When a feature lies outside the Netherlands.
    """
    path = require_file(path)
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFormatError(
            Msg("err.osm.turbo_not_json", name=path.name, reason=str(exc))
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise ImportFormatError(Msg("err.osm.turbo_no_features", name=path.name))
    records: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    for n, feature in enumerate(data["features"], start=1):
        props = dict(feature.get("properties") or {})
        nested = props.pop("tags", None)  # older exports nest the tags
        if isinstance(nested, dict):
            props.update(nested)
        ident = str(props.get("@id") or feature.get("id") or props.get("id") or f"feature/{n}")
        tags = {k: str(v) for k, v in props.items() if not k.startswith("@") and v is not None}
        type_key = osm_type(tags)
        if type_key is None:
            skipped[ident] += 1
            continue
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, AttributeError, ValueError, shapely.errors.GEOSException):
            raise ImportFormatError(
                Msg("err.osm.turbo_bad_geometry", name=path.name, n=n, id=ident)
            ) from None
        if geom.is_empty:
            raise ImportFormatError(
                Msg("err.osm.turbo_empty_geometry", name=path.name, n=n, id=ident)
            )
        point, outline = _point_and_outline(geom)
        records.append(_record(ident, tags, type_key, point, outline))
    return _result(path.name, records, skipped, SOURCE)


# --- .osm.pbf --------------------------------------------------------------------------------


def read_osm_pbf(path: str | Path) -> ImportResult:
    """Read the assets in an OSM extract, ``.osm.pbf`` or ``.osm`` XML, with pyosmium.

    Parameters
    ----------
    path : str or Path
        An ``.osm.pbf`` file, or an ``.osm`` XML file (as the OSM website exports it).

    Returns
    -------
    ImportResult
        Tagged nodes as points; tagged ways as the representative point of their ring when
        closed (outline kept in ``osm_polygon``), else of their line; multipolygon relations,
        assembled by pyosmium from their member ways, as the representative point of their
        area (outline kept). Other relations are left out: a note counts them.

    Raises
    ------
    ImportFormatError
        When the file is missing or unreadable, or no element matches an asset type.
    CRSError
        When an element lies outside the Netherlands.
    """
    import osmium

    path = require_file(path)
    records: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    relations: set[int] = set()  # relations with asset tags
    areas: set[int] = set()  # relations read as an area
    wkt = osmium.geom.WKTFactory()
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
        for obj in processor:
            tags = {tag.k: tag.v for tag in obj.tags}
            if not tags:
                continue
            type_key = osm_type(tags)
            if isinstance(obj, osmium.osm.Area):
                if obj.from_way() or type_key is None:
                    continue  # closed ways are read as ways below
                shape_ = _area_geometry(wkt, obj)
                if shape_ is not None:
                    areas.add(obj.orig_id())
                    point, outline = _point_and_outline(shape_)
                    record = _record(f"relation/{obj.orig_id()}", tags, type_key, point, outline)
                    records.append(record)
                continue
            if isinstance(obj, osmium.osm.Relation):
                if type_key is not None:
                    relations.add(obj.id)
                continue
            if type_key is None:
                skipped[f"{_KINDS.get(obj.type_str(), 'way')}/{obj.id}"] += 1
                continue
            geom: BaseGeometry
            if isinstance(obj, osmium.osm.Node):
                geom = shapely.Point(obj.location.lon, obj.location.lat)
                kind = "node"
            elif isinstance(obj, osmium.osm.Way):
                coords = [(nd.lon, nd.lat) for nd in obj.nodes if nd.location.valid()]
                if not coords:
                    continue
                geom = _ring_or_line(coords)
                kind = "way"
            else:
                continue
            point, outline = _point_and_outline(geom)
            records.append(_record(f"{kind}/{obj.id}", tags, type_key, point, outline))
    except RuntimeError as exc:
        raise ImportFormatError(
            Msg("err.osm.pbf_unreadable", name=path.name, reason=str(exc))
        ) from None
    result = _result(path.name, records, skipped, SOURCE)
    left_out = len(relations - areas)
    if left_out:
        key = "note.osm.relations_one" if left_out == 1 else "note.osm.relations"
        result.notes.append(Msg(key, n=left_out))
    return result


def _area_geometry(wkt: Any, area: Any) -> BaseGeometry | None:
    """Return the (multi)polygon pyosmium assembled for an area, or None when it is broken."""
    try:
        geom = shapely.from_wkt(wkt.create_multipolygon(area))
    except (RuntimeError, shapely.errors.GEOSException):
        return None
    if geom.is_empty:
        return None
    return geom.geoms[0] if len(geom.geoms) == 1 else geom
