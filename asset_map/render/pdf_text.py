"""Text that goes into a PDF: escaped for reportlab's paragraphs and cut to a length that fits.

A name of any length must not break a PDF: reportlab cannot split a table row over pages, so
one cell taller than a page stops the whole document ("LayoutError"). Every text the data
supplies is cut here: a name at :data:`NAME_CHARS` characters (the edit form's own limit
is 120), another line (an address, a source, a contact, who made a flyer) at
:data:`LINE_CHARS`. A cut text ends in ``…``. Words longer than a column are broken by
reportlab itself (``splitLongWords``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

#: The longest name a PDF shows (places, areas, activities, sites).
NAME_CHARS = 120
#: The longest other text of one cell or line.
LINE_CHARS = 200


def short(value: object, limit: int = NAME_CHARS) -> str:
    """Return ``value`` as one line of text of at most ``limit`` characters (``…`` if cut).

    Missing values (None, NaN) give ``""``; runs of white space (new lines too) become one
    space, as a paragraph shows them anyway.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def para(value: object, limit: int = NAME_CHARS) -> str:
    """Return :func:`short` text escaped for a reportlab paragraph (``<``, ``&`` as entities)."""
    return escape(short(value, limit))
