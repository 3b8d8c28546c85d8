r"""Settings: every environment variable and every default, read and checked in one place.

The app, the CLI and the services read their settings here, never from ``os.environ``
themselves. All environment variables are optional:

=============================== =========================================================
``ASSET_MAP_DATABASE_URL``      the database: ``sqlite:///path.sqlite`` or
                                ``postgresql://user@host/db``; default: SQLite
                                ``asset_map.sqlite`` in the instance folder
``ASSET_MAP_INSTANCE_DIR``      the instance folder (the default database), shared by
                                ``streamlit run app.py`` and every ``asset-map`` command
``ASSET_MAP_DATA_DIR``          a folder of files in our canonical format that the app
                                shows instead of the database (read-only)
``ASSET_MAP_PDOK_URL``          another PDOK base URL (a mirror), ``{year}`` in it
``ASSET_MAP_OVERPASS_URL``      another Overpass API URL
``ASSET_MAP_RETENTION_MONTHS``  months personal data is kept (default 12)
``ASSET_MAP_CHECK_MONTHS``      months after which a place that nobody checked counts as
                                overdue (default 12)
``ASSET_MAP_TILES_URL``         an own tile server: a URL template with ``{z}``, ``{x}``
                                and ``{y}``
``ASSET_MAP_TILES_ATTRIBUTION`` the attribution its licence asks for (needed with the URL)
``ASSET_MAP_TILES_MAX_ZOOM``    its highest zoom level (default 19)
``ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR``, ``..._PER_ADDRESS_DAY``
                                residents' submissions (talents, suggestions) one client
                                address may send per hour and per day (default 10, 30)
``ASSET_MAP_SUBMISSIONS_PER_HOUR``, ``..._PER_DAY``
                                submissions from everyone together per hour and per day
                                (default 200, 1000)
``ASSET_MAP_MODERATION_QUEUE_MAX`` submissions waiting for moderation at most (default
                                1000); a full queue takes no more
``ASSET_MAP_MAX_FILE_MB``       the largest file an import reads, in MB (default 500)
``ASSET_MAP_MAX_FEATURES``      the most features (rows) a file may hold (default 2,000,000)
``ASSET_MAP_MAX_LAYERS``        the most layers a GeoPackage or zip may hold (default 50)
``ASSET_MAP_MAX_NAME_CHARS``    names longer than this are cut on import (default 200)
``ASSET_MAP_MAX_TEXT_CHARS``    other texts (description, ...) are cut there (default 10,000)
``ASSET_MAP_SESSION_SECRET``    the key that signs staff session cookies (at least 32
                                characters); default: a random key kept in the database
``ASSET_MAP_CONTACT``           who residents can ask, printed on the near-me flyer
                                (e.g. ``Wijkteam Lindeveen, 0570 123 456``)
=============================== =========================================================

The instance folder follows one rule, wherever a command is started: the folder
``ASSET_MAP_INSTANCE_DIR`` names; else ``instance/`` in the source checkout when the package
lives in one (beside ``app.py``); else a per-user data folder (``$XDG_DATA_HOME/asset_map``,
``~/.local/share/asset_map``, or ``%LOCALAPPDATA%\\asset_map`` on Windows).

The numeric options of the analyses (walking time, speed, detour, ...) have their default,
range and unit here too, in :class:`NumberOption` objects: the analysis checks its input
with them, argparse and the Streamlit widgets take their defaults and limits from them, and
a value out of range gives the same message everywhere.

A wrong value is refused with a message that names the setting and how to fix it; it never
silently becomes the default.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg

DATABASE_URL_ENV = "ASSET_MAP_DATABASE_URL"
INSTANCE_DIR_ENV = "ASSET_MAP_INSTANCE_DIR"
DATA_DIR_ENV = "ASSET_MAP_DATA_DIR"
PDOK_URL_ENV = "ASSET_MAP_PDOK_URL"
OVERPASS_URL_ENV = "ASSET_MAP_OVERPASS_URL"
RETENTION_ENV = "ASSET_MAP_RETENTION_MONTHS"
CHECK_MONTHS_ENV = "ASSET_MAP_CHECK_MONTHS"
TILES_URL_ENV = "ASSET_MAP_TILES_URL"
TILES_ATTRIBUTION_ENV = "ASSET_MAP_TILES_ATTRIBUTION"
TILES_MAX_ZOOM_ENV = "ASSET_MAP_TILES_MAX_ZOOM"
SUBMISSIONS_ADDRESS_HOUR_ENV = "ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR"
SUBMISSIONS_ADDRESS_DAY_ENV = "ASSET_MAP_SUBMISSIONS_PER_ADDRESS_DAY"
SUBMISSIONS_HOUR_ENV = "ASSET_MAP_SUBMISSIONS_PER_HOUR"
SUBMISSIONS_DAY_ENV = "ASSET_MAP_SUBMISSIONS_PER_DAY"
QUEUE_MAX_ENV = "ASSET_MAP_MODERATION_QUEUE_MAX"
MAX_FILE_MB_ENV = "ASSET_MAP_MAX_FILE_MB"
MAX_FEATURES_ENV = "ASSET_MAP_MAX_FEATURES"
MAX_LAYERS_ENV = "ASSET_MAP_MAX_LAYERS"
MAX_NAME_CHARS_ENV = "ASSET_MAP_MAX_NAME_CHARS"
MAX_TEXT_CHARS_ENV = "ASSET_MAP_MAX_TEXT_CHARS"
SESSION_SECRET_ENV = "ASSET_MAP_SESSION_SECRET"
CONTACT_ENV = "ASSET_MAP_CONTACT"

#: PDOK's OGC API Features of the CBS wijk- en buurtkaart; ``{year}`` is the vintage.
DEFAULT_PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1"
DEFAULT_OVERPASS_URL = "https://overpass-api.de/api/interpreter"
#: The folder that holds the package: the source checkout when ``app.py`` is beside it.
SOURCE_ROOT = Path(__file__).resolve().parents[1]
#: The SQLite file of the default database, in the instance folder.
DATABASE_FILE = "asset_map.sqlite"

Environ = Mapping[str, str]


# --- numbers with a range -----------------------------------------------------------------------


@dataclass(frozen=True)
class NumberOption:
    """A numeric option: its default, range and unit, its label and its CLI option.

    Attributes
    ----------
    name : str
        The name of the parameter in the code (``walk_min``).
    default : float
        The value used when none is given.
    lo, hi : float
        The lowest and highest value allowed (both allowed).
    unit : str
        Text key of the unit, as a message shows it (``minuten``).
    label : str
        Text key of the option's name in a message (``De looptijd``).
    flag : str
        The option as a user of the CLI types it (``--walk-min``).
    step : float
        The step of a slider or number field.
    whole : bool
        Only whole numbers are allowed.
    presets : tuple of float
        Values a screen offers as quick choices (all within the range).
    """

    name: str
    default: float
    lo: float
    hi: float
    unit: str
    label: str
    flag: str
    step: float = 1.0
    whole: bool = False
    presets: tuple[float, ...] = ()

    def check(self, value: object) -> float:
        """Return ``value`` when it is a number within the range; otherwise raise.

        Raises
        ------
        AssetMapError
            ``Looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf 0.``; the
            same text wherever the value came from (the CLI, a screen, the code).
        """
        number = value if isinstance(value, int | float) else None
        if isinstance(value, bool) or number is None or not _finite(number):
            raise self.error(value)
        if not self.lo <= number <= self.hi:
            raise self.error(value)
        if self.whole and int(number) != number:
            raise AssetMapError(
                Msg(
                    "err.option.whole", label=Msg(self.label), option=self.flag, value=_shown(value)
                )
            )
        return float(number)

    def error(self, value: object) -> AssetMapError:
        """Return the error for a value out of range (or no number at all)."""
        return AssetMapError(
            Msg(
                "err.option.range",
                label=Msg(self.label),
                option=self.flag,
                lo=_shown(self.lo),
                hi=_shown(self.hi),
                unit=Msg(self.unit),
                value=_shown(value),
            )
        )


def _finite(number: float) -> bool:
    """Tell whether a number is finite and within a float's range (a huge int is not)."""
    try:
        return math.isfinite(number)
    except OverflowError:  # an int of hundreds of digits
        return False


