"""A street network that does not cover the area: the gap analysis says so, with the fix.

Cells farther than 250 m from every street get no walking distance; the analysis names how
many and what share of the residents, and whether the network belongs to another place. The
note reaches the CLI (in Dutch by default) and the Kansen screen. Known answers come from the
5 x 5 street lattice of ``tests/data/network/walk.osm`` (see tests/gap_layouts.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import APP, DEMO
from gap_layouts import (
    FAR,
    LATTICE_X0,
    LATTICE_Y0,
    NEAR,
    STRIP,
    WALK_OSM,
    buurt,
    buurthuizen,
    notes_of,
)
from streamlit.testing.v1 import AppTest

from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.analysis.network import SNAP_MAX_M, snap_gaps_m
from asset_map.cli import main
from asset_map.i18n import localise
from asset_map.io.network import read_walk_network
from asset_map.services import gaps as gap_service
from asset_map.settings import DATA_DIR_ENV

X0, Y0 = LATTICE_X0, LATTICE_Y0


@pytest.fixture(scope="module")
def lattice():
    return read_walk_network(WALK_OSM)


def test_snap_gaps_are_distances_to_the_nearest_street(lattice):
    # The footway F-P runs along x = X0 + 600 (a node every 25 m): a point 300 m east of it
    # is 300 m from the network, one on the lattice 0 m.
    gaps = snap_gaps_m(lattice, np.array([[X0 + 900, Y0 + 100], [X0 + 100, Y0 + 100]]))
    assert gaps == pytest.approx([300.0, 0.0], abs=0.01)  # OSM keeps 7 decimals: mm noise
    assert SNAP_MAX_M == 250.0


def test_network_of_one_corner_is_reported_with_the_fix(lattice):
    # 200 m cells: centres at X0 + 100 + 200 i (i = 0..9), two rows. Columns i = 0..3 lie
    # within 250 m of a street (the footway at X0 + 600 is 100 m from X0 + 700); i = 4..9
    # (6 columns x 2 rows = 12 of 20 equal cells, 60% of the residents) do not. The
    # buurthuis at FAR is 1300 m east of the footway.
    params = GapParams(cell_m=200, weights=NeedWeights.preset("all"))
    result = analyse_gaps(buurt(*STRIP), buurthuizen(NEAR, FAR), params, network=lattice)
    (partial,) = notes_of(result, "note.gaps.network_partial")
    assert (partial.fields["cells"], partial.fields["total"], partial.fields["share"]) == (
        12,
        20,
        "60",
    )
    (sites,) = notes_of(result, "note.gaps.network_sites")
    assert (sites.fields["n"], sites.fields["total"]) == (1, 2)
    assert not notes_of(result, "note.gaps.network_elsewhere")
    # What the note warns about: these cells have no walking distance at all.
    centres = result.cells.to_crs(28992).geometry.centroid.x.to_numpy()
    assert np.isinf(result.cells["walk_m"].to_numpy()[centres > X0 + 800]).all()
    assert np.isfinite(result.cells["walk_m"].to_numpy()[centres < X0 + 800]).all()
    assert partial.startswith(
        "The street network does not cover the whole area: 12 of the 20 cells with residents "
        "lie more than 250 m from its streets (60% of the weighted residents)."
    )
    assert (
        "leave the network out to use the straight-line distance times the detour factor (1.3)"
        in partial
    )
    nl = localise(partial, "nl")
    assert nl.startswith(
        "De stratenkaart dekt niet het hele gebied. 12 van de 20 vakjes met bewoners liggen "
        "meer dan 250 meter van een straat op de kaart. Daar woont 60% van de bewoners"
    )
    assert "Gebruik een stratenkaart van de hele gemeente. Of laat de stratenkaart weg" in nl


def test_network_of_another_place_is_reported(lattice):
    elsewhere = buurt(X0 + 5000, Y0 + 5000, X0 + 5400, Y0 + 5400)
    result = analyse_gaps(
        elsewhere,
        buurthuizen((X0 + 5200, Y0 + 5200)),
        GapParams(cell_m=200, weights=NeedWeights.preset("all")),
        network=lattice,
    )
    (note,) = notes_of(result, "note.gaps.network")
    assert note.key == "note.gaps.network_elsewhere" and note.fields["total"] == 4
    assert result.summary["share_before"] == 0.0
    assert localise(note, "nl").startswith("De stratenkaart past niet bij de buurten.")


def test_a_network_that_covers_the_area_gives_no_note(lattice):
    inside = buurt(X0, Y0, X0 + 400, Y0 + 400)
    result = analyse_gaps(inside, buurthuizen(NEAR), GapParams(cell_m=100), network=lattice)
    assert notes_of(result, "note.gaps.network") == []
    assert result.summary["share_before"] == 1.0


def test_cli_prints_the_network_note_in_dutch(tmp_path, capsys):
    areas, assets = tmp_path / "strook.geojson", tmp_path / "plekken.geojson"
    buurt(*STRIP).to_crs(4326).to_file(areas)
    buurthuizen(NEAR, FAR).to_crs(4326).to_file(assets)
    args = ["gaps", "--areas", str(areas), "--assets", str(assets), "--cell-m", "200"]
    assert main([*args, "--network", str(WALK_OSM), "--need", "all"]) == 0
    err = capsys.readouterr().err
    assert "let op: De stratenkaart dekt niet het hele gebied. 12 van de 20 vakjes" in err
    assert "let op: 1 van de 2 ontmoetingsplekken liggen meer dan 250 meter" in err
    assert main([*args, "--need", "all"]) == 0  # without the network: no such note
    assert "stratenkaart" not in capsys.readouterr().err


def test_network_note_is_shown_as_a_warning_on_the_screen(monkeypatch, gap_calls, lattice):
    # The demo gemeente lies far from the test lattice: as if a network of another town
    # were uploaded.
    def with_network(areas, assets, params, **kwargs):
        gap_calls.append(params)
        return analyse_gaps(areas, assets, params, **{**kwargs, "network": lattice})

    monkeypatch.setattr(gap_service, "analyse_gaps", with_network)
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("De stratenkaart past niet bij de buurten.") for w in warnings)
