"""Text that users or imports supplied, made safe for ``st.markdown``; errors without folders."""

from __future__ import annotations

import html

import pandas as pd

from asset_map.i18n import explain
from asset_map.io.gdal_read import without_folders
from asset_map.model import Lang

#: Characters that mean something in Markdown; escaped so user text stays plain text.
MARKDOWN_CHARS = "\\`*_{}[]()#+-.!|~>$"


def md(value: object) -> str:
    """Return user text safe for ``st.markdown``: HTML escaped, Markdown characters escaped.

    Missing values (None, NaN, ``pd.NA``) give an empty text.
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = html.escape(str(value), quote=False)
    for ch in MARKDOWN_CHARS:
        text = text.replace(ch, "\\" + ch)
    return text


def explain_here(error: BaseException, lang: Lang) -> str:
    """Return an error's message for a screen: in ``lang``, with every folder left out.

    A library's message (GDAL, the operating system) names a file with its whole path,
    such as the private folder an upload is kept in (``/tmp/asset_map_upload_x/wijken.gpkg``);
    a screen shows the file's own name, never the server's folders.
    """
    return without_folders(explain(error, lang))