#: The most characters of a number shown in a message: a number of thousands of digits
#: is cut, not printed whole (Python refuses to turn an int of over 4300 digits into text).
_SHOWN_MAX = 20


def _shown(value: object) -> str:
    """Return a number as a user typed it: ``10``, ``4.5``; anything else as text."""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**_SHOWN_MAX:
        sign = "-" if value < 0 else ""
        return f"{sign}1e{int(abs(value).bit_length() * math.log10(2))}"  # about: a huge number
    text = str(value)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 3] + "..."


def _whole(
    name: str, default: int, lo: int, hi: int, unit: str, flag: str, *, label: str = ""
) -> NumberOption:
    """Return a whole-number option: unit ``option.unit.<unit>``, label ``option.<label>``."""
    return NumberOption(
        name, default, lo, hi, f"option.unit.{unit}", f"option.{label or name}", flag, whole=True
    )


#: Walking: how far residents walk, how fast, and how much longer than a straight line.
WALK_MIN = NumberOption(
    "walk_min", 10, 1, 60, "option.unit.minutes", "option.walk_min", "--walk-min",
    presets=(5, 10, 15),
)  # fmt: skip
SPEED_KMH = NumberOption(
    "speed_kmh", 4.5, 1, 8, "option.unit.kmh", "option.speed_kmh", "--speed", step=0.5
)
DETOUR = NumberOption(
    "detour", 1.3, 1, 3, "option.unit.detour", "option.detour", "--detour", step=0.05
)
#: The gap analysis: its grid, how many new places it suggests, how long the exact solver runs.
CELL_M = NumberOption(
    "cell_m", 100, 25, 1000, "option.unit.metres", "option.cell_m", "--cell-m",
    presets=(50, 100, 200, 250, 500),
)  # fmt: skip
NEW_SITES = _whole("new_sites", 0, 0, 10, "sites", "--new-sites")
#: The same range; the Kansen screen and the wijk report suggest three places by default.
SUGGESTED_SITES = _whole("new_sites", 3, 0, 10, "sites", "--new-sites")
#: The exact solver stops after this long with the best sites found so far (it starts from
#: the greedy ones). With every grid cell as a candidate it needed 26 s (50 m cells) to 42 s
#: (25 m) for what the greedy found in 3-6 s: a person waits at most this long by default.
TIME_LIMIT_S = NumberOption(
    "time_limit_s", 30, 1, 3600, "option.unit.seconds", "option.time_limit_s", "--time-limit"
)
#: Settings from the environment that are numbers.
RETENTION_MONTHS = _whole("retention_months", 12, 1, 120, "months", RETENTION_ENV)
#: A place not checked for this many months is overdue: marked, left off flyers, counted.
CHECK_MONTHS = _whole("check_months", 12, 1, 120, "months", CHECK_MONTHS_ENV)
TILES_MAX_ZOOM = _whole("tiles_max_zoom", 19, 1, 22, "zoom", TILES_MAX_ZOOM_ENV)

