"""The Kaart's view in the web address: share it, reopen it, embed it on another website.

Everything the Kaart shows is in its address, as the werkbank's filters are in its own::

    /kaart?wijk=WK999901&type=wijkhuiskamer&kleur=pct_65_plus&lat=52.1&lon=5.3&zoom=14&taal=en

``wijk``, ``buurt``, ``type`` (repeatable), ``kleur`` (the figure that colours the areas),
``niveau`` (``buurt`` or ``wijk``), ``achtergrond`` (a base map: ``osm``, ``eigen``, ...),
``talenten=0`` (talents hidden), ``lat``/``lon``/``zoom`` (written by the map itself after
every pan or zoom, :mod:`asset_map.render.view_url`) and ``taal`` (``en``; Dutch is the
default). A link opened in a new browser opens the same view; values this map does not have
are left out, with a warning.

``?embed=1`` (or Streamlit's own ``?embed=true``) shows the map and its legend only: no
sidebar, no menu, no staff pages, nothing to change. :func:`share_box` gives the link and
an ``<iframe>`` snippet to copy, for the gemeente's or the welzijnsorganisatie's website.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from asset_map.analysis.wijk_figures import levels_with
from asset_map.model import KEY_FIGURES, LANGS, catalogue
from asset_map.render.view_url import ACTIVITIES_LAYER, LAYERS_OFF_PARAM, VIEW_PARAMS, MapView
from asset_map.services.workspace import Workspace
from asset_map.ui import basemap as base
from asset_map.ui.explore import Filters, asset_map
from asset_map.ui.state import LANG_KEY, current_lang, lang_key, tr

#: The Kaart's query parameters (besides ``lat``, ``lon``, ``zoom``).
WIJK, BUURT, TYPE, FIGURE, LEVEL, BASEMAP, TALENTS, LANG = (
    "wijk",
    "buurt",
    "type",
    "kleur",
    "niveau",
    "achtergrond",
    "talenten",
    "taal",
)
#: The session keys of the Kaart's filter widgets (``ui.explore.sidebar_filters``); the
#: keys of widgets whose labels follow the language get the language (``state.lang_key``).
WIDGET_KEYS = {WIJK: "filter_wijk", BUURT: "filter_buurt", TALENTS: "map_talents"}
LOCALISED_KEYS = {
    TYPE: "filter_types",
    FIGURE: "map_choropleth",
    LEVEL: "map_choropleth_level",
    BASEMAP: base.PICKER_KEY,
}
#: The view a shared link opened with, and the filters it belongs to.
_VIEW_KEY = "kaart_view"
_WARNING_KEY = "kaart_url_unknown"
#: The height of the map on an embedded page (the snippet's frame is 600 px high).
EMBED_HEIGHT = 540
#: Values of ``embed`` that mean: show the map only.
EMBED_VALUES = frozenset({"1", "true", "ja", "yes"})


def _params() -> dict[str, list[str]]:
    """Return every query parameter of the page, ``embed`` too (``st.query_params`` hides it)."""
    ctx = get_script_run_ctx()
    query = getattr(ctx, "query_string", "") if ctx is not None else ""
    return parse_qs(query or "", keep_blank_values=False)


def embed_mode() -> bool:
    """Return whether the page was opened to be embedded (``?embed=1`` or ``?embed=true``)."""
    if st.context.is_embedded:
        return True
    return any(v.strip().lower() in EMBED_VALUES for v in _params().get("embed", []))


def language_from_url() -> None:
    """Take the language of a shared link (``taal=en``) on the first run of a session."""
    wanted = (_params().get(LANG) or [""])[-1]
    if LANG_KEY not in st.session_state and wanted in LANGS:
        st.session_state[LANG_KEY] = wanted


@dataclass(frozen=True)
class KaartView:
    """What a Kaart link asks for: the filters, the map's view, values left out, layers off."""

    filters: Filters
    view: MapView | None
    unknown: tuple[str, ...]
    layers_off: tuple[str, ...] = ()


