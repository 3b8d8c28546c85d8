"""Every text a user reads: the TOML files of ``texts/`` beside this file, one per screen or part.

Each screen or part keeps its texts in a file of its own (``texts/workbench.toml``, ...);
together they are one table, and a key given in two files is an error.

Dutch is the default (written at B1 level: short sentences, everyday words, say what
happens); English is available. Asset-type and key-figure labels live with their data
(``asset_types.toml``, ``model.py``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from importlib import resources

from asset_map.model import LANGS, Lang

DEFAULT_LANG: Lang = "nl"


def _load() -> dict[str, dict[str, str]]:
    folder = resources.files("asset_map").joinpath("texts")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".toml")),
        key=lambda f: f.name,
    )
    table: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for file in files:
        for key, texts in tomllib.loads(file.read_text("utf-8")).items():
            if key in table:
                raise ValueError(f"{file.name}: '{key}' is also in {where[key]}; keep one")
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise ValueError(f"{file.name}: '{key}' has no text for {', '.join(missing)}")
            table[key], where[key] = texts, file.name
    return table


#: Key -> ``nl``, ``en`` (and optionally ``nl_one``, ``en_one``, ``count``) -> text.
STRINGS: dict[str, dict[str, str]] = _load()


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    A text may have a singular form beside its plural one: ``nl_one`` / ``en_one`` in its
    TOML entry, used when the count is 1 ("1 talent wacht", "1 seconde"). The count is the
    field ``n``, or the field the entry names in ``count = "..."``.

    Raises
    ------
    KeyError
        When ``key`` is not in ``STRINGS``: a missing text is a bug, not a blank label.
    """
    entry = STRINGS[key]
    text = entry[lang]
    one = entry.get(f"{lang}_one")
    if one is not None and _is_one(values.get(entry.get("count", "n"))):
        text = one
    return text.format(**values) if values else text


def _is_one(count: object) -> bool:
    """Return whether a count (a number, or a number as text) is exactly 1."""
    if isinstance(count, bool):
        return False
    if isinstance(count, int | float):
        return count == 1
    return isinstance(count, str) and count.strip() in ("1", "1,0", "1.0")


# --- numbers as people read them ---------------------------------------------------------------


def number(value: float | None, lang: Lang = DEFAULT_LANG, *, decimals: int = 0) -> str:
    """Return a number the way readers of ``lang`` write it: ``1.410``, ``0,2`` (Dutch).

    Parameters
    ----------
    value : float or None
        The number; None or NaN gives ``–`` (unknown, never 0).
    lang : {"nl", "en"}
        Dutch: ``.`` between thousands and ``,`` before decimals; English the other way.
    decimals : int
        Digits after the decimal sign, always shown (``70,0``) so a column lines up.
    """
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def metres(value: float | None, lang: Lang = DEFAULT_LANG) -> str:
    """Return a distance in whole metres, without the unit: ``579``, ``1.629``."""
    return number(value, lang)


def percent(value: float | None, lang: Lang = DEFAULT_LANG, *, share: bool = False) -> str:
    """Return a percentage with one decimal and its sign: ``46,4%``.

    ``share=True`` takes a share from 0 to 1 (``0.464``) instead of a percentage.
    """
    if value is None or value != value:
        return "–"
    return number(100 * value if share else value, lang, decimals=1) + "%"


class Msg(str):
    """A text that remembers its key, so each screen can show it in its reader's language.

    Its value as a plain ``str`` is the English text: that is what the CLI prints, what logs
    and exception messages hold, and what code that only compares strings sees. A screen
    calls :func:`localise` to get it in the user's language. Field values may be ``Msg``
    themselves (e.g. a location inside an error message); they are localised too.

    Parameters
    ----------
    key : str
        A key of ``STRINGS``.
    **fields
        The values of the text's ``{name}`` fields.

    Examples
    --------
    >>> note = Msg("err.file_missing", path="a.csv")  # doctest: +SKIP
    >>> localise(note, "nl")  # doctest: +SKIP
    """

    key: str
    fields: dict[str, object]

    def __new__(cls, key: str, **fields: object) -> Msg:  # noqa: D102
        english = {name: str(value) for name, value in fields.items()}
        obj = super().__new__(cls, t(key, "en", **english))
        obj.key = key
        obj.fields = fields
        return obj

    def __reduce__(self) -> tuple[object, tuple[str, dict[str, object]]]:
        """Pickle by key and fields (``st.cache_data`` pickles what it caches)."""
        return (_rebuild, (self.key, self.fields))


def _rebuild(key: str, fields: dict[str, object]) -> Msg:
    return Msg(key, **fields)


class Joined:
    """Texts shown one after the other, each in the reader's language.

    A field of a :class:`Msg` may be one: ``Msg("err.x", problems=Joined(found))`` lists
    every problem found, in English as a ``str`` and in Dutch when localised.

    Parameters
    ----------
    parts : iterable
        The texts (:class:`Msg` or plain).
    sep : str
        What stands between two of them.
    """

    def __init__(self, parts: Iterable[object], sep: str = "; ") -> None:
        self.parts = tuple(parts)
        self.sep = sep

    def __str__(self) -> str:
        return self.sep.join(str(part) for part in self.parts)

    def __repr__(self) -> str:
        return f"Joined({self.parts!r}, {self.sep!r})"


def localise(text: object, lang: Lang = DEFAULT_LANG) -> str:
    """Return ``text`` in ``lang`` when it is a :class:`Msg` (or :class:`Joined`), else as it is."""
    if isinstance(text, Joined):
        return text.sep.join(localise(part, lang) for part in text.parts)
    if not isinstance(text, Msg):
        return str(text)
    values = {name: localise(value, lang) for name, value in text.fields.items()}
    return t(text.key, lang, **values)


def explain(error: BaseException, lang: Lang = DEFAULT_LANG) -> str:
    """Return an error's message in ``lang``.

    Errors raised with a :class:`Msg` (``raise SchemaError(Msg(...))``) are translated; a
    ``ProblemList`` translates each of its problems; any other error gives its own text.
    """
    problems = getattr(error, "problems", None)
    if isinstance(problems, list):
        shown = "\n".join(f"- {explain(p, lang)}" for p in problems[:20])
        more = len(problems) - 20
        tail = "\n- " + t("err.more_problems", lang, n=more) if more > 0 else ""
        return t("err.problems", lang, n=len(problems)) + "\n" + shown + tail
    if error.args and isinstance(error.args[0], Msg):
        return localise(error.args[0], lang)
    return str(error)