#: Residents' submissions (talents, suggestions): per client address and from everyone
#: together, per hour and per day; and how many may wait for moderation.
SUBMISSIONS_ADDRESS_HOUR = _whole(
    "per_address_hour", 10, 1, 10_000, "submissions", SUBMISSIONS_ADDRESS_HOUR_ENV,
    label="submissions_address_hour",
)  # fmt: skip
SUBMISSIONS_ADDRESS_DAY = _whole(
    "per_address_day", 30, 1, 100_000, "submissions", SUBMISSIONS_ADDRESS_DAY_ENV,
    label="submissions_address_day",
)  # fmt: skip
SUBMISSIONS_HOUR = _whole(
    "per_hour", 200, 1, 100_000, "submissions", SUBMISSIONS_HOUR_ENV, label="submissions_hour"
)
SUBMISSIONS_DAY = _whole(
    "per_day", 1000, 1, 1_000_000, "submissions", SUBMISSIONS_DAY_ENV, label="submissions_day"
)
QUEUE_MAX = _whole("queue_max", 1000, 1, 1_000_000, "submissions", QUEUE_MAX_ENV)
#: Numbers of the command line that are no analysis option: they are checked with the same
#: message. ``purge --older-than-days``: at most a century (an older date does not exist).
OLDER_THAN_DAYS = _whole("older_than_days", 365, 0, 36_500, "days", "--older-than-days")
#: The year of a source (``import --year``) and of the CBS map to download (``fetch --year``).
SOURCE_YEAR = _whole(
    "year", date.today().year, 1900, date.today().year + 1, "year", "--year", label="source_year"
)
MAP_YEAR = _whole("year", 2024, 1990, date.today().year + 1, "year", "--year", label="map_year")
#: What an import reads at most: defaults that a gemeente never reaches.
MAX_FILE_MB = _whole("max_file_mb", 500, 1, 100_000, "mb", MAX_FILE_MB_ENV)
MAX_FEATURES = _whole("max_features", 2_000_000, 1, 100_000_000, "features", MAX_FEATURES_ENV)
MAX_LAYERS = _whole("max_layers", 50, 1, 100_000, "layers", MAX_LAYERS_ENV)
MAX_NAME_CHARS = _whole("max_name_chars", 200, 20, 100_000, "characters", MAX_NAME_CHARS_ENV)
MAX_TEXT_CHARS = _whole("max_text_chars", 10_000, 100, 10_000_000, "characters", MAX_TEXT_CHARS_ENV)