def view_from_url(ws: Workspace) -> KaartView:
    """Read the Kaart's view from the address; values this map does not have are left out."""
    params = _params()
    areas = ws.areas
    unknown: list[str] = []

    def keep(name: str, options: set[str]) -> tuple[str, ...]:
        values = list(dict.fromkeys(v for v in params.get(name, []) if v))
        unknown.extend(v for v in values if v not in options)
        return tuple(v for v in values if v in options)

    wijken = keep(WIJK, set(areas.loc[areas["level"] == "wijk", "code"].astype(str)))
    buurten_of = areas[areas["level"] == "buurt"]
    if wijken:
        buurten_of = buurten_of[buurten_of["parent_code"].isin(wijken)]
    buurten = keep(BUURT, set(buurten_of["code"].astype(str)))
    present = set(ws.assets["type"].astype(str)) & set(catalogue().types)
    types = keep(TYPE, present)
    figures = {c for c in KEY_FIGURES if levels_with(areas, c)}
    figure = next(iter(keep(FIGURE, figures)), None)
    levels = levels_with(areas, figure) if figure else ()
    level_asked = next(iter(keep(LEVEL, set(levels))), None) if figure else None
    level = level_asked or (levels[0] if levels else None)
    options, default, _problem = base.choices()
    basemap = next(iter(keep(BASEMAP, set(options))), default)
    talents = (params.get(TALENTS) or ["1"])[-1] not in ("0", "nee", "no", "false")
    filters = Filters(
        wijken=wijken,
        buurten=buurten,
        types=types,
        choropleth=figure,
        choropleth_level=level,
        basemap=basemap,
        show_talents=talents,
    )
    layer_keys = {*present, ACTIVITIES_LAYER}
    layers_off = keep(LAYERS_OFF_PARAM, layer_keys)
    return KaartView(filters, MapView.from_params(params), tuple(unknown), layers_off)


def restore(ws: Workspace) -> None:
    """Fill the Kaart's filters from a shared link, on the page's first run with one.

    Runs before the filters are drawn. The view (centre and zoom) is kept for the map, as
    long as the filters stay as the link set them.
    """
    params = _params()
    keys = [*WIDGET_KEYS.values(), *(lang_key(k) for k in LOCALISED_KEYS.values())]
    ours = {WIJK, BUURT, TYPE, FIGURE, LEVEL, BASEMAP, TALENTS, LAYERS_OFF_PARAM, *VIEW_PARAMS}
    if not ours & set(params) or any(key in st.session_state for key in keys):
        return
    shared = view_from_url(ws)
    f = shared.filters
    st.session_state[WIDGET_KEYS[WIJK]] = list(f.wijken)
    st.session_state[WIDGET_KEYS[BUURT]] = list(f.buurten)
    st.session_state[WIDGET_KEYS[TALENTS]] = f.show_talents
    st.session_state[lang_key(LOCALISED_KEYS[TYPE])] = list(f.types)
    st.session_state[lang_key(LOCALISED_KEYS[FIGURE])] = f.choropleth
    if f.choropleth_level is not None:
        st.session_state[lang_key(LOCALISED_KEYS[LEVEL])] = f.choropleth_level
    st.session_state[base.STORE_KEY] = f.basemap  # the picker shows the app's one choice
    st.session_state[_VIEW_KEY] = (shared.view, f, shared.layers_off)
    if shared.unknown:
        st.session_state[_WARNING_KEY] = list(shared.unknown)


def shared_view(filters: Filters) -> MapView | None:
    """Return the view a shared link opened with, while the filters are still the link's."""
    kept = st.session_state.get(_VIEW_KEY)
    if kept is None:
        return None
    view, for_filters, _off = kept
    if for_filters != filters:
        st.session_state.pop(_VIEW_KEY, None)  # the user chose other filters: fit those
        return None
    return view if isinstance(view, MapView) else None


def shared_layers_off(filters: Filters) -> tuple[str, ...]:
    """Return the layers a shared link switched off, while the filters are still the link's."""
    kept = st.session_state.get(_VIEW_KEY)
    if kept is None or kept[1] != filters:
        return ()
    return tuple(kept[2])


def to_params(filters: Filters, lang: str) -> dict[str, list[str]]:
    """Return the query parameters of ``filters`` (defaults are left out, to keep links short)."""
    params: dict[str, list[str]] = {
        WIJK: list(filters.wijken),
        BUURT: list(filters.buurten),
        TYPE: list(filters.types),
        FIGURE: [filters.choropleth] if filters.choropleth else [],
        LEVEL: [filters.choropleth_level]
        if filters.choropleth and filters.choropleth_level
        else [],
        BASEMAP: [filters.basemap] if filters.basemap != base.choices()[1] else [],
        TALENTS: [] if filters.show_talents else ["0"],
        LANG: [lang] if lang != "nl" else [],
    }
    return {name: values for name, values in params.items() if values}


