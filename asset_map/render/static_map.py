"""A still map image (PNG) of a wijk or buurt, for the PDF report: no tiles, no network.

Drawn with matplotlib's Agg canvas in RD New (EPSG:28992), so the scale bar is true in
metres and grid north is (nearly) true north: buurt outlines, the wijk outline, and the
assets as dots in their type's colour (planned ones hollow), with a legend, a scale bar
and a north arrow. With a gap analysis, the buurten are coloured by their share of
residents within walking distance on THE coverage scale of every map
(:data:`~asset_map.render.styles.COVERAGE_SCALE`) and the areas beyond walking distance
are hatched, as on the Kansen map.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from asset_map._errors import AssetMapError
from asset_map.crs import WORK_CRS, require_crs
from asset_map.i18n import Msg, t
from asset_map.model import Lang, catalogue
from asset_map.render.pdf_text import short
from asset_map.render.styles import (
    BEYOND_HATCH,
    BEYOND_LINE_COLOR,
    COVERAGE_SCALE,
    NO_DATA_COLOR,
    format_break,
)

#: The share of the view added around the focus area on every side.
MARGIN = 0.06
#: Scale bar lengths to choose from, in metres.
SCALE_STEPS_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)
CONTEXT_COLOR = "#bdbdbd"
#: The map's share of the image width; the legend takes the rest.
AXES_WIDTH = 0.64
LINE_COLOR = "#222222"


def map_png(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    focus_code: str | None = None,
    lang: Lang = "nl",
    width_px: int = 1600,
    coverage: Mapping[str, float] | None = None,
    beyond: gpd.GeoDataFrame | None = None,
) -> bytes:
    """Return a PNG map of ``focus_code`` (a wijk or buurt) or of all areas.

    Parameters
    ----------
    areas : GeoDataFrame
        Canonical areas (``code``, ``name``, ``level``, ``parent_code``), with a CRS.
    assets : GeoDataFrame
        Canonical assets (``type``, ``status``), with a CRS; those in view are drawn.
    focus_code : str, optional
        The code of the wijk or buurt to show; its buurten are outlined and named, the
        areas around it drawn in grey. All wijken and buurten when None.
    lang : {"nl", "en"}
        Language of the legend.
    width_px : int
        Width of the image in pixels (the height is three quarters of it).
    coverage : mapping, optional
        The share of residents within walking distance per buurt code, in percent: the
        buurten shown are coloured on :data:`~asset_map.render.styles.COVERAGE_SCALE`.
    beyond : GeoDataFrame, optional
        The areas beyond walking distance (with a CRS), hatched.

    Raises
    ------
    AssetMapError
        When ``focus_code`` is not a code of ``areas``; the message lists the wijk codes.
    """
    require_crs(areas, "areas")
    require_crs(assets, "assets")
    if not 200 <= width_px <= 6000:
        raise ValueError(f"width_px must be between 200 and 6000, got {width_px}.")
    shown = areas[areas["level"].isin(["wijk", "buurt"]) & ~areas.geometry.is_empty]
    shown = shown.to_crs(WORK_CRS)
    if focus_code is None:
        focus = shown
    else:
        focus = shown[shown["code"] == focus_code]
        if focus.empty:
            wijken = ", ".join(shown.loc[shown["level"] == "wijk", "code"].astype(str))
            codes = wijken or Msg("note.io.none")
            raise AssetMapError(Msg("err.report.no_such_area", code=focus_code, codes=codes))
    if focus.empty:
        raise AssetMapError(Msg("err.report.nothing_to_draw"))
    inner = _inner_buurten(shown, focus, focus_code)

    fig = Figure(figsize=(10, 7.5), dpi=width_px / 10)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, AXES_WIDTH, 0.98))
    ax.set_axis_off()
    ax.set_aspect("equal")
    x0, y0, x1, y1 = _view(focus.total_bounds, aspect=(AXES_WIDTH * 10) / (0.98 * 7.5))

    others = shown[~shown["code"].isin(set(focus["code"]) | set(inner["code"]))]
    scale: list[Artist] = []
    if coverage is not None:
        scale = _draw_coverage(ax, inner if len(inner) else focus, coverage, beyond, lang=lang)
    if len(others):
        others.boundary.plot(ax=ax, color=CONTEXT_COLOR, linewidth=0.6)
    if len(inner):
        inner.boundary.plot(ax=ax, color="#555555", linewidth=0.8, linestyle="--")
    outline = focus if focus_code is not None else shown[shown["level"] == "wijk"]
    if len(outline):
        outline.boundary.plot(ax=ax, color=LINE_COLOR, linewidth=2.2)
    _label_buurten(ax, inner if len(inner) else focus, (x0, y0, x1, y1))
    region = focus.geometry.union_all() if focus_code is not None else None
    handles: list[Artist] = [
        *_draw_assets(ax, assets, (x0, y0, x1, y1), region=region, lang=lang),
        *scale,
    ]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    _scale_bar(ax, (x0, y0, x1, y1))
    _north_arrow(ax)
    if handles:
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(AXES_WIDTH + 0.03, 0.98),
            frameon=False,
            fontsize=8,
            title=t("report.map.legend", lang),
            title_fontsize=10,
            alignment="left",
        )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def _draw_coverage(
    ax: Axes,
    buurten: gpd.GeoDataFrame,
    coverage: Mapping[str, float],
    beyond: gpd.GeoDataFrame | None,
    *,
    lang: Lang,
) -> list[Artist]:
    """Colour ``buurten`` by their share within walking distance; hatch what is beyond.

    Returns the legend entries: the scale's classes, "no data", and the hatch.
    """
    colors = [COVERAGE_SCALE.color_of(coverage.get(str(code))) for code in buurten["code"]]
    buurten.plot(ax=ax, color=colors, linewidth=0, zorder=1)
    handles: list[Artist] = []
    breaks = COVERAGE_SCALE.breaks
    title = t("report.map.coverage", lang)
    for j, color in enumerate(COVERAGE_SCALE.colors):
        lo, hi = format_break(breaks[j], "%", lang), format_break(breaks[j + 1], "%", lang)
        label = f"{title}: {lo} – {hi}" if j == 0 else f"{lo} – {hi}"
        handles.append(Patch(facecolor=color, edgecolor="#999999", lw=0.5, label=label))
    handles.append(
        Patch(facecolor=NO_DATA_COLOR, edgecolor="#999999", lw=0.5, label=t("legend.no_data", lang))
    )
    if beyond is not None and not beyond.empty:
        region = buurten.geometry.union_all()
        clipped = beyond.to_crs(WORK_CRS).geometry.intersection(region)
        clipped = clipped[~clipped.is_empty]
        if len(clipped):
            gpd.GeoSeries(clipped, crs=WORK_CRS).plot(
                ax=ax,
                facecolor="none",
                edgecolor=BEYOND_LINE_COLOR,
                hatch=BEYOND_HATCH,
                linewidth=0.0,
                zorder=1.5,
            )
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=BEYOND_LINE_COLOR,
                    hatch=BEYOND_HATCH,
                    lw=0.5,
                    label=t("legend.beyond", lang),
                )
            )
    return handles


def _inner_buurten(
    shown: gpd.GeoDataFrame, focus: gpd.GeoDataFrame, focus_code: str | None
) -> gpd.GeoDataFrame:
    """Return the buurten to outline and name: those of the focus wijk, or the focus buurt."""
    buurten = shown[shown["level"] == "buurt"]
    if focus_code is None:
        return buurten
    if (focus["level"] == "wijk").any():
        return buurten[buurten["parent_code"] == focus_code]
    return buurten[buurten["code"] == focus_code]


def _view(bounds: np.ndarray, *, aspect: float) -> tuple[float, float, float, float]:
    """Return the view box: the bounds with a margin, widened to the axes' aspect ratio."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    w, h = w * (1 + 2 * MARGIN), h * (1 + 2 * MARGIN)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