#: Every numeric option of the analyses, by name (the gap analysis checks these).
GAP_OPTIONS: dict[str, NumberOption] = {
    o.name: o for o in (WALK_MIN, SPEED_KMH, DETOUR, CELL_M, NEW_SITES, TIME_LIMIT_S)
}


# --- walking profiles and time windows -------------------------------------------------------


@dataclass(frozen=True)
class WalkProfile:
    """A way of getting about: a walking speed, a detour factor, and whether steps block it.

    Attributes
    ----------
    key : str
        The name a user of the CLI types (``--profile ouderen``).
    speed_kmh : float
        The walking (or rolling) speed.
    detour : float
        Walking distance = straight line x this factor.
    step_free : bool
        Only places without steps count (OpenStreetMap ``wheelchair=yes`` or ``limited``),
        and on a street network ways with steps (``highway=steps``, ``wheelchair=no``) are
        left out.
    """

    key: str
    speed_kmh: float
    detour: float
    step_free: bool = False

    @property
    def label(self) -> str:
        """Text key of the profile's name (``Ouderen / rollator``)."""
        return f"profile.{self.key}"

    def __post_init__(self) -> None:
        SPEED_KMH.check(self.speed_kmh)
        DETOUR.check(self.detour)


#: The walking profiles, the first one the default. Older people and rollator users walk
#: about 3 km/h (against 4.5 km/h for adults on average); a wheelchair on the pavement about
#: 3.5 km/h, with a longer way round (dropped kerbs, ramps) and only step-free places.
PROFILES: dict[str, WalkProfile] = {
    p.key: p
    for p in (
        WalkProfile("gemiddeld", SPEED_KMH.default, DETOUR.default),
        WalkProfile("ouderen", 3.0, DETOUR.default),
        WalkProfile("rolstoel", 3.5, 1.4, step_free=True),
    )
}
DEFAULT_PROFILE = next(iter(PROFILES))


@dataclass(frozen=True)
class TimeWindow:
    """A part of the week when people need a place to be open (all weeks alike).

    Attributes
    ----------
    key : str
        The name a user of the CLI types (``--window weekday-evening``).
    days : tuple of int
        ISO weekdays (1 = Monday); empty for ``any`` (every hour of the week, opening hours
        not looked at).
    start, end : str
        ``HH:MM`` on each of those days (``24:00`` is the end of the day).
    """

    key: str
    days: tuple[int, ...]
    start: str
    end: str

    @property
    def label(self) -> str:
        """Text key of the window's name (``Doordeweeks 's avonds``)."""
        return f"window.{self.key}"

    @property
    def any_time(self) -> bool:
        """Whether this is the window of every hour (opening hours are not looked at)."""
        return not self.days

    def minutes(self) -> list[tuple[int, int]]:
        """Return the window as (start, end) minutes from Monday 00:00, one pair per day."""
        start, end = _minute_of_day(self.start), _minute_of_day(self.end)
        return [((d - 1) * 1440 + start, (d - 1) * 1440 + end) for d in self.days]


