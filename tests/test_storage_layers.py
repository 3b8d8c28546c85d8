"""The workspace layers in the database: round trips, replacement, all-or-nothing saves.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import json
import threading
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from alembic import command
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, Polygon, box
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import IntegrityError
from storage_helpers import Clock

from asset_map._errors import CRSError, SchemaError
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS, KEY_FIGURES
from asset_map.services.workspace import load_workspace
from asset_map.storage import Store, layers
from asset_map.storage.db import alembic_config, resolve_url

pytest_plugins = ["storage_fixtures"]

Frames = tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, Any]]
LAYER_TABLES = {"workspace", "areas", "assets"}
HOSTILE = '\'); DROP TABLE assets; -- <script>alert("x")</script> & Zn 🏠 עברית'


def _text(values: list[Any]) -> pd.Series:
    return pd.Series(values, dtype="str")


@cache
def _demo() -> Frames:
    workspace = load_workspace()
    return workspace.areas, workspace.assets, workspace.meta


@pytest.fixture
def demo() -> Frames:
    """The bundled demo, plus the shapes and text it lacks.

    Added: a buurt of two parts (MultiPolygon) with a hole in one, a buurt kept without a
    shape (an empty polygon, as ``read_areas`` keeps it) and without key figures, and an
    asset whose text is hostile (SQL, HTML, emoji, right-to-left) or empty rather than
    missing. The assets keep ``buurt_code`` and ``wijk_code``, which are not stored.
    """
    areas, assets, meta = _demo()
    x, y = 5.60, 52.48
    two_parts = MultiPolygon(
        [
            Polygon(
                [(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01)],
                holes=[[(x + 0.004, y + 0.004), (x + 0.004, y + 0.006), (x + 0.006, y + 0.006)]],
            ),
            box(x + 0.02, y, x + 0.03, y + 0.005, ccw=True),
        ]
    )
    extra_areas = gpd.GeoDataFrame(
        {
            "code": _text(["BU99990901", "BU99990902"]),
            "name": _text(["Twee Delen", HOSTILE]),
            "level": _text(["buurt", "buurt"]),
            "parent_code": _text(["WK999904", None]),
            **{name: [1.0 / 3.0, np.nan] for name in KEY_FIGURES},
        },
        geometry=[two_parts, Polygon()],
        crs="EPSG:4326",
    )
    extra_assets = gpd.GeoDataFrame(
        {
            "id": _text(["demo-9001"]),
            "name": _text([HOSTILE]),
            "type": _text(["buurthuis"]),
            "description": _text([""]),
            "address": _text([None]),
            "tags": _text(["a;b"]),
            "source": _text(["test"]),
            "status": _text(["planned"]),
            "capacity": [12.5],
            "buurt_code": ["BU99990901"],
            "wijk_code": _text(["WK999904"]),
        },
        geometry=gpd.points_from_xy([x + 0.005], [y + 0.002]),
        crs="EPSG:4326",
    )
    areas = pd.concat([areas, extra_areas], ignore_index=True)
    assets = pd.concat([assets, extra_assets], ignore_index=True)
    meta = {**meta, "note": HOSTILE}
    return areas, assets, meta


def assert_same_layer(loaded: gpd.GeoDataFrame, saved: gpd.GeoDataFrame, key: str) -> None:
    """Equal after sorting by ``key``, CRS checked, coordinates bit for bit."""
    columns = AREA_COLUMNS if key == "code" else ASSET_COLUMNS
    assert list(loaded.columns) == columns
    expected = saved[columns].sort_values(key).reset_index(drop=True)
    got = loaded.sort_values(key).reset_index(drop=True)
    assert_geodataframe_equal(got, expected, check_crs=True)
    assert shapely.to_wkb(got.geometry.values).tolist() == (
        shapely.to_wkb(expected.geometry.values).tolist()
    )


def count_saves(store: Store) -> int:
    log = store.audit(entity="workspace")
    return int((log["action"] == "saved").sum())


# --- round trips -----------------------------------------------------------------------------


def test_fresh_store_has_no_workspace(store: Store) -> None:
    assert not store.has_workspace()
    assert store.load_workspace() is None
    assert store.workspace_version() == ""


def test_demo_round_trip(store: Store, demo: Frames) -> None:
    areas, assets, meta = demo
    store.save_workspace(areas, assets, meta=meta, actor="admin")
    loaded = store.load_workspace()
    assert loaded is not None
    got_areas, got_assets, got_meta = loaded

    assert_same_layer(got_areas, areas, "code")
    assert_same_layer(got_assets, assets, "id")
    assert got_meta == meta
    assert store.has_workspace()


def test_round_trip_keeps_order_dtypes_and_the_odd_rows(store: Store, demo: Frames) -> None:
    areas, assets, meta = demo
    store.save_workspace(areas, assets, meta=meta, actor="admin")
    loaded = store.load_workspace()
    assert loaded is not None
    got_areas, got_assets, _ = loaded

    # The order as saved, the dtypes as the readers give them.
    assert got_areas["code"].tolist() == areas["code"].tolist()
    assert got_assets["id"].tolist() == assets["id"].tolist()
    assert isinstance(got_areas.index, pd.RangeIndex)
    pd.testing.assert_series_equal(got_areas.dtypes, areas[AREA_COLUMNS].dtypes)
    pd.testing.assert_series_equal(got_assets.dtypes, assets[ASSET_COLUMNS].dtypes)

    by_code = got_areas.set_index("code")
    assert by_code.geometry["BU99990901"].geom_type == "MultiPolygon"
    assert len(by_code.geometry["BU99990901"].geoms[0].interiors) == 1
    assert by_code.geometry["BU99990902"].geom_type == "Polygon"
    assert by_code.geometry["BU99990902"].is_empty
    assert by_code.loc["BU99990902", list(KEY_FIGURES)].isna().all()
    assert pd.isna(by_code.loc["BU99990902", "parent_code"])
    assert by_code.loc["BU99990902", "name"] == HOSTILE
    assert by_code.loc["BU99990901", "inhabitants"] == 1.0 / 3.0

    by_id = got_assets.set_index("id")
    assert by_id.loc["demo-0227", "name"] == 'Café "De Brug" & Zn <oud>'
    assert by_id.loc["demo-9001", "name"] == HOSTILE
    assert by_id.loc["demo-9001", "description"] == ""  # empty text stays empty text ...
    assert pd.isna(by_id.loc["demo-9001", "address"])  # ... and missing stays missing
    assert got_assets["capacity"].isna().sum() == assets["capacity"].isna().sum()


def test_frames_in_rd_are_stored_in_wgs84(
    store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame
) -> None:
    rd_areas, rd_assets = tiny_areas.to_crs("EPSG:28992"), tiny_assets.to_crs("EPSG:28992")
    store.save_workspace(rd_areas, rd_assets, meta={"name": "RD"}, actor="admin")
    loaded = store.load_workspace()
    assert loaded is not None
    got_areas, got_assets, _ = loaded

    assert got_areas.crs == "EPSG:4326"
    assert got_assets.crs == "EPSG:4326"
    assert_same_layer(got_areas, rd_areas.to_crs("EPSG:4326"), "code")
    assert_same_layer(got_assets, rd_assets.to_crs("EPSG:4326"), "id")
    # And within 1e-8 degrees (1 mm) of the WGS84 frames the RD ones came from: pyproj's
    # round trip 4326 -> 28992 -> 4326 itself moves coordinates by some 4e-9 degrees.
    for got, original in ((got_areas, tiny_areas), (got_assets, tiny_assets)):
        assert shapely.equals_exact(got.geometry.values, original.geometry.values, 1e-8).all()
    assert rd_areas.crs == "EPSG:28992"  # the caller's frames are not changed


def test_empty_layers_round_trip(store: Store, tiny_areas: gpd.GeoDataFrame) -> None:
    no_assets = gpd.GeoDataFrame(
        {
            c: pd.Series([], dtype="float64" if c == "capacity" else "str")
            for c in ASSET_COLUMNS[:-1]
        },
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
    )
    store.save_workspace(tiny_areas, no_assets, meta={}, actor="admin")
    loaded = store.load_workspace()
    assert loaded is not None
    got_areas, got_assets, got_meta = loaded
    assert_same_layer(got_areas, tiny_areas, "code")
    assert got_assets.empty
    assert list(got_assets.columns) == ASSET_COLUMNS
    assert got_assets.crs == "EPSG:4326"
    assert got_meta == {}


# --- replacing -------------------------------------------------------------------------------


def test_second_save_replaces_the_first(
    store: Store,
    clock: Clock,
    demo: Frames,
    tiny_areas: gpd.GeoDataFrame,
    tiny_assets: gpd.GeoDataFrame,
) -> None:
    areas, assets, meta = demo
    store.save_workspace(areas, assets, meta=meta, actor="admin")
    first = store.workspace_version()
    assert first

    # Same clock: the version changes all the same.
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="planner")
    second = store.workspace_version()
    assert second not in ("", first)

    loaded = store.load_workspace()
    assert loaded is not None
    got_areas, got_assets, got_meta = loaded
    assert len(got_areas) == 3 < len(areas)
    assert len(got_assets) == 3 < len(assets)
    assert_same_layer(got_areas, tiny_areas, "code")
    assert_same_layer(got_assets, tiny_assets, "id")
    assert got_meta == {"name": "Voorstad"}

    clock.advance(minutes=5)
    store.save_workspace(areas, assets, meta=meta, actor="admin")
    assert store.workspace_version() not in (first, second)
    assert count_saves(store) == 3


def test_saves_are_audited_without_content(store: Store, demo: Frames) -> None:
    areas, assets, meta = demo
    store.save_workspace(areas, assets, meta=meta, actor="admin")
    log = store.audit(entity="workspace")
    assert log[["actor", "action", "entity"]].values.tolist() == [["admin", "saved", "workspace"]]
    details = json.loads(log["details"].iloc[0])
    assert details["areas"] == len(areas)
    assert details["assets"] == len(assets)
    assert details["sources"] == ["Demo Lindeveen (fictief)"]
    assert HOSTILE not in log["details"].iloc[0]


# --- all or nothing --------------------------------------------------------------------------


def _fail_on_assets(
    monkeypatch: pytest.MonkeyPatch, assets: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, type[BaseException]]:
    """Let the areas be inserted, then fail while inserting the assets."""
    real = layers._insert_layer

    def insert(conn: Any, frame: gpd.GeoDataFrame, layer: Any, **kwargs: Any) -> None:
        if layer.table.name == "assets":
            raise RuntimeError("disk full")
        real(conn, frame, layer, **kwargs)

    monkeypatch.setattr(layers, "_insert_layer", insert)
    return assets, RuntimeError


def _duplicate_in_the_database(
    monkeypatch: pytest.MonkeyPatch, assets: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, type[BaseException]]:
    """Skip the check, so the database itself refuses a duplicate id half-way."""
    monkeypatch.setattr(layers, "_check", lambda areas, assets: None)
    return pd.concat([assets, assets.iloc[[0]]], ignore_index=True), IntegrityError


@pytest.mark.parametrize("failure", [_fail_on_assets, _duplicate_in_the_database])
def test_failed_save_leaves_the_previous_workspace(
    store: Store,
    clock: Clock,
    demo: Frames,
    tiny_areas: gpd.GeoDataFrame,
    tiny_assets: gpd.GeoDataFrame,
    monkeypatch: pytest.MonkeyPatch,
    failure: Any,
) -> None:
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="admin")
    version = store.workspace_version()
    before = store.load_workspace()
    assert before is not None

    areas, assets, meta = demo
    assets, error = failure(monkeypatch, assets)
    clock.advance(minutes=1)
    with pytest.raises(error):
        store.save_workspace(areas, assets, meta=meta, actor="admin")

    after = store.load_workspace()
    assert after is not None
    assert_same_layer(after[0], before[0], "code")
    assert_same_layer(after[1], before[1], "id")
    assert after[2] == {"name": "Voorstad"}
    assert store.workspace_version() == version
    assert count_saves(store) == 1


# --- refusals --------------------------------------------------------------------------------


def _no_crs(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    return areas.set_crs(None, allow_override=True), assets, {}


def _missing_column(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    return areas.drop(columns=["level", "households"]), assets, {}


def _duplicate_code(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    return pd.concat([areas, areas.iloc[[1]]], ignore_index=True), assets, {}


def _missing_id(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    assets = assets.copy()
    assets.loc[1, "id"] = None
    return areas, assets, {}


def _text_figure(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    areas = areas.copy()
    areas["inhabitants"] = ["veel", "1", "2"]
    return areas, assets, {}


def _nul_in_text(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    assets = assets.copy()
    assets.loc[0, "name"] = "Buurt\x00huis"
    return areas, assets, {}


def _meta_not_json(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    return areas, assets, {"counts": {"assets": np.int64(3)}}


def _meta_not_dict(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    return areas, assets, ["name"]


def _not_a_frame(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    return areas, pd.DataFrame(assets.drop(columns="geometry")), {}


@pytest.mark.parametrize(
    ("spoil", "error", "message"),
    [
        (_no_crs, CRSError, "areas frame has no coordinate reference system"),
        (_missing_column, SchemaError, r"areas lacks the column\(s\) level, households"),
        (_duplicate_code, SchemaError, r"areas: code 'BU01500401' occur\(s\) more than once"),
        (_missing_id, SchemaError, r"assets: row\(s\) 2 have no id"),
        (_text_figure, SchemaError, "column 'inhabitants' holds values that are not numbers"),
        (_nul_in_text, SchemaError, "column 'name' holds a NUL character"),
        (_meta_not_json, SchemaError, "meta cannot be stored as JSON"),
        (_meta_not_dict, SchemaError, "meta must be a dict, not list"),
        (_not_a_frame, SchemaError, "assets must be a GeoDataFrame, not DataFrame"),
    ],
)
def test_bad_input_is_refused_before_anything_changes(
    store: Store,
    tiny_areas: gpd.GeoDataFrame,
    tiny_assets: gpd.GeoDataFrame,
    spoil: Any,
    error: type[Exception],
    message: str,
) -> None:
    areas, assets, meta = spoil(tiny_areas, tiny_assets)
    with pytest.raises(error, match=message):
        store.save_workspace(areas, assets, meta=meta, actor="admin")
    assert not store.has_workspace()
    assert count_saves(store) == 0


def test_every_problem_is_named_at_once(
    store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame
) -> None:
    areas = pd.concat([tiny_areas, tiny_areas.iloc[[2]]], ignore_index=True)
    assets = tiny_assets.drop(columns="status")
    with pytest.raises(SchemaError, match=r"code 'BU01500402' occur.*; assets lacks .*status"):
        store.save_workspace(areas, assets, meta={}, actor="admin")


# --- many sessions at once -------------------------------------------------------------------


def _variant(tiny: gpd.GeoDataFrame, key: str, prefix: str) -> gpd.GeoDataFrame:
    frame = tiny.copy()
    frame[key] = _text([f"{prefix}{value}" for value in frame[key]])
    return frame


def test_readers_never_see_half_a_save(
    store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame
) -> None:
    """Writers alternate two workspaces; every load is wholly one of them."""
    variants = {
        name: (_variant(tiny_areas, "code", name), _variant(tiny_assets, "id", name))
        for name in ("A", "B")
    }
    errors: list[BaseException] = []
    done = threading.Event()

    def write(name: str) -> None:
        try:
            areas, assets = variants[name]
            for _ in range(8):
                store.save_workspace(areas, assets, meta={"name": name}, actor=name)
        except BaseException as failure:
            errors.append(failure)

    def read() -> None:
        try:
            while not done.is_set():
                loaded = store.load_workspace()
                if loaded is None:
                    continue
                areas, assets, meta = loaded
                name = meta["name"]
                assert len(areas) == 3 and len(assets) == 3, (name, len(areas), len(assets))
                assert all(code.startswith(name) for code in areas["code"])
                assert all(ident.startswith(name) for ident in assets["id"])
        except BaseException as failure:
            errors.append(failure)

    writers = [threading.Thread(target=write, args=(name,)) for name in ("A", "B", "A", "B")]
    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in [*readers, *writers]:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    done.set()
    for thread in readers:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert count_saves(store) == 32


# --- migrations ------------------------------------------------------------------------------


def test_migration_0002_adds_and_removes_the_layer_tables(store_url: str) -> None:
    Store(store_url).close()
    engine = create_engine(resolve_url(store_url))
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= LAYER_TABLES
        config = alembic_config(store_url)
        command.downgrade(config, "0001")
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert not tables & LAYER_TABLES
        assert "talents" in tables
        command.upgrade(config, "head")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= LAYER_TABLES
    finally:
        engine.dispose()
    with Store(store_url) as store:
        assert not store.has_workspace()


def test_footprints_round_trip_and_are_replaced(store):
    import shapely

    from asset_map.services.workspace import DEMO_DIR, load_workspace

    demo = load_workspace(DEMO_DIR)
    assets = demo.assets.copy()
    outline = "POLYGON ((5.6 52.49, 5.61 52.49, 5.61 52.5, 5.6 52.5, 5.6 52.49))"
    assets["footprint"] = None
    assets.loc[assets.index[0], "footprint"] = outline
    store.save_workspace(demo.areas, assets, meta=demo.meta, actor="test")
    _areas, back, _meta = store.load_workspace()
    got = back.set_index("id")["footprint"]
    assert shapely.from_wkt(got[assets["id"].iloc[0]]).equals(shapely.from_wkt(outline))
    assert got.drop(assets["id"].iloc[0]).isna().all()
    store.save_workspace(demo.areas, demo.assets, meta=demo.meta, actor="test")
    _areas, again, _meta = store.load_workspace()
    assert "footprint" not in again.columns  # a save without outlines leaves none behind