#: The longest buurt name written on the map; longer ones are cut.
MAP_LABEL_CHARS = 40


def _label_buurten(
    ax: Axes, buurten: gpd.GeoDataFrame, view: tuple[float, float, float, float]
) -> None:
    points = buurten.geometry.representative_point()
    for name, point in zip(buurten["name"], points, strict=True):
        if view[0] <= point.x <= view[2] and view[1] <= point.y <= view[3]:
            ax.annotate(
                short(name, MAP_LABEL_CHARS),  # a label on the map, not a paragraph
                (point.x, point.y),
                ha="center",
                va="center",
                fontsize=8,
                color="#333333",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
                zorder=2,
            )


def _draw_assets(
    ax: Axes,
    assets: gpd.GeoDataFrame,
    view: tuple[float, float, float, float],
    *,
    region: BaseGeometry | None,
    lang: Lang,
) -> list[Line2D]:
    """Draw the assets by type; return the legend entries (types with their count).

    Assets in ``region`` (everything in view when None) are drawn in colour and counted;
    those around it are drawn in grey, for context.
    """
    if assets.empty:
        return []
    rd = assets.to_crs(WORK_CRS)
    points = rd.geometry.representative_point()
    x, y = points.x.to_numpy(), points.y.to_numpy()
    in_view = (x >= view[0]) & (x <= view[2]) & (y >= view[1]) & (y <= view[3])
    inside = in_view & (shapely.contains_xy(region, x, y) if region is not None else True)
    around = in_view & ~inside
    if around.any():
        ax.scatter(x[around], y[around], s=10, c=CONTEXT_COLOR, lw=0, zorder=2)
    types = rd["type"].astype(str).to_numpy()
    planned = (rd["status"] == "planned").to_numpy()
    handles: list[Line2D] = []
    for key, asset_type in catalogue().types.items():
        mask = inside & (types == key)
        if not mask.any():
            continue
        done, plan = mask & ~planned, mask & planned
        ax.scatter(x[done], y[done], s=22, c=asset_type.color, edgecolors="white", lw=0.5, zorder=3)
        ax.scatter(
            x[plan], y[plan], s=30, facecolors="none", edgecolors=asset_type.color, lw=1.5, zorder=3
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=6,
                markerfacecolor=asset_type.color,
                markeredgecolor="white",
                label=f"{asset_type.label(lang)} ({int(mask.sum())})",
            )
        )
    if (inside & planned).any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=6,
                markerfacecolor="none",
                markeredgecolor="#555555",
                label=t("report.map.planned", lang),
            )
        )
    return handles


def scale_length_m(view_width_m: float) -> int:
    """Return a round scale bar length near a fifth of the view's width."""
    target = view_width_m / 5
    return min(SCALE_STEPS_M, key=lambda step: abs(math.log(step / target)))


def _scale_bar(ax: Axes, view: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = view
    length = scale_length_m(x1 - x0)
    left, base = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    tick = 0.012 * (y1 - y0)
    ax.plot([left, left + length], [base, base], color=LINE_COLOR, lw=2.5, zorder=4)
    for xe in (left, left + length):
        ax.plot([xe, xe], [base - tick, base + tick], color=LINE_COLOR, lw=1.5, zorder=4)
    text = f"{length // 1000} km" if length >= 1000 and length % 1000 == 0 else f"{length} m"
    ax.text(left + length / 2, base + 1.8 * tick, text, ha="center", va="bottom", fontsize=9)


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.95, 0.96),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": LINE_COLOR, "lw": 1.5},
        zorder=5,
    )