def keep_in_url(filters: Filters) -> None:
    """Put the filters in the address when they changed; warn once about values left out.

    The map writes its centre and zoom itself; they are kept while the filters stay. While
    the filters are still those of the link the page opened with, the address is left as
    it came (values left out are named in the warning, and go at the first change).
    """
    unknown = st.session_state.pop(_WARNING_KEY, None)
    if unknown:
        st.warning(tr("kaart.url_unknown", values=", ".join(unknown)), icon="🔗")
    kept = st.session_state.get(_VIEW_KEY)
    if kept is not None and kept[1] == filters:
        return  # as the link opened it: its address stands (other pages' values too)
    wanted = to_params(filters, current_lang())
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    written_by_the_map = {*VIEW_PARAMS, LAYERS_OFF_PARAM}
    if {k: v for k, v in current.items() if k not in written_by_the_map} != wanted:
        # New filters: the map fits them again, so the old centre and zoom go too.
        st.query_params.from_dict(wanted)


def share_box() -> None:
    """Offer the link of this view and an ``<iframe>`` snippet for another website.

    Both are made in the browser from the page's address at the moment of copying, so
    they hold the centre and zoom the map has then.
    """
    labels = {
        "link": tr("kaart.share_link"),
        "embed": tr("kaart.share_embed"),
        "copy": tr("kaart.copy"),
        "copied": tr("kaart.copied"),
        "title": tr("app.title"),
    }
    with st.expander(tr("kaart.share"), icon="🔗"):
        st.caption(tr("kaart.share_help"))
        st.html(_SHARE_HTML.replace("__LABELS__", json.dumps(labels)), unsafe_allow_javascript=True)


#: The share box. Its script holds no ``<`` followed by a letter or ``/`` (written ``\\u003c``):
#: the HTML sanitiser Streamlit runs drops a script whose text looks like markup.
_SHARE_HTML = r"""
<div class="am-share" style="display:flex;flex-direction:column;gap:.5rem;font-size:.9rem">
  <label><span class="am-share-label"></span>
    <input class="am-share-link" readonly style="width:100%;font-family:monospace"></label>
  <button type="button" class="am-share-copy-link"></button>
  <label><span class="am-share-embed-label"></span>
    <textarea class="am-share-embed" readonly rows="3"
      style="width:100%;font-family:monospace"></textarea></label>
  <button type="button" class="am-share-copy-embed"></button>
</div>
<script>
(function () {
  var L = __LABELS__;
  var box = document.currentScript ? document.currentScript.previousElementSibling : null;
  box = box && box.classList.contains('am-share') ? box : document.querySelector('.am-share');
  if (!box) { return; }
  var link = box.querySelector('.am-share-link');
  var embed = box.querySelector('.am-share-embed');
  box.querySelector('.am-share-label').textContent = L.link;
  box.querySelector('.am-share-embed-label').textContent = L.embed;
  function esc(s) {
    return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\u003c/g, '&lt;');
  }
  function fill() {
    var url = new URL(window.location.href);
    url.searchParams.delete('embed');
    link.value = url.toString();
    url.searchParams.set('embed', '1');
    embed.value = '\u003ciframe src="' + esc(url.toString()) + '" title="' + esc(L.title) +
      '" width="100%" height="600" style="border:0" loading="lazy">\u003c/iframe>';
  }
  function copier(button, field) {
    button.textContent = L.copy;
    button.addEventListener('click', function () {
      fill();
      field.select();
      var done = function () { button.textContent = L.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          document.execCommand('copy'); done();
        });
      } else { document.execCommand('copy'); done(); }
    });
  }
  copier(box.querySelector('.am-share-copy-link'), link);
  copier(box.querySelector('.am-share-copy-embed'), embed);
  fill();
  link.addEventListener('focus', fill);
  embed.addEventListener('focus', fill);
})();
</script>
"""


def embedded(ws: Workspace, talents: pd.DataFrame) -> None:
    """Show the map of a shared link and its legend only: the page for an ``<iframe>``.

    Nothing can be changed here; a link under the map opens the whole Kaart at this view
    (in a new tab, away from the website around it).
    """
    shared = view_from_url(ws)
    asset_map(
        ws,
        shared.filters,
        talents,
        view=shared.view,
        layers_off=shared.layers_off,
        height=EMBED_HEIGHT,
    )
    params = to_params(shared.filters, current_lang())
    if shared.view is not None:
        params.update({k: [v] for k, v in shared.view.to_params().items()})
    if shared.layers_off:
        params[LAYERS_OFF_PARAM] = list(shared.layers_off)
    query = urlencode(params, doseq=True)
    page = st.context.url or ""
    st.markdown(f"[{tr('kaart.open_full')}]({page}{'?' + query if query else ''})")


EMBED_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebar"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.25rem 0.5rem 0 0.5rem !important; }
</style>
"""


def embed_page_style() -> None:
    """Hide Streamlit's header and side panel: an embedded page shows the map only."""
    st.html(EMBED_CSS)
