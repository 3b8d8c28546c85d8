"""Spreadsheets for people: the werkbank's selection and the gap analysis as Excel or CSV.

The machine formats stay as they were (the selection's CSV reads back with
``asset-map import``; ``asset-map gaps --out-sites`` writes canonical columns). Beside them,
the screens offer tables for people: headers in the reader's language, types and statuses
by their names, numbers rounded as people read them, as an Excel workbook or as a CSV that
Dutch Excel opens in columns (:mod:`asset_map.io.spreadsheet`).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from asset_map.crs import RD_NEW, WGS84
from asset_map.i18n import t
from asset_map.io.export import SITE_DECIMALS, selection_frame
from asset_map.io.spreadsheet import csv_for_people, rounded, xlsx_bytes
from asset_map.model import ASSET_STATUSES, Lang, catalogue

#: Spreadsheet formats for people.
FORMATS = ("xlsx", "csv")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
#: Decimals of the selection's numbers (coordinates to 10 cm in degrees, to 1 cm in metres).
SELECTION_DECIMALS = {"capacity": 0, "lat": 6, "lon": 6, "x": 2, "y": 2}
#: Decimals of the figures per buurt; shares become percentages with one decimal.
BUURT_DECIMALS = {
    "residents": 0,
    "residents_65": 0,
    "weight": 1,
    "covered_weight": 1,
    "share_covered": 1,
    "share_covered_after": 1,
    "mean_walk_m": 0,
    "access": 2,
}


def spreadsheet_bytes(table: pd.DataFrame, *, fmt: str, lang: Lang, sheet: str) -> bytes:
    """Return a table for people as ``"xlsx"`` or ``"csv"`` (Dutch Excel's style in Dutch)."""
    if fmt == "xlsx":
        return xlsx_bytes(table, sheet=sheet)
    if fmt == "csv":
        return csv_for_people(table, lang=lang)
    raise ValueError(f"unknown spreadsheet format {fmt!r}; use one of {', '.join(FORMATS)}")


def _headers(table: pd.DataFrame, keys: Mapping[str, str], lang: Lang) -> pd.DataFrame:
    """Keep the columns of ``keys`` (column -> text key) in that order, named in ``lang``."""
    shown = [c for c in keys if c in table.columns]
    return table[shown].rename(columns={c: t(keys[c], lang) for c in shown})


SELECTION_HEADERS = {
    "name": "sheet.col.name",
    "type": "sheet.col.type",
    "status": "sheet.col.status",
    "address": "sheet.col.address",
    "description": "sheet.col.description",
    "tags": "sheet.col.tags",
    "capacity": "sheet.col.capacity",
    "wijk_code": "sheet.col.wijk",
    "buurt_code": "sheet.col.buurt",
    "lat": "sheet.col.lat",
    "lon": "sheet.col.lon",
    "x": "sheet.col.x",
    "y": "sheet.col.y",
    "source": "sheet.col.source",
    "attribution": "sheet.col.attribution",
    "id": "sheet.col.id",
}


def selection_table(
    assets: gpd.GeoDataFrame,
    *,
    lang: Lang,
    crs: str = "EPSG:4326",
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return the werkbank's selection as a table for people, in ``lang``.

    The columns of the selection export, with the type and status by their names, the
    wijk and buurt by name and code (``names``: code -> name), and the place as
    ``lat``/``lon`` (EPSG:4326) or ``x``/``y`` in metres (EPSG:28992).
    """
    frame = selection_frame(assets)
    points = frame.to_crs(RD_NEW if crs == "EPSG:28992" else WGS84).geometry
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if crs == "EPSG:28992":
        table["x"], table["y"] = points.x.to_numpy(), points.y.to_numpy()
    else:
        table["lat"], table["lon"] = points.y.to_numpy(), points.x.to_numpy()
    table["tags"] = [
        ", ".join(str(v).split(";")) if isinstance(v, str) else v for v in table["tags"]
    ]
    types = catalogue().types
    table["type"] = [types[k].label(lang) if k in types else k for k in table["type"]]
    table["status"] = [
        t(f"sheet.status.{s}", lang) if s in ASSET_STATUSES else s for s in table["status"]
    ]
    known = dict(names or {})
    for column in ("wijk_code", "buurt_code"):
        if column in table.columns:
            table[column] = [
                f"{known[c]} ({c})" if isinstance(c, str) and c in known else c
                for c in table[column]
            ]
    return _headers(rounded(table, SELECTION_DECIMALS), SELECTION_HEADERS, lang)


SITE_HEADERS = {
    "rank": "col.rank",
    "name": "col.name",
    "kind": "col.kind",
    "newly_residents": "col.newly_residents",
    "newly_65": "col.newly_65",
    "newly_covered": "col.newly_covered",
    "nearest_meeting_m": "col.nearest_meeting_m",
    "buurten": "col.buurten",
    "lat": "sheet.col.lat",
    "lon": "sheet.col.lon",
}


def sites_table(sites: gpd.GeoDataFrame, *, lang: Lang) -> pd.DataFrame:
    """Return the suggested sites (names already in ``lang``) as a table for people."""
    table = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    table["kind"] = [t(f"gaps.kind.{k}", lang) for k in table["kind"]]
    table["buurten"] = [
        ", ".join(map(str, b)) if isinstance(b, list | tuple) else b for b in table["buurten"]
    ]
    return _headers(rounded(table, SITE_DECIMALS), SITE_HEADERS, lang)


BUURT_HEADERS = {
    "name": "col.buurt",
    "code": "sheet.col.code",
    "residents": "col.residents",
    "share_covered": "col.share_covered",
    "share_covered_after": "col.share_covered_after",
    "mean_walk_m": "col.mean_walk_m",
    "access": "col.access",
    "estimated": "col.estimated",
}


def buurten_table(buurten: pd.DataFrame, *, lang: Lang) -> pd.DataFrame:
    """Return the figures per buurt of the gap analysis as a table for people.

    Shares are percentages (``70,5``, as the header says ``%``); the 2SFCA score is per
    1,000 residents, as on the screen; a buurt without figures shows empty cells.
    """
    table = buurten.copy()
    for column in ("share_covered", "share_covered_after"):
        table[column] = 100 * pd.to_numeric(table[column], errors="coerce")
    if "access" in table.columns:
        if table["access"].notna().any():
            table["access"] = 1000 * pd.to_numeric(table["access"], errors="coerce")
        else:
            table = table.drop(columns="access")
    if "estimated" in table.columns:
        if table["estimated"].any():
            yes = t("gaps.estimated_yes", lang)
            table["estimated"] = [yes if e else "" for e in table["estimated"]]
        else:
            table = table.drop(columns="estimated")
    return _headers(rounded(table, BUURT_DECIMALS), BUURT_HEADERS, lang)
