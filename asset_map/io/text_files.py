"""Text files in any encoding people save them in: UTF-8, UTF-16, UTF-32 or Windows-1252.

Excel's "Unicode text" and Windows Notepad write UTF-16 with a byte order mark; older
exports write Windows-1252. :func:`decode_text` reads them all, and refuses a file that is
no text at all (a renamed spreadsheet) with how to save it as CSV UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from asset_map._errors import ImportFormatError
from asset_map.i18n import Msg

#: Byte order marks and the encoding each one announces (the longest first: UTF-32 LE starts
#: with the UTF-16 LE mark).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(path: Path) -> tuple[str, list[str]]:
    """Return a text file's content and a note on how it was read.

    A byte order mark says the encoding (UTF-8, UTF-16 or UTF-32, as Excel's "Unicode text"
    and Windows Notepad write them); UTF-16 without one is recognised by its zero bytes.
    Otherwise UTF-8, else Windows-1252 (with a note to check the accents).

    Raises
    ------
    ImportFormatError
        When the file is no text in any of these encodings (a spreadsheet saved as
        ``.xlsx`` and renamed, say): the message says how to save it as CSV UTF-8.
    """
    data = path.read_bytes()
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), None)
    notes: list[str] = []
    if encoding is None and _looks_utf16(data[:4096]):
        encoding = "utf-16-le" if data[1:4096:2].count(0) > data[0:4096:2].count(0) else "utf-16-be"
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise ImportFormatError(
                Msg("err.io.bad_encoding", path=path.name, encoding=encoding.upper())
            ) from None
        if encoding.startswith(("utf-16", "utf-32")):
            notes.append(Msg("note.io.utf16", path=path.name, encoding=encoding[:6].upper()))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            notes.append(Msg("note.io.cp1252", path=path.name))
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFormatError(Msg("err.io.not_text", path=path.name))
    return text, notes


def _looks_utf16(head: bytes) -> bool:
    """Tell whether bytes look like UTF-16 without a mark: every other byte mostly zero."""
    if len(head) < 4:
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > 0.3 * (len(head) / 2) and min(even, odd) < 0.05 * (len(head) / 2)
