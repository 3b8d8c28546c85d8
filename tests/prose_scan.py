"""Find words written in the code where a user would read them: in errors and prints.

Used by the tests that check that every message goes through ``i18n.Msg`` (Dutch and
English), never through English text written in a module.
"""

from __future__ import annotations

import ast
import re

from asset_map import _errors


def error_classes() -> set[str]:
    """Return the names of every error a user may read: AssetMapError and its subclasses."""
    import asset_map.cli
    import asset_map.services.fetch  # noqa: F401

    found, todo = set(), [_errors.AssetMapError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def prose(node: ast.AST) -> list[str]:
    """Return the words written in the code in an argument: string constants with letters.

    Format specs (``{x:>6}``), keys (``row["date"]``, JSON) are no words, nor is the key of a
    ``Msg(...)`` or ``t(...)``; the arguments of other calls are looked at too.
    """
    if isinstance(node, ast.Subscript | ast.Dict):  # keys, and --json output
        return []
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name in ("Msg", "t", "localise", "explain", "unknown_codes"):  # take keys
            return []
        return [w for arg in node.args for w in prose(arg)]
    if isinstance(node, ast.Constant):
        return (
            [node.value]
            if isinstance(node.value, str) and re.search("[A-Za-z]", node.value)
            else []
        )
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values for w in prose(part)]
    if isinstance(node, ast.FormattedValue):
        return prose(node.value)
    return [w for child in ast.iter_child_nodes(node) for w in prose(child)]


def bare_texts(source: str, calls: set[str]) -> list[str]:
    """Return the words in the code given to one of ``calls`` (error classes, ``print``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in calls:
            found += [w for arg in node.args for w in prose(arg)]
    return found


def _is_note_list(node: ast.AST) -> bool:
    """Tell whether ``node`` is ``notes.append`` / ``warnings.extend`` (any list of notes)."""
    if not isinstance(node, ast.Attribute) or node.attr not in ("append", "extend", "insert"):
        return False
    target = node.value
    name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
    return "note" in name or "warning" in name


def user_texts(source: str, errors: set[str]) -> list[str]:
    """Return the words in the code that reach a user: in an error of ``errors``, or a note.

    A note is what is added to a list named ``notes`` or ``warnings`` (``notes.append``).
    """
    found = bare_texts(source, errors)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_note_list(node.func):
            found += [w for arg in node.args for w in prose(arg)]
    return found
