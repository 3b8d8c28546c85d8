"""Folium elements that need no CDN: small point layers and the map's CSS.

A point layer holds its points as one JSON array that the browser turns into markers. Every
text from the data is HTML-escaped in Python before it reaches the page (``html.escape``); the
JSON is embedded with :func:`compact_json`, which also escapes ``<`` and ``>``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup

#: CSS for the markers, clusters and popups; added once per map (the controls' CSS is in
#: :mod:`asset_map.render.controls`).
MAP_CSS = """
.am-pin span{display:flex;align-items:center;justify-content:center;width:24px;height:24px;
 border-radius:50%;border:2px solid #fff;box-shadow:0 0 2px rgba(0,0,0,.6);font-size:13px;
 line-height:1}
.am-pin.am-planned span{border:2px dashed #222;opacity:.75}
.am-cluster div{display:flex;align-items:center;justify-content:center;width:100%;height:100%;
 margin:0;box-sizing:border-box;border-radius:50%;border:2px solid rgba(255,255,255,.9);
 box-shadow:0 0 3px rgba(0,0,0,.5)}
.am-cluster span{display:flex;align-items:center;justify-content:center;width:calc(100% - 10px);
 height:calc(100% - 10px);border-radius:50%;color:#fff;font:bold 12px/1 sans-serif;
 text-shadow:0 0 2px #000}
.am-cluster{background:transparent}
.am-popup{font:13px/1.35 sans-serif;max-width:260px;overflow-wrap:anywhere}
.am-popup .am-type{color:#555;font-size:12px;margin-bottom:2px}
.am-popup .am-name{font-weight:bold;font-size:14px}
.am-popup .am-meta{color:#555;font-size:12px;margin-top:4px}
.am-popup table{border-collapse:collapse;margin-top:4px}
.am-popup td{padding:1px 6px 1px 0}
.am-talent span{display:flex;align-items:center;justify-content:center;min-width:30px;
 height:30px;padding:0 4px;border-radius:15px;background:#b15928;color:#fff;
 border:2px solid #fff;box-shadow:0 0 3px rgba(0,0,0,.6);font:bold 12px/1 sans-serif}
.am-site span{display:flex;align-items:center;justify-content:center;min-width:30px;
 height:30px;padding:0 4px;border-radius:15px;background:#0b6e4f;color:#fff;
 border:2px solid #fff;box-shadow:0 0 4px rgba(0,0,0,.7);font:bold 13px/1 sans-serif}
"""


def compact_json(value: object) -> Markup:
    r"""Return ``value`` as JSON without spaces, safe inside a ``<script>`` element.

    Like Jinja's ``tojson`` for a script (``<`` and ``>`` become ``\\u`` escapes, so no text
    can close the script or open a comment), but without the spaces after ``,`` and ``:``
    and with non-ASCII letters kept as UTF-8: about a tenth of a large layer. ``&`` and
    ``'`` are left as they are: a script is not an HTML attribute, and texts from the data
    are HTML-escaped already.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return Markup(text)


_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def esc(value: object) -> str:
    """Return ``value`` as HTML-escaped text; missing values become an empty string."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


class _Verbatim(Element):
    """Rendered text that branca must not parse again as a Jinja template."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


def figure_parent(element: Element) -> Element:
    """Return the parent of ``element``; raise when it was not added to a map."""
    if element._parent is None:
        raise ValueError(f"{element.get_name()} must be added to a map before rendering.")
    return element._parent


class VerbatimMacroElement(MacroElement):
    """A MacroElement whose rendered script goes into the page as is.

    branca wraps each element's rendered script in a new ``Element(template=...)``, which
    parses it again with Jinja: slow for a layer of 50,000 points (the lexer scans all of
    it) and unsafe for data. This renders the ``header`` and ``script`` macros once.
    """

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Render the macros once and add them to the figure, then render the children."""
        figure: Any = self.get_root()
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(_Verbatim(macro(self, kwargs)), name=self.get_name())
        if isinstance(self, Layer) and self.show:
            self.add_child(
                ElementAddToElement(
                    element_name=self.get_name(),
                    element_parent_name=figure_parent(self).get_name(),
                ),
                name=self.get_name() + "_add",
            )
        for child in self._children.values():
            child.render(**kwargs)


#: HTML special characters, plus the braces: branca parses each element's rendered script
#: again as a Jinja template, so a name like ``{{ 7*7 }}`` would otherwise be *executed*
#: on the server (template injection). As entities they show as braces in the browser.
_HTML_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
)


def esc_series(values: pd.Series) -> list[str]:
    """Return every value of ``values`` HTML-escaped, like :func:`esc`, but vectorised.

    Fast on 50,000 rows (string kernels instead of a Python loop); missing values become
    an empty string.
    """
    text = values.astype("object").where(values.notna(), "").astype(str).astype("string")
    for char, entity in _HTML_ESCAPES:
        text = text.str.replace(char, entity, regex=False)
    return text.fillna("").tolist()


class PointLayer(VerbatimMacroElement, Layer):
    """A toggleable layer of a few points, each with its own popup.

    For talents per buurt, activities and suggested sites; the assets, many more, are drawn
    by :mod:`asset_map.render.asset_points`.

    Parameters
    ----------
    rows : sequence of sequences
        One row per point: ``[lat, lon, *fields]``. Fields are already HTML-escaped text.
    name : str
        The name in the layer control (may hold trusted HTML, e.g. a colour swatch).
    popup_js : str
        The body of a JavaScript function ``(r) -> string`` that builds a popup's HTML
        from a row ``r``. It may only concatenate the pre-escaped fields.
    icon_html : str
        Trusted HTML of the marker icon.
    icon_class : str
        CSS class of the marker icon.
    color : str
        The layer's colour.
    layer_key : str
        A key naming the layer (e.g. ``"talent"``), for styling and tests.
    tooltip_index : int or None
        The index in a row of the tooltip text (the name), or None for no tooltip.
    label_index : int or None
        The index in a row of a short (escaped) text shown on the marker after
        ``icon_html``, e.g. a count; each marker then gets its own icon.
    show : bool
        Whether the layer is on when the map opens.
    """

    def rows_json(self) -> Markup:
        """Return the rows as compact JSON that is safe inside a ``<script>``."""
        return compact_json(self.rows)

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var rows = {{ this.rows_json() }};
            var icon = L.divIcon({className: {{ this.icon_class|tojson }},
                html: {{ this.icon_html|tojson }}, iconSize: [24, 24], iconAnchor: [12, 12],
                popupAnchor: [0, -10]});
            function popup(r) { {{ this.popup_js }} }
            var group = L.featureGroup();
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                {% if this.label_index is not none %}
                var ic = L.divIcon({className: {{ this.icon_class|tojson }}, iconSize: null,
                    iconAnchor: [17, 15], html: '<span>' + {{ this.icon_html|tojson }} + ' '
                    + r[{{ this.label_index }}] + '</span>'});
                {% else %}
                var ic = icon;
                {% endif %}
                var m = L.marker([r[0], r[1]], {icon: ic});
                m.bindPopup(popup.bind(null, r), {maxWidth: 280});
                {% if this.tooltip_index is not none %}
                m.bindTooltip(r[{{ this.tooltip_index }}]);
                {% endif %}
                group.addLayer(m);
            }
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: Sequence[Sequence[object]],
        *,
        name: str,
        popup_js: str,
        icon_html: str,
        icon_class: str = "am-pin",
        color: str = "#555",
        layer_key: str = "",
        tooltip_index: int | None = None,
        label_index: int | None = None,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointLayer"
        self.rows = list(rows)
        self.popup_js = popup_js
        self.icon_html = icon_html
        self.icon_class = icon_class
        self.color = color
        self.layer_key = layer_key
        self.tooltip_index = tooltip_index
        self.label_index = label_index


class MapStyle(VerbatimMacroElement):
    """Adds the map's CSS (``MAP_CSS``) inline to the page header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self, css: str = MAP_CSS):
        super().__init__()
        self._name = "MapStyle"
        self.css = css
