"""Weekly activities on the map, and a resident's walk.

Activities never get a pin of their own (it would hide the place they meet at): a place's
popup lists its activities by day and time (:func:`weekly_activities`, sent with the places
by :mod:`asset_map.render.asset_rows`), and the layer "Wekelijkse activiteiten" marks the
places that have them with a ring and a count on their own marker.

Every text from the data (titles, organisers, contacts) is escaped with
:func:`asset_map.render.layers.esc_series` (HTML characters and the braces Jinja would read).
"""

from __future__ import annotations

import folium
import pandas as pd

from asset_map.analysis.nearby import Nearby, clean_activities
from asset_map.i18n import t
from asset_map.model import WEEKDAYS, Lang, catalogue
from asset_map.render.layers import esc, esc_series

#: The ring around a place with weekly activities, and its count (colour-blind safe beside
#: the type colours: a dark orange that no type uses).
ACTIVITY_COLOR = "#d95f02"
ORIGIN_COLOR = "#0b6e4f"


def weekly_activities(activities: pd.DataFrame, *, lang: Lang = "nl") -> dict[str, tuple[int, str]]:
    """Return per place id its number of weekly activities and their list as popup HTML.

    The list is in day and time order: day, time, title, for whom, organiser and contact,
    all escaped. Rows whose weekday is not 1 to 7 are left out. Vectorised: 20,000
    activities take a fraction of a second.

    Parameters
    ----------
    activities : DataFrame
        ``model.ACTIVITY_COLUMNS``.
    lang : {"nl", "en"}
        Language of the day names and labels.

    Returns
    -------
    dict
        place id -> (number of activities, HTML of the popup section).
    """
    rows = clean_activities(activities)
    if rows.empty:
        return {}
    rows = rows.sort_values(["asset_id", "weekday", "start", "title"], kind="stable")
    cat = catalogue()
    day = rows["weekday"].map(lambda d: WEEKDAYS[int(d)][0 if lang == "nl" else 1])
    groups = rows["target_group"].astype("string").fillna("")
    group_label = groups.map(
        lambda g: cat.target_group_label(g, lang) if g in cat.target_groups else g
    )
    organiser = pd.Series(esc_series(rows["organiser"]), index=rows.index)
    contact = pd.Series(esc_series(rows["contact"]), index=rows.index)
    who = (organiser + " · " + contact).str.strip(" ·")
    for_label = esc(t("verbinden.popup.for", lang))
    line = (
        "<tr><td class='am-when'>"
        + pd.Series(esc_series(day), index=rows.index)
        + "<br>"
        + pd.Series(esc_series(rows["start"]), index=rows.index)
        + "–"
        + pd.Series(esc_series(rows["end"]), index=rows.index)
        + "</td><td><b>"
        + pd.Series(esc_series(rows["title"]), index=rows.index)
        + f"</b><br>{for_label} "
        + pd.Series(esc_series(group_label), index=rows.index)
        + "<br><span class='am-meta'>"
        + who
        + "</span></td></tr>"
    )
    head = f"<div class='am-act-head'>{esc(t('layer.weekly_popup', lang))}</div><table>"
    out: dict[str, tuple[int, str]] = {}
    for place, lines in line.groupby(rows["asset_id"].astype(str), sort=False):
        out[str(place)] = (len(lines), head + "".join(lines.tolist()) + "</table>")
    return out


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
