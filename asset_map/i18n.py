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


def _load() -> dict[str, dict[Lang, str]]:
    folder = resources.files("asset_map").joinpath("texts")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".toml")),
        key=lambda f: f.name,
    )
    table: dict[str, dict[Lang, str]] = {}
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


STRINGS: dict[str, dict[Lang, str]] = _load()


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Raises
    ------
    KeyError
        When ``key`` is not in ``STRINGS``: a missing text is a bug, not a blank label.
    """
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


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
