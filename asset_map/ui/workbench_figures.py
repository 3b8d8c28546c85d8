"""The workbench's figures and downloads: per wijk and buurt, charts, a choropleth, exports.

Talents are shown only as public totals (``summary.PublicTotal``): a buurt with fewer than
3 shows as ``<3`` and is left out of every wijk total, so no difference of two shown numbers
gives a small group away; on the charts and the choropleth such a buurt has no data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.gaps import GapResult
from asset_map.analysis.indicators import (
    COLUMNS,
    FIGURES,
    area_figures,
    figure_label,
    type_counts,
)
from asset_map.analysis.summary import MIN_PUBLIC_COUNT, PublicTotal
from asset_map.analysis.wijk_figures import levels_with
from asset_map.i18n import t
from asset_map.io.export import EXPORT_FORMATS, selection_bytes
from asset_map.model import KEY_FIGURES, Lang, catalogue
from asset_map.render import vendor
from asset_map.render.map import build_map
from asset_map.render.styles import format_number
from asset_map.services import freshness
from asset_map.services import gaps as gap_service
from asset_map.services.export import map_bytes
from asset_map.services.freshness import with_freshness
from asset_map.services.report import wijk_report_with_gaps
from asset_map.services.snapshots import Comparison, compare_snapshots
from asset_map.services.spreadsheets import selection_table
from asset_map.services.workspace import Workspace
from asset_map.ui.explore import choropleth_level_choice
from asset_map.ui.loaders import store
from asset_map.ui.state import choice_key, current_lang, option_index, pick, tr
from asset_map.ui.tables import spreadsheet_buttons
from asset_map.ui.workbench import basemap as chosen_basemap

LEVEL_KEY = "wb_level"
LEVELS = ("wijk", "buurt")
CRS_OPTIONS = ("EPSG:4326", "EPSG:28992")
MIME = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}
#: Figures shown in the table, in the order of ``area_figures`` (then the counts per type).
TABLE_FIGURES = (
    *(c for c in COLUMNS[2:] if c not in ("talents_small", "coverage")),
    "checked_pct",
)


def coverage(ws: Workspace, folder: str) -> GapResult | None:
    """Return the gap analysis with its default settings (cached with the 'Kansen' screen).

    The need weights are those the areas' figures allow (``mix``, or ``all`` when only the
    inhabitants are known). None when it cannot run (no key figures, no meeting places):
    the figures say "unknown" then.
    """
    return gap_service.coverage(ws.areas, ws.assets, key=(folder, ()))


def public_talents_column(values: pd.Series) -> pd.Series:
    """Return talent counts with groups under 3 left out (NaN): safe for charts and maps."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return numbers.where(~((numbers > 0) & (numbers < MIN_PUBLIC_COUNT)))


def chart_talents(figures: pd.DataFrame) -> pd.Series:
    """Return the public talent totals of :func:`area_figures` rows as numbers for charts.

    An area whose talents are all in small groups (public total 0, some buurten left out)
    has no data (NaN), never 0; otherwise the public total, so a chart never shows more
    than the table does.
    """
    numbers = pd.to_numeric(figures["talents"], errors="coerce").astype("float64")
    small = pd.to_numeric(figures["talents_small"], errors="coerce").fillna(0)
    return numbers.where(~((numbers == 0) & (small > 0)))


def _figures(
    ws: Workspace, level: str, talents: pd.DataFrame, gaps: GapResult | None
) -> pd.DataFrame:
    out = area_figures(ws.areas, ws.assets, level=level, talents=talents, gaps=gaps)
    try:
        checked = freshness.per_area(ws, level=level)
    except AssetMapError:  # a wrong ASSET_MAP_CHECK_MONTHS: the list says so
        checked = None
    if checked is not None:
        out["checked_pct"] = out["code"].map(checked.set_index("code")["checked_pct"])
    return out