def _minute_of_day(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


#: The time windows, the first one (any time) the default.
WINDOWS: dict[str, TimeWindow] = {
    w.key: w
    for w in (
        TimeWindow("any", (), "00:00", "24:00"),
        TimeWindow("weekday-morning", (1, 2, 3, 4, 5), "08:00", "12:00"),
        TimeWindow("weekday-afternoon", (1, 2, 3, 4, 5), "12:00", "18:00"),
        TimeWindow("weekday-evening", (1, 2, 3, 4, 5), "18:00", "23:00"),
        TimeWindow("weekend", (6, 7), "08:00", "23:00"),
    )
}
ANY_TIME = next(iter(WINDOWS))
#: A place counts in a window when it is open at least this many minutes in it, in a week
#: (a coffee morning of one hour on one Tuesday counts for "weekday mornings").
MIN_OPEN_MINUTES = 30


def walk_metres(walk_min: float, speed_kmh: float) -> float:
    """Return the walking distance in metres of ``walk_min`` minutes at ``speed_kmh`` km/h.

    The one conversion of walking minutes to metres (10 minutes at 4.5 km/h: 750 m).
    """
    return walk_min / 60.0 * speed_kmh * 1000.0


class WalkReach:
    """How far one walks: ``walk_min`` minutes at ``speed_kmh``, ``detour`` x the straight line.

    A base of the option objects that hold the three (the gap analysis's, a near-me search's).
    """

    walk_min: float
    speed_kmh: float
    detour: float

    @property
    def max_walk_m(self) -> float:
        """The walking distance in reach: minutes x speed, in metres."""
        return walk_metres(self.walk_min, self.speed_kmh)

    @property
    def radius_m(self) -> float:
        """The straight-line distance in reach: walking distance / detour, in metres."""
        return self.max_walk_m / self.detour


# --- the environment ------------------------------------------------------------------------------


def _env(environ: Environ | None) -> Environ:
    return os.environ if environ is None else environ


def _value(environ: Environ | None, name: str) -> str:
    return _env(environ).get(name, "").strip()


def env_number(option: NumberOption, environ: Environ | None = None) -> int:
    """Return a whole number from the environment variable ``option.flag``, or its default.

    Raises
    ------
    AssetMapError
        When it is not a whole number within the option's range (``6m``, ``0``).
    """
    text = _value(environ, option.flag)
    if not text:
        return int(option.default)
    digits = text.isascii() and text.isdigit() and len(text) <= _SHOWN_MAX
    if not digits or not option.lo <= int(text) <= option.hi:
        raise AssetMapError(
            Msg(
                "err.settings.number",
                env=option.flag,
                value=_shown(text),
                lo=_shown(option.lo),
                hi=_shown(option.hi),
                unit=Msg(option.unit),
                example=_shown(option.default),
            )
        )
    return int(text)


def database_url(environ: Environ | None = None) -> str | None:
    """Return ``ASSET_MAP_DATABASE_URL``, or None for the default SQLite file."""
    return _value(environ, DATABASE_URL_ENV) or None


def default_database_url(environ: Environ | None = None) -> str:
    """Return the URL of the default SQLite file in :func:`instance_dir`."""
    return f"sqlite:///{instance_dir(environ) / DATABASE_FILE}"


def source_checkout(root: Path | None = None) -> Path | None:
    """Return the source checkout the package lives in (``app.py`` beside it), or None."""
    folder = SOURCE_ROOT if root is None else root
    return folder if (folder / "app.py").is_file() else None


def user_data_dir(environ: Environ | None = None) -> Path:
    """Return the per-user data folder of the app (``~/.local/share/asset_map``)."""
    env = _env(environ)
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "asset_map"
    base = env.get("XDG_DATA_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".local" / "share") / "asset_map"


def instance_dir(environ: Environ | None = None, *, root: Path | None = None) -> Path:
    """Return the instance folder (the default database): one rule for the app and the CLI.

    ``ASSET_MAP_INSTANCE_DIR`` when set; else ``instance/`` in the source checkout
    (``root``, by default the folder that holds the package, when ``app.py`` is there);
    else :func:`user_data_dir`. Never the working directory: a command started in another
    folder uses the same database as the app.
    """
    given = _value(environ, INSTANCE_DIR_ENV)
    if given:
        return Path(given).expanduser().resolve()
    checkout = source_checkout(root)
    if checkout is not None:
        return checkout / "instance"
    return user_data_dir(environ)


def data_dir(environ: Environ | None = None) -> Path | None:
    """Return the folder ``ASSET_MAP_DATA_DIR`` names, or None (the app reads the database)."""
    given = _value(environ, DATA_DIR_ENV)
    return Path(given).expanduser() if given else None


def pdok_url(environ: Environ | None = None) -> str:
    """Return the PDOK base URL: ``ASSET_MAP_PDOK_URL``, or PDOK itself."""
    return _value(environ, PDOK_URL_ENV) or DEFAULT_PDOK_URL


def overpass_url(environ: Environ | None = None) -> str:
    """Return the Overpass API URL: ``ASSET_MAP_OVERPASS_URL``, or overpass-api.de."""
    return _value(environ, OVERPASS_URL_ENV) or DEFAULT_OVERPASS_URL


def retention_months(environ: Environ | None = None) -> int:
    """Return how many months personal data is kept: ``ASSET_MAP_RETENTION_MONTHS`` or 12.

    Raises
    ------
    AssetMapError
        When the setting is not a whole number of months from 1 to 120 (``6m``, ``0``): a
        wrong value must not silently become 12.
    """
    return env_number(RETENTION_MONTHS, environ)


def check_months(environ: Environ | None = None) -> int:
    """Return after how many months an unchecked place is overdue: the setting, or 12.

    Raises
    ------
    AssetMapError
        When ``ASSET_MAP_CHECK_MONTHS`` is not a whole number of months from 1 to 120.
    """
    return env_number(CHECK_MONTHS, environ)


@dataclass(frozen=True)
class SubmissionLimits:
    """How many residents' submissions are taken (see :mod:`asset_map.rules.submissions`).

    Attributes
    ----------
    per_address_hour, per_address_day : int
        From one client address, in the last hour and the last 24 hours.
    per_hour, per_day : int
        From everyone together, likewise.
    queue_max : int
        Submissions waiting for moderation at most; a full queue takes no more.
    """

    per_address_hour: int = int(SUBMISSIONS_ADDRESS_HOUR.default)
    per_address_day: int = int(SUBMISSIONS_ADDRESS_DAY.default)
    per_hour: int = int(SUBMISSIONS_HOUR.default)
    per_day: int = int(SUBMISSIONS_DAY.default)
    queue_max: int = int(QUEUE_MAX.default)


#: The settings of :class:`SubmissionLimits`, each named as its attribute.
SUBMISSION_OPTIONS = (
    SUBMISSIONS_ADDRESS_HOUR, SUBMISSIONS_ADDRESS_DAY, SUBMISSIONS_HOUR, SUBMISSIONS_DAY, QUEUE_MAX
)  # fmt: skip


def submission_limits(environ: Environ | None = None) -> SubmissionLimits:
    """Return the limits on residents' submissions from the environment, or the defaults.

    A setting out of its range raises the ``AssetMapError`` of :func:`env_number`.
    """
    return SubmissionLimits(**{o.name: env_number(o, environ) for o in SUBMISSION_OPTIONS})


@dataclass(frozen=True)
class ImportLimits:
    """What an import reads at most (see :func:`import_limits`).

    Attributes
    ----------
    file_bytes : int
        The largest file, in bytes; a larger one is refused before it is read.
    features : int
        The most features (rows) a file may hold; counted before the file is read whole.
    layers : int
        The most layers a GeoPackage (or Shapefiles a zip) may hold.
    name_chars, text_chars : int
        Names, and other texts such as descriptions, longer than this are cut (with a note).
    """

    file_bytes: int
    features: int
    layers: int
    name_chars: int
    text_chars: int


def import_limits(environ: Environ | None = None) -> ImportLimits:
    """Return the import limits: the ``ASSET_MAP_MAX_*`` settings, or their defaults.

    Raises
    ------
    AssetMapError
        When a setting is not a whole number within its range, naming it.
    """
    return ImportLimits(
        file_bytes=env_number(MAX_FILE_MB, environ) * 1_000_000,
        features=env_number(MAX_FEATURES, environ),
        layers=env_number(MAX_LAYERS, environ),
        name_chars=env_number(MAX_NAME_CHARS, environ),
        text_chars=env_number(MAX_TEXT_CHARS, environ),
    )


@dataclass(frozen=True)
class TileServer:
    """An own tile server for the maps: URL template, attribution and highest zoom."""

    url: str
    attribution: str
    max_zoom: int


def tile_server(environ: Environ | None = None) -> TileServer | None:
    """Return the tile server of ``ASSET_MAP_TILES_URL``, or None when none is set.

    Raises
    ------
    AssetMapError
        When the URL lacks ``{z}``, ``{x}`` or ``{y}``, has no ``ASSET_MAP_TILES_ATTRIBUTION``
        beside it (a tile licence asks for one), or the maximum zoom is out of range.
    """
    url = _value(environ, TILES_URL_ENV)
    attribution = _value(environ, TILES_ATTRIBUTION_ENV)
    max_zoom = env_number(TILES_MAX_ZOOM, environ)
    if not url:
        return None
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in url]
    if missing or not url.startswith(("http://", "https://")):
        raise AssetMapError(
            Msg("err.settings.tiles_url", env=TILES_URL_ENV, value=url, missing=" ".join(missing))
        )
    if not attribution:
        raise AssetMapError(
            Msg("err.settings.tiles_attribution", env=TILES_ATTRIBUTION_ENV, url_env=TILES_URL_ENV)
        )
    return TileServer(url, attribution, max_zoom)


#: The shortest session secret accepted, in characters.
MIN_SESSION_SECRET = 32
#: The longest contact text printed on a flyer, in characters.
MAX_CONTACT = 200


def session_secret(environ: Environ | None = None) -> str | None:
    """Return ``ASSET_MAP_SESSION_SECRET``, or None (the database keeps a random key).

    App servers that share one database share its stored key, so this is optional; set it
    to choose the key yourself (changing it ends every staff session at once).

    Raises
    ------
    AssetMapError
        When it is shorter than ``MIN_SESSION_SECRET`` characters: a short key is easy to
        guess, and a guessed key would let anyone sign a cookie.
    """
    secret = _value(environ, SESSION_SECRET_ENV)
    if not secret:
        return None
    if len(secret) < MIN_SESSION_SECRET:
        raise AssetMapError(
            Msg("err.settings.session_secret", env=SESSION_SECRET_ENV, n=MIN_SESSION_SECRET)
        )
    return secret


def contact(environ: Environ | None = None) -> str | None:
    """Return ``ASSET_MAP_CONTACT``: whom residents can ask (the gemeente, the wijkteam).

    Raises
    ------
    AssetMapError
        When it is longer than ``MAX_CONTACT`` characters or spans several lines.
    """
    text = _value(environ, CONTACT_ENV)
    if not text:
        return None
    if len(text) > MAX_CONTACT or "\n" in text or "\r" in text:
        raise AssetMapError(Msg("err.settings.contact", env=CONTACT_ENV, n=MAX_CONTACT))
    return text


@dataclass(frozen=True)
class Settings:
    """Every setting of the environment at once, checked (see :func:`read_settings`)."""

    database_url: str | None
    instance_dir: Path
    data_dir: Path | None
    pdok_url: str
    overpass_url: str
    retention_months: int
    check_months: int
    tiles: TileServer | None
    submissions: SubmissionLimits
    limits: ImportLimits
    session_secret: str | None = field(default=None, repr=False)
    contact: str | None = None


def read_settings(environ: Environ | None = None) -> Settings:
    """Read and check every setting of the environment.

    Raises
    ------
    AssetMapError
        For the first setting that is wrong, naming it and how to fix it.
    """
    return Settings(
        database_url=database_url(environ),
        instance_dir=instance_dir(environ),
        data_dir=data_dir(environ),
        pdok_url=pdok_url(environ),
        overpass_url=overpass_url(environ),
        retention_months=retention_months(environ),
        check_months=check_months(environ),
        tiles=tile_server(environ),
        submissions=submission_limits(environ),
        limits=import_limits(environ),
        session_secret=session_secret(environ),
        contact=contact(environ),
    )
