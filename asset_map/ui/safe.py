"""Text that users or imports supplied, made safe for ``st.markdown``."""

from __future__ import annotations

import html

import pandas as pd

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