def figures(
    ws: Workspace, query_areas: gpd.GeoDataFrame, talents: pd.DataFrame, folder: str
) -> None:
    """Show the figures per wijk or buurt, wijken side by side in charts, and a choropleth."""
    lang = current_lang()
    gaps = coverage(ws, folder)
    st.write(tr("wb.figures_intro"))
    level = pick(
        st.radio,
        tr("wb.level"),
        LEVELS,
        key=LEVEL_KEY,
        default=LEVELS[0],
        format_func=lambda k: t(f"wb.level.{k}", lang),
        horizontal=True,
    )
    table = _figures(ws, level, talents, gaps)
    table = table[table["code"].isin(query_areas["code"])]
    st.dataframe(_shown(table, lang), hide_index=True, width="stretch")
    st.caption(tr("privacy.total_help"))
    if "checked_pct" in table.columns:
        st.caption(tr("wb.checked_help", months=_check_months()))
    if gaps is None:
        st.caption(tr("wb.no_coverage"))
    elif gaps.summary.get("buurten_estimated"):
        st.caption(tr("wb.coverage_estimated", n=gaps.summary["buurten_estimated"]))
    _compare_wijken(ws, query_areas, talents, gaps, lang)
    _choropleth(ws, query_areas, talents, gaps, lang)


def _check_months() -> int | str:
    try:
        return settings.check_months()
    except AssetMapError:
        return "?"


