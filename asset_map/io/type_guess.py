"""Guesses about a file of places: which column holds the type, and a type from the name.

Both are only guesses. The app shows them for the user to confirm; the CLI applies a type
suggestion only with ``--guess-types`` and says what it changed.

- :func:`guess_type_column`: the column that most likely holds each place's type, by its
  name (``type``, ``soort``, ``categorie``, ...) and its values (how many are types we know,
  how few distinct values there are).
- :func:`suggest_type`: a type for a place from a Dutch word in its name or description
  (``buurthuis``, ``huiskamer``, ``speeltuin``, ``moskee``, ...), by the word table in
  ``type_words.toml`` beside this module.
- :func:`apply_type_guesses`: the suggestions applied to the places of type ``overig`` of
  a canonical asset layer, with a note that lists every change.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from asset_map.i18n import Msg
from asset_map.io.cells import text_cell
from asset_map.model import catalogue

#: The type a suggestion may replace.
UNTYPED = "overig"
#: Words a type column's name holds (compared as whole words of the name, case-insensitively).
TYPE_COLUMN_WORDS = (
    "type",
    "types",
    "soort",
    "soorten",
    "categorie",
    "categorieen",
    "category",
    "categories",
    "kind",
    "functie",
    "function",
    "typering",
    "classificatie",
    "rubriek",
    "asset",
)
#: A column whose name says nothing needs this share of its values to be types we know.
VALUE_SHARE = 0.5
#: A column has "few" distinct values when it has at most this many, or at most half as many
#: as it has filled cells.
FEW_VALUES = 30


@dataclass(frozen=True)
class TypeGuess:
    """A type suggested by a word in a place's name or description.

    Attributes
    ----------
    type : str
        The suggested type key.
    word : str
        The word (or words) of the text that matched, as the text spells it.
    where : {"name", "description"}
        The text the word is in.
    """

    type: str
    word: str
    where: str


@dataclass(frozen=True)
class _Pattern:
    type: str
    words: tuple[str, ...]
    ending: bool  # "*vereniging": any longer word that ends in it
    score: tuple[int, int, int]


def words_of(text: object) -> list[str]:
    """Return the words of ``text``: lower case, accents dropped, split on all but a-z and 0-9.

    >>> words_of("Taalcafé 'De Buurt' (wijk-centrum)")
    ['taalcafe', 'de', 'buurt', 'wijk', 'centrum']
    """
    if text is None or text != text:  # None or NaN
        return []
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain)


@cache
def type_words() -> dict[str, tuple[str, ...]]:
    """Return the word table of ``type_words.toml``: type key -> words, in the file's order.

    Raises
    ------
    ValueError
        When the table names a type that ``asset_types.toml`` does not have.
    """
    text = resources.files("asset_map.io").joinpath("type_words.toml").read_text("utf-8")
    table = tomllib.loads(text)["words"]
    unknown = [key for key in table if key not in catalogue().types]
    if unknown:
        raise ValueError(f"type_words.toml: unknown type keys {', '.join(unknown)}")
    return {key: tuple(words) for key, words in table.items()}


@cache
def _patterns() -> tuple[_Pattern, ...]:
    """Return the word table as patterns; a better match has a higher ``score``."""
    patterns: list[_Pattern] = []
    for key, entries in type_words().items():
        for entry in entries:
            ending = entry.startswith("*")
            words = tuple(words_of(entry))
            # the longest text, then a whole word over an ending, then the first in the table
            score = (len(" ".join(words)), 0 if ending else 1, -len(patterns))
            patterns.append(_Pattern(key, words, ending, score))
    return tuple(patterns)


@cache
def _index() -> tuple[dict[str, tuple[_Pattern, ...]], tuple[_Pattern, ...]]:
    """Return the whole-word patterns by their first word, and the word endings."""
    by_first: dict[str, list[_Pattern]] = {}
    for pattern in _patterns():
        if not pattern.ending:
            by_first.setdefault(pattern.words[0], []).append(pattern)
    endings = tuple(p for p in _patterns() if p.ending)
    return {w: tuple(ps) for w, ps in by_first.items()}, endings


def _best(words: Sequence[str]) -> tuple[_Pattern, str] | None:
    """Return the best pattern that matches ``words``, and the matched text, or None.

    The best has the longest text; at equal length a whole word beats an ending, and the
    first in the table wins.
    """
    by_first, endings = _index()
    found: list[tuple[_Pattern, str]] = []
    for start, word in enumerate(words):
        for pattern in by_first.get(word, ()):
            if tuple(words[start : start + len(pattern.words)]) == pattern.words:
                found.append((pattern, " ".join(pattern.words)))
        for pattern in endings:
            end = pattern.words[0]
            if len(word) > len(end) and word.endswith(end):
                found.append((pattern, word))
    return max(found, key=lambda f: f[0].score, default=None)


def suggest_type(name: object, description: object = None) -> TypeGuess | None:
    """Suggest a type for a place from a word in its name, else in its description.

    Parameters
    ----------
    name, description : object
        The place's texts (None or NaN when missing).

    Returns
    -------
    TypeGuess or None
        None when neither text has a word of the table (``type_words.toml``).

    Examples
    --------
    >>> suggest_type("Wijk- en Speeltuinvereniging De Driehoek").type
    'speeltuin_clubhuis'
    >>> suggest_type("Parkeren bij de kerk").type
    'gebedshuis'
    >>> suggest_type("Tinq") is None
    True
    """
    for where, text in (("name", name), ("description", description)):
        best = _best(words_of(text))
        if best is not None:
            return TypeGuess(best[0].type, best[1], where)
    return None


# --- the type column -----------------------------------------------------------------------


def guess_type_column(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str | None:
    """Return the column of ``frame`` that most likely holds each place's type, or None.

    A column is a candidate when its name is a type word (``type``, ``soort``,
    ``categorie``, ``category``, ``functie``, ...; as a whole word of the name, so
    ``soort_plek`` counts), or when at least half of its values are types we know (a type
    key, label or alias of ``asset_types.toml``). Unless its name is such a word exactly, a
    candidate must also have few distinct values (at most 30, or at most half of its filled
    cells): names, ids and descriptions have many. The best candidate has the most of both:
    a type word in its name, and the largest share of known types.

    Parameters
    ----------
    frame : DataFrame
        The file's rows, as read (any column names).
    columns : sequence of str, optional
        The columns to consider (default: all but ``geometry``).
    """
    names = [str(c) for c in (columns if columns is not None else frame.columns)]
    best: tuple[float, str] | None = None
    for column in names:
        if column not in frame.columns or column == "geometry":
            continue
        score = _type_column_score(column, frame[column])
        if score is not None and (best is None or score > best[0]):
            best = (score, column)
    return best[1] if best else None


def _type_column_score(column: str, values: pd.Series) -> float | None:
    """Return how much ``column`` looks like a type column, or None when it does not."""
    filled = [text for text in (text_cell(v) for v in values) if text is not None]
    if not filled:
        return None
    name = words_of(column.replace("_", " "))
    whole = " ".join(name) in TYPE_COLUMN_WORDS
    named = whole or any(w in TYPE_COLUMN_WORDS for w in name)
    cat = catalogue()
    share = sum(cat.type_for(text) is not None for text in filled) / len(filled)
    distinct = len(set(filled))
    few = distinct <= max(FEW_VALUES, len(filled) // 2)
    if not whole and not few:
        return None
    if not named and share < VALUE_SHARE:
        return None
    return (2.0 if whole else 1.0 if named else 0.0) + share


# --- applying suggestions (the CLI's --guess-types) ----------------------------------------


def apply_type_guesses(assets: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Give every place of type ``overig`` the type its name or description suggests.

    Parameters
    ----------
    assets : DataFrame
        A canonical asset layer (``name``, ``description``, ``type``); not changed.

    Returns
    -------
    DataFrame, list of str
        A copy with the suggested types, and one note: how many places changed, per type,
        and which (or that no place has a word that suggests a type).
    """
    out = assets.copy()
    untyped = out.index[out["type"] == UNTYPED]
    changes: list[str] = []
    per_type: Counter[str] = Counter()
    for index in untyped:
        guess = suggest_type(out.at[index, "name"], out.at[index, "description"])
        if guess is None:
            continue
        out.at[index, "type"] = guess.type
        per_type[guess.type] += 1
        changes.append(
            Msg(
                "note.guess.change",
                name=text_cell(out.at[index, "name"]) or "?",
                type=guess.type,
                word=guess.word,
            )
        )
    if not changes:
        return out, [Msg("note.guess.none", n=len(untyped), type=UNTYPED)]
    counts = ", ".join(f"{n}× {key}" for key, n in per_type.most_common())
    which: str = changes[0]
    for change in changes[1:]:  # all of them: the user checks each change
        which = Msg("note.io.list_semicolon", first=which, next=change)
    note = Msg(
        "note.guess.changed",
        n=len(changes),
        of=len(untyped),
        type=UNTYPED,
        counts=counts,
        which=which,
    )
    return out, [note]
