"""Duplicates at scale: many places at one spot are settled at once, and grouped when told.

The groups that merge are the same as when every pair of places is compared (a brute-force
reference below), while the pairs listed grow with the number of places, not its square;
an import of 10,000 places of one name at one spot prints a handful of lines and writes the
full list to ``--decisions-out``.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from cli_helpers import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from asset_map.analysis.duplicate_groups import duplicate_groups
from asset_map.analysis.duplicate_pairs import MAX_CANDIDATE_PAIRS
from asset_map.analysis.duplicates import (
    find_duplicates,
    merge_duplicates,
    merge_groups,
    name_similarity,
)
from asset_map.i18n import localise
from asset_map.model import ASSET_COLUMNS
from asset_map.services.decisions import decision_lines
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store

X0, Y0 = 208000.0, 473000.0  # Deventer, RD New metres
NAME = "Buurthuis De Linde"


def make_assets(rows: list[dict], crs: str = "EPSG:28992") -> gpd.GeoDataFrame:
    """Canonical assets from dicts with ``name, type, source, dx, dy`` (metres)."""
    frame = pd.DataFrame(
        {
            "id": [f"p{k}" for k in range(len(rows))],
            "name": [r.get("name", NAME) for r in rows],
            "type": [r.get("type", "buurthuis") for r in rows],
            "description": [None] * len(rows),
            "address": [None] * len(rows),
            "tags": [None] * len(rows),
            "source": [r.get("source", "gemeente") for r in rows],
            "status": ["existing"] * len(rows),
        }
    ).astype("str")
    frame["capacity"] = np.nan
    geometry = [Point(X0 + r.get("dx", 0.0), Y0 + r.get("dy", 0.0)) for r in rows]
    return gpd.GeoDataFrame(frame[ASSET_COLUMNS[:-1]], geometry=geometry, crs=crs)


def every_pair_groups(assets: gpd.GeoDataFrame, *, same_type: bool = True) -> set[frozenset]:
    """The merged groups when every pair is compared: the rule, without any shortcut."""
    xy = np.column_stack([assets.geometry.x, assets.geometry.y])
    edges = []
    for i, j in itertools.combinations(range(len(assets)), 2):
        a, b = assets.iloc[i], assets.iloc[j]
        near = np.hypot(*(xy[i] - xy[j])) <= 30.0
        if not near or name_similarity(a["name"], b["name"]) < 0.6:
            continue
        if (same_type and a["type"] != b["type"]) or a["source"] == b["source"]:
            continue
        edges.append((i, j))
    ids = assets["id"].tolist()
    return {frozenset(ids[k] for k in g) for g in merge_groups(len(ids), edges)}


def merged_groups(assets: gpd.GeoDataFrame, pairs: pd.DataFrame) -> set[frozenset]:
    _merged, log = merge_duplicates(assets, pairs)
    return {frozenset([k, *ids]) for k, ids in zip(log["kept_id"], log["merged_ids"], strict=True)}


OFFSETS = [0.0, 0.0, 0.004, 3.0, 12.0, 29.0, 31.0, 45.0]
NAMES = [NAME, "buurthuis linde", "Buurthuis De Lindr", "Koor Het Veen", "Speeltuin", ""]


@st.composite
def crowded(draw: st.DrawFn) -> gpd.GeoDataFrame:
    """Up to 24 places on a few positions (many at one spot), names, types and sources."""
    n = draw(st.integers(min_value=0, max_value=24))
    return make_assets(
        [
            {
                "name": draw(st.sampled_from(NAMES)),
                "type": draw(st.sampled_from(["buurthuis", "park"])),
                "source": draw(st.sampled_from(["osm", "gemeente", "wandeling"])),
                "dx": draw(st.sampled_from(OFFSETS)),
                "dy": draw(st.sampled_from(OFFSETS)),
            }
            for _ in range(n)
        ]
    )


@settings(max_examples=150, deadline=None)
@given(crowded(), st.booleans())
def test_the_same_groups_merge_as_when_every_pair_is_compared(assets, same_type):
    pairs = find_duplicates(assets, same_type=same_type)
    assert merged_groups(assets, pairs) == every_pair_groups(assets, same_type=same_type)
    for decision in ("merge", "keep both"):  # each a forest: fewer pairs than places
        assert (pairs["decision"] == decision).sum() < max(len(assets), 1)


def test_ten_thousand_places_of_two_sources_at_one_spot_merge_into_one():
    rows = [{"source": "gemeente" if k % 2 else "osm"} for k in range(10_000)]
    assets = make_assets(rows)
    pairs = find_duplicates(assets)
    assert len(pairs) == 9_999 and set(pairs["decision"]) == {"merge"}
    merged, log = merge_duplicates(assets, pairs)
    assert len(merged) == 1 and len(log) == 1
    assert merged["source"].iloc[0] == "osm + gemeente"
    groups, places = duplicate_groups(assets, pairs, log)
    assert groups[["places", "kept", "decision"]].to_dict("records") == [
        {"places": 10_000, "kept": 1, "decision": "merge"}
    ]
    assert (places["kept_id"] == merged["id"].iloc[0]).all()
    [line] = [localise(m, "en") for m in decision_lines(groups, pairs, hint="")]
    assert line.startswith(f"likely duplicates: 10000 places named '{NAME}' at one spot: ")
    assert "merged into 1" in line


def test_ten_thousand_places_of_one_source_at_one_spot_are_kept_as_one_group():
    assets = make_assets([{}] * 10_000)
    pairs = find_duplicates(assets)
    assert len(pairs) == 9_999 and set(pairs["decision"]) == {"keep both"}
    merged, log = merge_duplicates(assets, pairs)
    assert len(merged) == 10_000 and log.empty
    groups, _places = duplicate_groups(assets, pairs, log)
    assert groups[["places", "kept", "decision"]].to_dict("records") == [
        {"places": 10_000, "kept": 10_000, "decision": "keep both"}
    ]
    [line] = [localise(m, "nl") for m in decision_lines(groups, pairs, hint="")]
    assert "10000 plekken met de naam" in line and "op één plek: allebei gehouden" in line


def test_a_crowd_of_one_name_is_compared_with_its_nearest_only_and_says_so():
    rng = np.random.default_rng(7)
    n = 2_500  # 3.1 million pairs within 30 m: more than the guard allows
    assert n * (n - 1) // 2 > MAX_CANDIDATE_PAIRS
    rows = [
        {"source": "osm" if k < n // 2 else "gemeente", "dx": x, "dy": y}
        for k, (x, y) in enumerate(rng.uniform(0, 20, (n, 2)))
    ]
    assets = make_assets(rows)
    notes: list = []
    pairs = find_duplicates(assets, notes=notes)
    assert [m.key for m in notes] == ["note.duplicates.nearest_only"]
    assert "compared with its 32 nearest places only" in localise(notes[0], "en")
    merged, _log = merge_duplicates(assets, pairs)
    assert len(merged) == 1  # all within 30 m of each other, from two sources: one place
    assert (pairs["decision"] == "merge").sum() == n - 1 and len(pairs) < 2 * n


def test_the_groups_follow_the_order_of_their_nearest_pair():
    assets = make_assets(
        [
            {"source": "osm", "dx": 0},
            {"source": "gemeente", "dx": 20},
            {"name": "Koor Het Veen", "source": "osm", "dx": 500},
            {"name": "Koor Het Veen", "source": "gemeente", "dx": 503},
            {"name": "Koor Het Veen", "source": "wandeling", "dx": 510},
        ]
    )
    pairs = find_duplicates(assets)
    groups, places = duplicate_groups(assets, pairs, merge_duplicates(assets, pairs)[1])
    assert groups["name"].tolist() == ["Koor Het Veen", NAME]
    assert groups["places"].tolist() == [3, 2]
    assert groups["within_m"].round(1).tolist() == [10.0, 20.0]
    assert places.groupby("group")["decision"].agg(sorted).tolist() == [
        ["kept", "merged", "merged"],
        ["kept", "merged"],
    ]
    lines = [localise(m, "en") for m in decision_lines(groups, pairs, hint="")]
    assert lines[0].startswith("likely duplicates: 3 places named 'Koor Het Veen' within 10 m")
    assert lines[1].startswith(f"likely duplicate: '{NAME}' (osm) and '{NAME}' (gemeente), 20 m")


def _lindeveen(url: str, tmp_path: Path) -> Path:
    """Store the demo's areas with one place; return a file of 10,000 copies of that place."""
    demo = load_workspace(DEMO_DIR)
    place = demo.assets.iloc[[0]][ASSET_COLUMNS].copy()
    with Store(url) as store:
        store.save_workspace(demo.areas, place, meta={"name": "Lindeveen"}, actor="test")
    copies = gpd.GeoDataFrame(
        pd.concat([place] * 10_000, ignore_index=True), geometry="geometry", crs=place.crs
    ).drop(columns=["source", "capacity"])
    copies["id"] = [f"kopie-{k}" for k in range(len(copies))]
    path = tmp_path / "kopieen.geojson"
    copies.to_file(path)
    return path


