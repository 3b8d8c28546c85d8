"""Map layers of Verbinden: the weekly activities at their places, and a resident's walk.

Every text from the data (titles, places, organisers, contacts) is escaped with
:func:`asset_map.render.layers.esc` (HTML characters and the braces Jinja would read).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from asset_map.analysis.nearby import Nearby, clean_activities
from asset_map.crs import STORAGE_CRS, require_crs
from asset_map.i18n import t
from asset_map.model import WEEKDAYS, Lang, catalogue
from asset_map.render.layers import PointLayer, esc

#: The marker colour and icon: those of the ``activiteit`` asset type.
ACTIVITY_TYPE = "activiteit"
ORIGIN_COLOR = "#0b6e4f"


def activity_popup(place: pd.Series, rows: pd.DataFrame, *, lang: Lang = "nl") -> str:
    """Return the (escaped) popup HTML of one place: its activities by day and time."""
    cat = catalogue()
    lines = []
    for _, row in rows.sort_values(["weekday", "start", "title"]).iterrows():
        day = WEEKDAYS[int(row["weekday"])][0 if lang == "nl" else 1]
        group = row["target_group"]
        group_label = cat.target_group_label(group, lang) if group in cat.target_groups else group
        who = " · ".join(esc(v) for v in (row["organiser"], row["contact"]) if esc(v))
        lines.append(
            f"<tr><td style='vertical-align:top;white-space:nowrap'>{esc(day)}<br>"
            f"{esc(row['start'])}–{esc(row['end'])}</td>"
            f"<td><b>{esc(row['title'])}</b><br>{esc(t('verbinden.popup.for', lang))} "
            f"{esc(group_label)}<br><span class='am-meta'>{who}</span></td></tr>"
        )
    icon = cat.types[ACTIVITY_TYPE].icon
    return (
        f"<div class='am-popup'><div class='am-type'>{icon} "
        f"{esc(t('verbinden.layer.activities_short', lang))}</div>"
        f"<div class='am-name'>{esc(place['name'])}</div>"
        f"<div class='am-meta'>{esc(place['address'])}</div>"
        f"<table>{''.join(lines)}</table></div>"
    )


def activity_layer(
    activities: pd.DataFrame,
    assets: gpd.GeoDataFrame,
    *,
    lang: Lang = "nl",
    name: str | None = None,
    show: bool = True,
) -> PointLayer:
    """Return one toggleable layer: a marker per place, its popup listing its activities.

    Parameters
    ----------
    activities : DataFrame
        ``model.ACTIVITY_COLUMNS``. Activities at places not in ``assets`` are left out.
    assets : GeoDataFrame
        The places (canonical columns, with a CRS).
    lang : {"nl", "en"}
        Language of the day names and labels.
    name : str, optional
        The name in the layer control (trusted HTML); "📅 Activiteiten (n)" by default.
    show : bool
        Whether the layer is on when the map opens.
    """
    require_crs(assets, "assets")
    activities = clean_activities(activities)
    places = assets.to_crs(STORAGE_CRS)
    places = places.assign(id=places["id"].astype(str))
    places = places[places["id"].isin(set(activities["asset_id"]))].drop_duplicates("id")
    points = places.geometry.representative_point()
    rows = []
    for (_, place), point in zip(places.iterrows(), points, strict=True):
        own = activities[activities["asset_id"] == place["id"]]
        rows.append(
            [
                round(point.y, 5),
                round(point.x, 5),
                activity_popup(place, own, lang=lang),
                esc(place["name"]),
            ]
        )
    kind = catalogue().types[ACTIVITY_TYPE]
    n = int(activities["asset_id"].isin(set(places["id"])).sum())
    label = name or f"{kind.icon} {esc(t('verbinden.layer.activities', lang, n=n))}"
    return PointLayer(
        rows,
        name=label,
        popup_js="return r[2];",
        icon_html=(
            f'<span data-layer="activities" style="background:{kind.color}">{kind.icon}</span>'
        ),
        color=kind.color,
        layer_key="activities",
        tooltip_index=3,
        show=show,
    )


def nearby_layers(nearby: Nearby, *, lang: Lang = "nl") -> list[folium.FeatureGroup]:
    """Return the resident's walk: a circle of the walking distance and the starting point.

    The circle's radius is the straight-line distance in reach (walking distance / detour),
    the same rule the lists use. Both are toggleable layers.
    """
    lon, lat = nearby.origin
    minutes = f"{nearby.walk_min:g}"
    walk = folium.FeatureGroup(name=esc(t("verbinden.map.walk", lang, minutes=minutes)))
    folium.Circle(
        location=[lat, lon],
        radius=round(nearby.radius_m, 1),
        color=ORIGIN_COLOR,
        weight=2,
        fill=True,
        fill_opacity=0.06,
        dash_array="6 6",
        tooltip=esc(t("verbinden.map.walk", lang, minutes=minutes)),
    ).add_to(walk)
    start = folium.FeatureGroup(name=esc(t("verbinden.map.origin", lang)))
    folium.CircleMarker(
        location=[lat, lon],
        radius=9,
        color="#fff",
        weight=3,
        fill=True,
        fill_color=ORIGIN_COLOR,
        fill_opacity=1.0,
        tooltip=esc(t("verbinden.map.origin", lang)),
    ).add_to(start)
    return [walk, start]
