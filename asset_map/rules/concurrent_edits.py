"""Two people editing one row: the rule that no change is lost without anyone seeing it.

Every form that changes a stored row (a place, an activity, a place's needs, a talent under
moderation) starts from an :class:`Editable`: the row's version and its values as the form
showed them. A save sends the form's values with that starting point, and the store

- writes only the fields the user changed (:func:`changed_fields`): a second user who
  changed only the description does not write back the old name;
- refuses the save with :class:`StaleEdit` when the row changed since it was read
  (another version) *and* some field is different now: the error names each field that
  changed meanwhile, with their value and the user's (:func:`changes_meanwhile`). A newer
  version whose values are the same (a workspace save that wrote the row unchanged) is no
  conflict.

The form keeps the user's input after a refusal; :func:`rebase` says which fields take the
new stored value (those the user did not touch) and gives the starting point of the next
save. Pure Python: no streamlit, no database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.model import ACTIVITY_FIELDS, ASSET_FIELDS, PLACE_NEED_COLUMNS, TALENT_FIELDS

#: Coordinates closer than this (degrees, about 10 cm) are the same place: a form shows six
#: decimals, so a place the user did not move may come back a hair's breadth off.
COORDINATE_TOLERANCE = 1e-6
COORDINATES = frozenset({"lon", "lat"})
#: The most characters of a value a message shows.
SHOWN_MAX = 60


@dataclass(frozen=True)
class Editable:
    """A stored row as a form starts from it.

    Attributes
    ----------
    version : int
        The row's version when it was read (0: no row yet, e.g. a place without needs).
    values : mapping
        The fields as the form shows them, in the form of the store's cleaned values
        (``None`` for empty text, ``;``-joined keys, numbers as float).
    """

    version: int
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """A field that someone else changed since the form read the row.

    Attributes
    ----------
    field : str
        The field.
    theirs : object
        Its value now.
    yours : object
        The value the user wants, or None when the user did not change it (``mine``).
    mine : bool
        The user changed this field too: the two changes clash.
    """

    field: str
    theirs: Any
    yours: Any = None
    mine: bool = False


def shown(value: Any) -> str:
    """Return a value as a message shows it: quoted text cut to ``SHOWN_MAX``, ``-`` for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if len(text) > SHOWN_MAX:
        text = text[: SHOWN_MAX - 3] + "..."
    return f"'{text}'"


class StaleEdit(AssetMapError):
    """A save based on an older version of a row that someone changed meanwhile.

    Parameters
    ----------
    what : str
        What was edited, as a text key (``edits.what.asset``) with the row's id.
    row_id : str
        The row's id.
    changes : list of Change
        Every field that differs from what the form read.
    current : Editable
        The row now: the starting point of a new save.
    """

    def __init__(self, what: str, row_id: str, changes: list[Change], current: Editable):
        self.what = what
        self.row_id = row_id
        self.changes = changes
        self.current = current
        listed: Msg | str = ""
        for c in changes:
            item = Msg(
                "edits.stale.both" if c.mine else "edits.stale.theirs",
                field=field_label(c.field),
                theirs=shown(c.theirs),
                yours=shown(c.yours),
            )
            listed = item if not listed else Msg("edits.stale.and", first=listed, then=item)
        super().__init__(Msg("err.edits.stale", what=Msg(what, id=row_id), changes=listed))


#: Every field a staff form changes, with a label in the texts (``edits.field.<name>``): those
#: of a place (its point as ``lon`` and ``lat``), an activity, a place's needs and a talent.
FIELDS = tuple(
    dict.fromkeys(
        name
        for fields in (ASSET_FIELDS, ACTIVITY_FIELDS, PLACE_NEED_COLUMNS, TALENT_FIELDS)
        for field in fields
        for name in (("lon", "lat") if field == "geometry" else (field,))
        if name != "id"
    )
)


def field_label(name: str) -> Msg | str:
    """Return the label of a field as messages name it (``de naam``), or its name."""
    return Msg(f"edits.field.{name}") if name in FIELDS else name


def same(name: str, a: Any, b: Any) -> bool:
    """Tell whether two values of field ``name`` are the same (coordinates within 10 cm)."""
    if a is None or b is None:
        return a is None and b is None
    if name in COORDINATES:
        try:
            return abs(float(a) - float(b)) < COORDINATE_TOLERANCE
        except (TypeError, ValueError):
            return False
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def changed_fields(base: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Return the fields of ``new`` that differ from ``base`` (the user's changes).

    ``lon`` and ``lat`` go together: when the place moved, both are returned.
    """
    out = {name: value for name, value in new.items() if not same(name, base.get(name), value)}
    if COORDINATES & out.keys():
        out.update({name: new[name] for name in COORDINATES if name in new})
    return out


def changes_meanwhile(
    base: Mapping[str, Any], now: Mapping[str, Any], yours: Mapping[str, Any]
) -> list[Change]:
    """Return the fields whose stored value ``now`` differs from ``base``, with the user's.

    Parameters
    ----------
    base : mapping
        The values the form read.
    now : mapping
        The values stored now.
    yours : mapping
        The user's changes (:func:`changed_fields`).
    """
    return [
        Change(name, value, yours.get(name), name in yours)
        for name, value in now.items()
        if name in base and not same(name, base[name], value)
    ]


def check_base(what: str, row_id: str, base: Editable | None, now: Editable, yours: Any) -> None:
    """Refuse a save whose form read an older version of a row that has changed since.

    A newer version whose values are the same as the form read is no conflict (a workspace
    save wrote the row again unchanged).

    Parameters
    ----------
    what : str
        What was edited, as a text key (``edits.what.asset``).
    row_id : str
        The row's id.
    base : Editable or None
        What the form read (None: no form, nothing to compare).
    now : Editable
        The row as stored now.
    yours : mapping
        The user's changes (:func:`changed_fields`).

    Raises
    ------
    StaleEdit
        Naming every field that changed meanwhile, with its value now and the user's.
    """
    if base is None or base.version == now.version:
        return
    changes = changes_meanwhile(base.values, now.values, yours)
    if changes:
        raise StaleEdit(what, row_id, changes, now)


def rebase(base: Editable, form: Mapping[str, Any], current: Editable) -> tuple[set[str], Editable]:
    """Return what a form does after a refusal: the fields to refresh, and its new start.

    The fields the user did not change take the stored value (the form shows it); the
    fields the user changed keep the user's input. The next save starts from ``current``,
    so it writes the user's changes and nothing else.

    Returns
    -------
    (set of str, Editable)
        The fields whose shown value should become ``current.values[field]``, and
        ``current``.
    """
    touched = changed_fields(base.values, form).keys()
    refresh = {
        name
        for name in current.values
        if name not in touched and not same(name, form.get(name), current.values[name])
    }
    return refresh, current


def fields_of(changes: Iterable[Change]) -> list[str]:
    """Return the names of the fields in ``changes``, in order."""
    return [c.field for c in changes]
