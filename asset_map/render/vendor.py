"""The JavaScript and CSS the map needs, taken from installed Python packages, never a CDN.

Leaflet and Leaflet.markercluster come from the XStatic packages on PyPI; ``asset_points.js``
(the assets' markers in one clustering) and ``map_controls.js`` (legend, search, my location,
tile notice) are ours, in ``static/`` beside this module. The app
serves them through Streamlit's static file serving; a standalone HTML export inlines them,
so the file works offline and tells no third party who opened it.
"""

from __future__ import annotations

import base64
import filecmp
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster


@dataclass(frozen=True)
class VendorFile:
    """One file the map loads: a name for folium, our folder for it, its package dir, its path."""

    name: str
    folder: str
    root: Path
    relpath: str

    @property
    def path(self) -> Path:
        """Return the file on disk."""
        return self.root / self.relpath

    @property
    def kind(self) -> str:
        """Return ``"js"`` or ``"css"``."""
        return "css" if self.relpath.endswith(".css") else "js"


LEAFLET_DIR = Path(xs_leaflet.BASE_DIR)
CLUSTER_DIR = Path(xs_cluster.BASE_DIR)
#: Our own scripts, shipped in the package.
OWN_DIR = Path(__file__).parent / "static"

#: Our folder name for each package's files (both packages call theirs ``data``).
FOLDERS = {"leaflet": LEAFLET_DIR, "leaflet.markercluster": CLUSTER_DIR, "asset_map": OWN_DIR}

LEAFLET_JS = VendorFile("leaflet", "leaflet", LEAFLET_DIR, "leaflet.js")
LEAFLET_CSS = VendorFile("leaflet_css", "leaflet", LEAFLET_DIR, "leaflet.css")
CLUSTER_JS = VendorFile(
    "markercluster_js", "leaflet.markercluster", CLUSTER_DIR, "leaflet.markercluster.js"
)
CLUSTER_CSS = VendorFile(
    "markercluster_css", "leaflet.markercluster", CLUSTER_DIR, "MarkerCluster.css"
)
CLUSTER_DEFAULT_CSS = VendorFile(
    "markercluster_default_css", "leaflet.markercluster", CLUSTER_DIR, "MarkerCluster.Default.css"
)
ASSET_POINTS_JS = VendorFile("asset_points_js", "asset_map", OWN_DIR, "asset_points.js")
MAP_CONTROLS_JS = VendorFile("map_controls_js", "asset_map", OWN_DIR, "map_controls.js")

#: Leaflet and our controls (legend, search, my location, tile notice): every map loads them.
MAP_FILES = (LEAFLET_JS, LEAFLET_CSS, MAP_CONTROLS_JS)
CLUSTER_FILES = (CLUSTER_JS, CLUSTER_CSS, CLUSTER_DEFAULT_CSS)
#: Every file a map may load, in the order a page loads them.
ALL_FILES = (*MAP_FILES, *CLUSTER_FILES, ASSET_POINTS_JS)
#: Placeholder base URL for standalone HTML; ``inline_vendor_files`` replaces the tags.
INLINE_BASE = "asset-map-inline:"
#: Where the app serves the files: Streamlit serves ``static/`` beside ``app.py`` at this URL.
APP_STATIC_BASE = "/app/static/vendor/"


def vendor_url(file: VendorFile, base: str) -> str:
    """Return the URL of ``file`` under ``base`` (a folder URL ending in ``/``)."""
    return f"{base}{file.folder}/{file.relpath}"


def links(
    files: tuple[VendorFile, ...], base: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return folium's ``default_js`` and ``default_css`` lists for ``files`` under ``base``."""
    js = [(f.name, vendor_url(f, base)) for f in files if f.kind == "js"]
    css = [(f.name, vendor_url(f, base)) for f in files if f.kind == "css"]
    return js, css


def install_static(static_dir: Path) -> Path:
    """Copy the vendor files (with Leaflet's images) into ``static_dir / "vendor"``.

    Copies only what is missing or changed (compared byte by byte: a few hundred kB), so
    calling it on every app start is cheap.

    Returns
    -------
    Path
        The ``vendor`` folder.
    """
    target = static_dir / "vendor"
    for folder, root in FOLDERS.items():
        for src in root.rglob("*"):
            if src.is_dir() or src.suffix not in {".js", ".css", ".png"}:
                continue
            dst = target / folder / src.relative_to(root)
            if dst.exists() and filecmp.cmp(src, dst, shallow=False):
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    return target


def _css_with_inline_images(file: VendorFile) -> str:
    """Return a CSS file's text with its relative ``url(images/x.png)`` made data URIs."""
    text = file.path.read_text("utf-8")

    def embed(match: re.Match[str]) -> str:
        image = file.path.parent / match.group(1)
        if not image.exists():
            return match.group(0)
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\(['\"]?(images/[^'\")]+)['\"]?\)", embed, text)


def inline_vendor_files(html: str) -> str:
    """Replace the ``<script src>`` and ``<link>`` tags of ``INLINE_BASE`` URLs by their content.

    The result is one self-contained HTML file: no request leaves the page except for map
    tiles of the chosen basemap.
    """
    for file in ALL_FILES:
        url = re.escape(vendor_url(file, INLINE_BASE))
        if file.kind == "js":
            body = file.path.read_text("utf-8").replace("</script", "<\\/script")
            pattern = rf'<script[^>]*src="{url}"[^>]*>\s*</script>'
            tag = f"<script>{body}</script>"
        else:
            pattern = rf'<link[^>]*href="{url}"[^>]*/?>'
            tag = f"<style>{_css_with_inline_images(file)}</style>"
        # A function as replacement: the file's text is inserted as is, with no escapes.
        html = re.sub(pattern, _constant(tag), html)
    return html


def _constant(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text
