"""A workspace: the areas, assets and talents the app shows, with what is known of their source.

The workspace lives in the database (:meth:`asset_map.storage.Store.save_workspace`). On the
first start the database is seeded from the bundled demo in ``data/demo/`` (files in our
canonical format), so the app opens on it; later imports replace it. A folder of such files
can also be opened directly (``ASSET_MAP_DATA_DIR``), bypassing the database.

:func:`open_store` opens the database of the settings (:mod:`asset_map.settings`): the app
and every command use the same default database, wherever they are started.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.areas import assign_areas
from asset_map.i18n import Msg
from asset_map.io import (
    read_activities,
    read_areas,
    read_assets,
    read_place_needs,
    read_talents,
)
from asset_map.io.cells import list_some
from asset_map.model import ACTIVITY_COLUMNS, PLACE_NEED_COLUMNS
from asset_map.storage import Store

#: The bundled demo gemeente, beside the package in a source checkout.
DEMO_DIR = settings.SOURCE_ROOT / "data" / "demo"


def empty_activities() -> pd.DataFrame:
    """Return an activity table without rows (``model.ACTIVITY_COLUMNS``, weekday int64)."""
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "weekday" else "str") for c in ACTIVITY_COLUMNS}
    )


def empty_needs() -> pd.DataFrame:
    """Return a place-needs table without rows (``model.PLACE_NEED_COLUMNS``)."""
    return pd.DataFrame({c: pd.Series(dtype="str") for c in PLACE_NEED_COLUMNS})


@dataclass
class Workspace:
    """Everything one map shows.

    Attributes
    ----------
    areas : GeoDataFrame
        Gemeente, wijken and buurten with key figures (EPSG:4326).
    assets : GeoDataFrame
        Assets with ``buurt_code`` and ``wijk_code`` added (EPSG:4326).
    talents : DataFrame
        Residents' talents, located by buurt code only.
    activities : DataFrame
        Recurring activities at the assets (``model.ACTIVITY_COLUMNS``; only those whose
        place is in ``assets``).
    needs : DataFrame
        What places ask for (``model.PLACE_NEED_COLUMNS``, ``;``-joined category keys).
    meta : dict
        ``name``, ``is_demo``, ``label_nl``/``label_en`` and ``sources``.
    notes : list of str
        What the importers repaired or dropped while loading.
    """

    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    talents: pd.DataFrame
    meta: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    activities: pd.DataFrame = field(default_factory=empty_activities)
    needs: pd.DataFrame = field(default_factory=empty_needs)

    @property
    def is_demo(self) -> bool:
        """Return whether this is the made-up demo gemeente."""
        return bool(self.meta.get("is_demo", False))


def open_store(
    url: str | None = None, *, instance_dir: Path | None = None, must_exist: bool = False
) -> Store:
    """Open the database: ``url``, else ``ASSET_MAP_DATABASE_URL``, else the default file.

    The default file is ``asset_map.sqlite`` in ``instance_dir``, or in the instance folder
    of the settings (:func:`asset_map.settings.instance_dir`): the same for ``streamlit run
    app.py`` and an ``asset-map`` command started in any folder. ``must_exist`` refuses a
    SQLite file that does not exist yet (a typo must not create an empty database).
    """
    return Store(url, instance_dir=instance_dir, must_exist=must_exist)


#: What SQLite keeps beside its database file while it runs (write-ahead log, shared
#: memory, rollback journal): overwriting one of them corrupts the database as well.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def database_files(url: str | None = None, *, instance_dir: Path | None = None) -> list[Path]:
    """Return the files of the SQLite database that ``url`` names (or the default one).

    The database file and its companions (``-wal``, ``-shm``, ``-journal``), whether they
    exist yet or not; an empty list for PostgreSQL or a URL that cannot be read (opening
    the database will say what is wrong with it).
    """
    from asset_map.storage.db import resolve_url

    try:
        parsed = resolve_url(url, instance_dir)
    except (ValueError, AssetMapError):
        return []
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return []
    database = Path(parsed.database).expanduser()
    return [database, *(database.with_name(database.name + s) for s in SQLITE_COMPANIONS)]


def default_data_dir() -> Path:
    """Return the folder named by ``ASSET_MAP_DATA_DIR``, or the bundled demo."""
    return settings.data_dir() or DEMO_DIR


def _of_assets(
    frame: pd.DataFrame, assets: pd.DataFrame, key: str, notes: list[str]
) -> pd.DataFrame:
    """Return the rows of ``frame`` whose ``asset_id`` is in ``assets``; note the others.

    ``key`` is the text key of the note (``note.workspace.activities_left_out``).
    """
    inside = frame["asset_id"].isin(set(assets["id"].astype(str)))
    if not inside.all():
        unknown = sorted(set(frame.loc[~inside, "asset_id"].astype(str)))
        notes.append(Msg(key, n=int((~inside).sum()), ids=list_some(unknown)))
    return frame[inside].reset_index(drop=True)


def load_workspace(folder: str | Path | None = None) -> Workspace:
    """Load ``areas.geojson``, ``assets.geojson``, ``talents.csv`` and ``meta.json``.

    ``talents.csv``, ``activities.csv``, ``place_needs.csv`` and ``meta.json`` are optional.
    Activities and needs of places that are not in the assets are left out (the notes say
    so).

    Raises
    ------
    AssetMapError
        When a file is missing or malformed; the message names the file and the fix.
    """
    folder = Path(folder) if folder is not None else default_data_dir()
    areas = read_areas(folder / "areas.geojson")
    assets = read_assets(folder / "assets.geojson")
    talents_path = folder / "talents.csv"
    talents = read_talents(talents_path) if talents_path.exists() else None
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {"name": folder.name}
    notes = [*areas.notes, *assets.notes, *(talents.notes if talents is not None else [])]
    activities, needs = empty_activities(), empty_needs()
    if (folder / "activities.csv").exists():
        read = read_activities(folder / "activities.csv")
        notes += read.notes
        activities = _of_assets(
            read.frame, assets.frame, "note.workspace.activities_left_out", notes
        )
    if (folder / "place_needs.csv").exists():
        read = read_place_needs(folder / "place_needs.csv")
        notes += read.notes
        needs = _of_assets(read.frame, assets.frame, "note.workspace.needs_left_out", notes)
    return Workspace(
        areas=areas.frame,
        assets=assign_areas(assets.frame, areas.frame),
        talents=talents.frame if talents is not None else pd.DataFrame(columns=["status"]),
        meta=meta,
        notes=notes,
        activities=activities,
        needs=needs,
    )


def open_workspace(store: Store, *, seed_dir: str | Path = DEMO_DIR) -> Workspace:
    """Return the workspace stored in ``store``; seed it from ``seed_dir`` on first use.

    Seeding saves the folder's areas, assets, activities and place needs in one
    transaction (actor ``"first start"``). The demo's made-up talents (``talents.csv``
    beside the demo) are shown with a demo workspace; residents' own talents come from the
    database's talents table.
    """
    seed = Path(seed_dir)
    notes: list[str] = []
    if not store.has_workspace():
        first = load_workspace(seed)
        store.save_workspace(
            first.areas,
            first.assets,
            meta=first.meta,
            actor="first start",
            activities=first.activities,
            needs=first.needs,
        )
        notes = first.notes
    loaded = store.load_workspace()
    if loaded is None:  # pragma: no cover - save_workspace just wrote it
        raise RuntimeError("The workspace could not be read back from the database.")
    areas, assets, meta = loaded
    talents = pd.DataFrame(columns=["status"])
    if meta.get("is_demo") and (seed / "talents.csv").exists():
        talents = read_talents(seed / "talents.csv").frame
    ids = set(assets["id"])
    activities = store.activities()
    needs = store.place_needs()
    return Workspace(
        areas=areas,
        assets=assign_areas(assets, areas),
        talents=talents,
        meta=meta,
        notes=notes,
        activities=activities[activities["asset_id"].isin(ids)].reset_index(drop=True),
        needs=needs[needs["asset_id"].isin(ids)].reset_index(drop=True),
    )


def postcode_table_path(ws: Workspace, *, demo_dir: Path = DEMO_DIR) -> Path | None:
    """Return the local postcode table (``postcodes.csv``) of the data shown, if there is one.

    The folder of ``ASSET_MAP_DATA_DIR`` when set; otherwise the bundled demo's table when
    the workspace is the demo. Real data without a table is looked up online (PDOK).
    """
    folder = settings.data_dir()
    if folder is not None:
        path = folder / "postcodes.csv"
    elif ws.is_demo:
        path = Path(demo_dir) / "postcodes.csv"
    else:
        return None
    return path if path.is_file() else None