def _shown(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the figures as text, formatted for ``lang``; talents as public counts."""
    out = pd.DataFrame({tr("wb.col.area"): table["name"]})
    columns = [c for c in TABLE_FIGURES if c in table.columns]
    columns += [c for c in table.columns if c.startswith("n_")]
    for column in columns:
        if column == "talents":
            values = [
                "–" if pd.isna(n) else PublicTotal(int(n), int(k)).text(lang)
                for n, k in zip(table["talents"], table["talents_small"], strict=True)
            ]
        else:
            unit = FIGURES.get(column, ("", "", ""))[2]
            values = [format_number(v, unit, lang) for v in table[column].tolist()]
        out[figure_label(column, lang)] = values
    return out


def _compare_wijken(
    ws: Workspace,
    query_areas: gpd.GeoDataFrame,
    talents: pd.DataFrame,
    gaps: GapResult | None,
    lang: Lang,
) -> None:
    st.subheader(tr("wb.compare"))
    wijken = _figures(ws, "wijk", talents, gaps)
    wijken = wijken[wijken["code"].isin(query_areas["code"])]
    if wijken.empty:
        st.info(tr("wb.no_wijken"))
        return
    wijken = wijken.assign(talents=chart_talents(wijken))
    options = [c for c in FIGURES if c in wijken.columns and wijken[c].notna().any()]
    figure_key, figure_now = choice_key("wb_compare_figure", "meeting_places_per_1000")
    column = st.selectbox(
        tr("wb.figure"),
        options,
        index=option_index(options, figure_now, option_index(options, "meeting_places_per_1000")),
        format_func=lambda c: figure_label(c, lang),
        key=figure_key,
    )
    st.bar_chart(
        wijken.set_index("name")[[column]].rename(columns={column: figure_label(column, lang)}),
        horizontal=True,
        x_label=figure_label(column, lang),
        y_label="",
    )
    st.markdown(f"**{tr('wb.types_per_wijk')}**")
    counts = type_counts(ws.assets, level="wijk")
    counts = counts[counts["code"].isin(wijken["code"])]
    if counts.empty:
        return
    names = dict(zip(wijken["code"], wijken["name"], strict=True))
    cat = catalogue()
    wide = (
        counts.assign(
            wijk=counts["code"].map(names),
            soort=counts["type"].map(lambda k: cat.types[k].label(lang) if k in cat.types else k),
        )
        .pivot_table(index="wijk", columns="soort", values="count", aggfunc="sum", fill_value=0)
        .astype("int64")
    )
    st.bar_chart(wide, horizontal=True, stack=True, x_label=tr("counts.number"), y_label="")


def choropleth_figures(areas: gpd.GeoDataFrame) -> dict[str, tuple[str, str, str]]:
    """Return every figure a choropleth of ``areas`` can show: column -> (nl, en, unit).

    The figures of :data:`FIGURES`, the key figures of the areas, and the number of places of
    each type (``n_<type>``).
    """
    figures: dict[str, tuple[str, str, str]] = dict(FIGURES)
    figures.update({c: v for c, v in KEY_FIGURES.items() if c in areas.columns})
    for column in areas.columns:
        if str(column).startswith("n_"):
            nl, en = figure_label(column, "nl"), figure_label(column, "en")
            figures[column] = (t("wb.count_of", "nl", kind=nl), t("wb.count_of", "en", kind=en), "")
    return figures


def choropleth_areas(
    ws: Workspace, talents: pd.DataFrame, gaps: GapResult | None
) -> gpd.GeoDataFrame:
    """Return the wijken and buurten with every figure of :data:`FIGURES` as columns.

    Also the areas' key figures and the number of places per type (``n_<type>``). Talent
    counts under 3 are left out (NaN), as on every public layer.
    """
    rows = pd.concat(
        [_figures(ws, "wijk", talents, gaps), _figures(ws, "buurt", talents, gaps)],
        ignore_index=True,
    )
    rows["talents"] = chart_talents(rows)
    rows = rows.drop(columns="talents_small")
    counts = [c for c in rows.columns if str(c).startswith("n_")]
    rows[counts] = rows[counts].fillna(0)
    keep = [c for c in FIGURES if c in rows.columns] + counts
    key = [c for c in KEY_FIGURES if c in ws.areas.columns]
    base = ws.areas[ws.areas["level"] != "gemeente"][
        ["code", "name", "level", "parent_code", *key, "geometry"]
    ]
    merged = base.merge(rows[["code", *keep]], on="code", how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=ws.areas.crs)


def _choropleth(
    ws: Workspace,
    query_areas: gpd.GeoDataFrame,
    talents: pd.DataFrame,
    gaps: GapResult | None,
    lang: Lang,
) -> None:
    st.subheader(tr("wb.choropleth"))
    areas = choropleth_areas(ws, talents, gaps)
    areas = areas[areas["code"].isin(query_areas["code"])]
    figures = choropleth_figures(areas)
    options = [c for c in figures if levels_with(areas, c)]  # buurten or wijken have it
    if not options:
        st.info(tr("wb.no_wijken"))
        return
    column_key, column_now = choice_key("wb_choropleth", "coverage_pct")
    column = st.selectbox(
        tr("wb.choropleth_figure"),
        options,
        index=option_index(options, column_now, option_index(options, "coverage_pct")),
        format_func=lambda c: figures[c][0 if lang == "nl" else 1],
        key=column_key,
    )
    level = choropleth_level_choice(areas, column, key="wb_choropleth_level", container=st)
    fmap = build_map(
        areas,
        ws.assets.iloc[0:0],
        lang=lang,
        basemap=chosen_basemap(),
        choropleth=column,
        choropleth_level=level,
        figures=figures,
        vendor_base=vendor.APP_STATIC_BASE,
        attribution=str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else "",
    )
    st_folium(
        fmap, returned_objects=[], use_container_width=True, height=520, key="wb_choropleth_map"
    )


# --- downloads ---------------------------------------------------------------------------------


#: Reports made, per (workspace version, wijk, language, talents): made on click, kept a while.
_REPORTS: dict[tuple[str, ...], bytes] = {}
_REPORTS_LOCK = threading.Lock()
MAX_REPORTS = 16


def _report(
    key: tuple[str, ...],
    ws: Workspace,
    wijk: str,
    *,
    lang: Lang,
    talents: pd.DataFrame | None,
    history: Comparison | None = None,
) -> bytes:
    """Return the wijk report (PDF), made once per ``key``.

    The same report as ``asset-map report``: with the gap analysis of the wijk's buurten and
    its suggested sites (without, when it cannot run: the report says so). Runs in the
    download button's own thread (no Streamlit calls), so the cache is a plain dict behind a
    lock rather than ``st.cache_data``.
    """
    with _REPORTS_LOCK:
        if key in _REPORTS:
            return _REPORTS[key]
    pdf, _skipped = wijk_report_with_gaps(ws, wijk, lang=lang, talents=talents, history=history)
    with _REPORTS_LOCK:
        while len(_REPORTS) >= MAX_REPORTS:
            _REPORTS.pop(next(iter(_REPORTS)))
        _REPORTS[key] = pdf
    return pdf


def _newest_two() -> tuple[Comparison | None, tuple[str, ...]]:
    """Return the two newest snapshots compared (the report's "What has changed?"), and ids."""
    frame = store().snapshots()
    if len(frame) < 2:
        return None, ()
    first, second = (str(i) for i in frame["id"].iloc[-2:])
    return compare_snapshots(store(), first, second), (first, second)


def _talents_key(talents: pd.DataFrame) -> str:
    if talents.empty:
        return "none"
    return str(pd.util.hash_pandas_object(talents[["buurt_code", "status"]], index=False).sum())


def _selection_bytes(ws: Workspace, assets: gpd.GeoDataFrame, *, fmt: str, crs: str) -> bytes:
    """Return the selection as a file, with when each place was last checked (if kept)."""
    return selection_bytes(with_freshness(ws, assets), fmt=fmt, crs=crs)


def exports(
    ws: Workspace,
    query_areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    talents: pd.DataFrame,
    *,
    folder: str,
    basemap: str,
) -> None:
    """Offer the selection as CSV, GeoJSON and GeoPackage, the map as HTML, a wijk report.

    The files are made when their button is clicked, not on every rerun.
    """
    lang = current_lang()
    st.subheader(tr("wb.export_selection", n=format_number(len(assets), lang=lang)))
    crs = pick(
        st.radio,
        tr("wb.crs"),
        CRS_OPTIONS,
        key="wb_crs",
        default=CRS_OPTIONS[0],
        format_func=lambda c: t(f"wb.crs.{c.split(':')[1]}", lang),
        horizontal=True,
    )
    suffix = "rd" if crs == "EPSG:28992" else "wgs84"
    st.markdown(f"**{tr('wb.export_people')}**")
    names = dict(zip(ws.areas["code"].astype(str), ws.areas["name"].astype(str), strict=False))
    spreadsheet_buttons(
        st.columns(len(EXPORT_FORMATS) + 1)[:2],
        partial(selection_table, assets, lang=lang, crs=crs, names=names),
        stem=f"plekken_{suffix}",
        sheet=tr("sheet.name.selection"),
        key="wb_dl_sheet",
    )
    st.markdown(f"**{tr('wb.export_machines')}**")
    columns = st.columns(len(EXPORT_FORMATS) + 1)
    for column, fmt in zip(columns, EXPORT_FORMATS, strict=False):
        column.download_button(
            tr(f"wb.download.{fmt}"),
            data=partial(_selection_bytes, ws, assets, fmt=fmt, crs=crs),
            file_name=f"plekken_{suffix}.{fmt}",
            mime=MIME[fmt],
            on_click="ignore",
            disabled=assets.empty,
            key=f"wb_dl_{fmt}",
        )
    label = str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else ""
    columns[-1].download_button(
        tr("wb.download.html"),
        data=partial(map_bytes, query_areas, assets, lang=lang, basemap=basemap, label=label),
        file_name="kaart.html",
        mime="text/html",
        on_click="ignore",
        key="wb_dl_html",
    )
    st.caption(tr("wb.export_help"))
    st.subheader(tr("wb.report"))
    st.write(tr("wb.report_intro"))
    wijken = query_areas[query_areas["level"] == "wijk"].sort_values("code")
    if wijken.empty:
        st.info(tr("wb.no_wijken"))
        return
    names = dict(zip(wijken["code"], wijken["name"], strict=True))
    wijk = st.selectbox(
        t("filter.wijk", lang), list(names), format_func=lambda c: names[c], key="wb_report_wijk"
    )
    history, compared = _newest_two()
    key = (folder, wijk, lang, _talents_key(talents), *compared)
    make: Callable[[], bytes] = partial(
        _report, key, ws, wijk, lang=lang, talents=talents, history=history
    )
    if history is not None:
        first, second = (d.strftime("%d-%m-%Y") for d in (history.first_at, history.second_at))
        st.caption(tr("wb.report_history", first=first, second=second))
    st.download_button(
        tr("wb.download.report", wijk=names[wijk]),
        data=make,
        file_name=f"wijkrapport_{wijk}.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        key="wb_dl_report",
    )
