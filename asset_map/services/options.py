"""The options of the use cases, read from one table by argparse, the screens and the checks.

The numbers (walking time, speed, detour, grid cell, new places) are the
:class:`~asset_map.settings.NumberOption` objects of :mod:`asset_map.settings`: their
default, range, unit and CLI option. The choices (need, solver, candidate kinds) are those
of the gap analysis (:mod:`asset_map.analysis.gap_params`). Here they are read:

- :func:`add_number` adds a number option to an argparse parser (default and range in its
  help);
- :func:`widget_range` gives a slider or number field its limits, default and step;
- :func:`gap_params` turns plain options (as typed on the command line or chosen on the
  Kansen screen) into a checked :class:`~asset_map.analysis.gap_params.GapParams`, once,
  with the message of the option that is wrong: the same text for the CLI and the app;
- :func:`add_profile_and_window` adds the walking profile (``--profile``, one per need
  group) and the time window (``--window``) with their choices from
  :data:`asset_map.settings.PROFILES` and :data:`asset_map.settings.WINDOWS`.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Any

from asset_map._errors import AssetMapError
from asset_map.analysis.gap_params import (
    CANDIDATE_KINDS,
    NEEDS,
    SOLVERS,
    GapParams,
    NeedWeights,
)
from asset_map.i18n import Msg, t
from asset_map.settings import (
    ANY_TIME,
    DEFAULT_PROFILE,
    PROFILES,
    WINDOWS,
    NumberOption,
    WalkProfile,
)

#: The need choices of the CLI and the Kansen screen: the presets, then own weights.
NEED_CHOICES = (*NEEDS, "custom")
SOLVER_CHOICES = SOLVERS
CANDIDATE_CHOICES = CANDIDATE_KINDS
PROFILE_CHOICES = tuple(PROFILES)
WINDOW_CHOICES = tuple(WINDOWS)
#: Where new places may go unless the user says otherwise.
DEFAULT_CANDIDATES: tuple[str, ...] = GapParams.candidates
#: The option to name for a problem ``GapParams`` finds, by the problem's text key.
PROBLEM_OPTIONS = {
    "err.gaps.candidate_kinds": "--candidates",
    "err.gaps.no_candidate_kind": "--candidates",
    "err.gaps.meeting_types": "--meeting-types",
}


def _plain(value: float) -> int | float:
    """Return a whole number as an int (``10``), anything else as a float (``4.5``)."""
    return int(value) if float(value).is_integer() else float(value)


def add_number(
    parser: argparse.ArgumentParser | Any,
    option: NumberOption,
    what: str,
    *,
    default: float | None = None,
    whole: bool | None = None,
) -> None:
    """Add ``option.flag`` to ``parser``, with the option's default and range in its help.

    Parameters
    ----------
    parser : ArgumentParser
        The command's parser.
    option : NumberOption
        The option (:mod:`asset_map.settings`).
    what : str
        What the option sets, for the help (``"walking time"``).
    default : float, optional
        Another default than the option's (a command that suggests places by default).
    whole : bool, optional
        Read whole numbers only; by default as the option says.

    The value is stored under ``option.name`` (``args.walk_min``) and checked where it is
    used, so an out-of-range value gives the message of :meth:`NumberOption.check`.
    """
    value = option.default if default is None else default
    is_whole = option.whole if whole is None else whole
    unit = t(option.unit, "en")
    parser.add_argument(
        option.flag,
        dest=option.name,
        type=int if is_whole else float,
        default=int(value) if is_whole else float(value),
        help=f"{what}, {_plain(option.lo)} to {_plain(option.hi)} {unit} (default {_plain(value)})",
    )


def widget_range(option: NumberOption, *, default: float | None = None) -> dict[str, Any]:
    """Return the keyword arguments of a slider or number field for ``option``.

    ``min_value``, ``max_value``, ``value`` and ``step``: whole numbers as int when all of
    them are whole (a slider of minutes), otherwise floats (a speed of 4.5).
    """
    values = (option.lo, option.hi, option.default if default is None else default, option.step)
    if all(float(v).is_integer() for v in values):
        numbers: tuple[int | float, ...] = tuple(int(v) for v in values)
    else:
        numbers = tuple(float(v) for v in values)
    return dict(zip(("min_value", "max_value", "value", "step"), numbers, strict=True))


def add_profile_and_window(
    parser: argparse.ArgumentParser | Any, *, groups: bool = True, window: bool = True
) -> None:
    """Add ``--profile`` (and per need group, and ``--window``) to ``parser``.

    ``args.profile`` is a key of :data:`asset_map.settings.PROFILES`; ``args.profile_65``
    and ``args.profile_single`` are None unless given (the group walks as everyone).
    """
    described = ", ".join(
        f"{p.key} ({_plain(p.speed_kmh)} km/h{', step-free places only' if p.step_free else ''})"
        for p in PROFILES.values()
    )
    parser.add_argument(
        "--profile",
        choices=PROFILE_CHOICES,
        default=DEFAULT_PROFILE,
        help=f"how residents get about: {described} (default {DEFAULT_PROFILE}); "
        "--speed and --detour, when given, replace its speed and detour",
    )
    if groups:
        parser.add_argument(
            "--profile-65plus",
            dest="profile_65",
            choices=PROFILE_CHOICES,
            help="residents aged 65+ walk at this profile (e.g. ouderen); default: --profile",
        )
        parser.add_argument(
            "--profile-single",
            dest="profile_single",
            choices=PROFILE_CHOICES,
            help="single-person households walk at this profile; default: --profile",
        )
    if window:
        parser.add_argument(
            "--window",
            choices=WINDOW_CHOICES,
            default=ANY_TIME,
            help="count only meeting places open then (opening hours and activities): "
            f"{', '.join(WINDOW_CHOICES)} (default {ANY_TIME}: opening hours not looked at)",
        )
        parser.add_argument(
            "--unknown",
            choices=("count", "skip"),
            default="count",
            help="places whose opening hours or step-free access are unknown: count them "
            "(default; a note says how many) or skip them",
        )


def walk_profile(
    profile: str = DEFAULT_PROFILE, speed_kmh: float | None = None, detour: float | None = None
) -> WalkProfile:
    """Return a walking profile, with its speed and detour replaced when given.

    Raises
    ------
    AssetMapError
        For an unknown profile (naming ``--profile``), or a speed or detour out of range.
    """
    if profile not in PROFILES:
        raise AssetMapError(
            Msg("err.gaps.profile", value=str(profile), profiles=", ".join(PROFILES))
        )
    base = PROFILES[profile]
    speed = base.speed_kmh if speed_kmh is None else speed_kmh
    return WalkProfile(base.key, speed, base.detour if detour is None else detour, base.step_free)


def need_weights(need: str = NEEDS[0], weights: str | Sequence[float] | None = None) -> NeedWeights:
    """Return the need weights of a preset, or of three own weights.

    ``weights`` is the CLI's text (``"0.2,0.4,0.4"``) or the screen's three numbers; when
    given (or ``need`` is ``custom``), it wins over ``need``.

    Raises
    ------
    AssetMapError
        For an unknown preset, or weights that are not three numbers of 0 or more with at
        least one above 0; for the CLI's text the message names ``--weights``.
    """
    if weights is None:
        if need == "custom":
            raise AssetMapError(Msg("err.gaps.option_weights", value=""))
        return NeedWeights.preset(need)
    if not isinstance(weights, str):  # the screen's three number fields
        return NeedWeights(*(float(w) for w in weights))
    try:
        values = [float(v) for v in split_list(weights)]
    except ValueError:
        values = []
    if len(values) != 3:
        raise AssetMapError(Msg("err.gaps.option_weights", value=weights))
    try:
        return NeedWeights(*values)
    except AssetMapError as exc:  # e.g. all three 0: name the option
        raise AssetMapError(
            Msg("err.gaps.option_problem", option=f"--weights {weights}", problem=exc.args[0])
        ) from None


def gap_params(
    *,
    walk_min: float = GapParams.walk_min,
    speed_kmh: float | None = None,
    detour: float | None = None,
    cell_m: float = GapParams.cell_m,
    need: str = NEEDS[0],
    weights: str | Sequence[float] | None = None,
    meeting_types: str | Sequence[str] | None = None,
    include_planned: bool = False,
    new_sites: int = GapParams.new_sites,
    solver: str = GapParams.solver,
    candidates: str | Sequence[str] = DEFAULT_CANDIDATES,
    profile: str = DEFAULT_PROFILE,
    profile_65: str | None = None,
    profile_single: str | None = None,
    window: str = ANY_TIME,
    unknown: str = "count",
    time_limit_s: float = GapParams.time_limit_s,
) -> GapParams:
    """Return the checked parameters of a gap analysis from plain options.

    Lists may be given as the CLI's comma-separated text (``"planned,hosts"``) or as
    sequences; no meeting types means the catalogue's meeting places. ``speed_kmh`` and
    ``detour`` replace the profile's when given (None: the profile's). ``unknown`` is
    ``count`` or ``skip``: places with unknown hours or step-free access.

    Raises
    ------
    AssetMapError
        For the first option that is wrong, naming it as the CLI user types it
        (``--walk-min``, ``--candidates``, ``--weights``): the CLI prints the message, the
        Kansen screen shows the same text.
    """
    types = split_list(meeting_types) if isinstance(meeting_types, str) else meeting_types
    kinds = split_list(candidates) if isinstance(candidates, str) else candidates
    try:
        return GapParams(
            walk_min=walk_min,
            speed_kmh=math.nan if speed_kmh is None else speed_kmh,
            detour=math.nan if detour is None else detour,
            cell_m=cell_m,
            weights=need_weights(need, weights),
            meeting_types=tuple(types) if types else None,
            include_planned=include_planned,
            new_sites=new_sites,
            solver=solver,
            candidates=tuple(kinds),
            profile=profile,
            profile_65=profile_65,
            profile_single=profile_single,
            window=window,
            unknown_counts=unknown != "skip",
            time_limit_s=time_limit_s,
        )
    except AssetMapError as exc:  # name the option the problem is in, when we know it
        problem = exc.args[0] if exc.args else str(exc)
        option = PROBLEM_OPTIONS.get(getattr(problem, "key", ""))
        if option is None:
            raise
        raise AssetMapError(
            Msg("err.gaps.option_problem", option=option, problem=problem)
        ) from None


def split_list(text: str | None) -> list[str]:
    """Return the items of a comma-separated list (``"a, b,"`` -> ``["a", "b"]``)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]