def test_importing_ten_thousand_places_at_one_spot_prints_few_lines(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    copies = _lindeveen(url, tmp_path)
    full = tmp_path / "dubbel.csv"
    args = ["import", "--assets", str(copies), "--source", "Wijkteam", "--database", url]
    code, out, err = run_cli(capsys, [*args, "--lang", "en", "--decisions-out", str(full)])
    assert code == 0, err
    lines = (out + err).splitlines()
    assert len(lines) < 50, lines
    assert any("10001 places named" in line and "merged into 1" in line for line in lines)
    assert f"The full list of likely duplicates (10001 places) is in {full}." in out
    with Store(url) as store:
        _areas, assets, _meta = store.load_workspace()
    assert len(assets) == 1  # the stored place, the file's 10,000 copies merged into it
    with full.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10_001
    assert {r["decision"] for r in rows} == {"kept", "merged"}
    assert {r["kept_id"] for r in rows} == {assets["id"].iloc[0]}


def test_the_data_screen_shows_at_most_twenty_groups_and_offers_the_full_list(db, tmp_path):
    from data_screen import IMPORT, click, places, upload, with_lindeveen

    at = with_lindeveen(tmp_path)
    names = {"naam": [f"Buurthuis {k}" for k in range(25)], "soort": ["buurthuis"] * 25}
    for source in ("Gemeente", "Wijkteam"):  # the same 25 places from two sources
        path = places(tmp_path / f"{source.lower()}.geojson", names, 25)
        upload(at, "assets", path)
        at.text_input(key="data_source").input(source).run()
        click(at, IMPORT)
    texts = [t.value for t in at.text if t.value.startswith(("waarschijnlijk dubbel", "En nog"))]
    assert len(texts) == 21, texts  # 20 groups, then how many more
    assert texts[-1] == (
        "En nog 5 groepen waarschijnlijk dubbele plekken. De hele lijst staat hieronder."
    )
    [expander] = [e for e in at.expander if "Alle besluiten" in e.label]
    assert [b.proto.label for b in expander.get("download_button")] == [
        "Download de hele lijst (CSV)"
    ]
    assert "25 plekken" not in expander.label and "50 plekken" in expander.label
    assert at.success[0].value == "25 rijen toegevoegd. 25 dubbele plekken samengevoegd."
