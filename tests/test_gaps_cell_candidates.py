"""Too many grid-cell candidates: the analysis picks coarser blocks and says so.

With small cells every cell as a candidate site would give too many pairs of candidate and
cell; the cells are then thinned to one per block (the one nearest the weighted centre), in
the analysis and in ``asset-map gaps``. Layouts from tests/gap_layouts.py.
"""

from __future__ import annotations

import json

import numpy as np
from gap_layouts import LATTICE_X0, LATTICE_Y0, NEAR, buurt, buurthuizen, notes_of

from asset_map.analysis import sites
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps
from asset_map.cli import main
from asset_map.i18n import localise

X0, Y0 = LATTICE_X0, LATTICE_Y0


def test_small_cells_get_coarser_candidates():
    # A 2 x 2 km buurt. In 25 m cells: 6400 cells, each candidate reaches about
    # pi * 577^2 / 25^2 = 1673 of them: 6400 candidates would be 10.7 million pairs, over
    # MAX_CELL_PAIRS (8 million). Blocks of 50 m give 40 x 40 = 1600 candidates.
    area = buurt(X0, Y0, X0 + 2000, Y0 + 2000)
    params = GapParams(cell_m=25, new_sites=2, candidates=("cells",))
    result = analyse_gaps(area, buurthuizen(NEAR), params)
    assert result.summary["n_cells"] == 6400 and result.summary["n_candidates"] == 1600
    (note,) = notes_of(result, "note.gaps.coarser_cells")
    assert (note.fields["step"], note.fields["cell"]) == ("50", "25")
    assert (note.fields["n"], note.fields["total"]) == (1600, 6400)
    assert "één vakje per blok van 50 bij 50 meter: 1600 plekken in plaats van 6400" in (
        localise(note, "nl")
    )
    assert len(result.sites) == 2 and (result.sites["newly_covered"] > 0).all()
    # 50 m cells: 1600 cells, 418 in reach of each (0.7 million pairs): every cell stays.
    coarse = analyse_gaps(
        area, buurthuizen(NEAR), GapParams(cell_m=50, new_sites=2, candidates=("cells",))
    )
    assert coarse.summary["n_candidates"] == coarse.summary["n_cells"] == 1600
    assert notes_of(coarse, "note.gaps.coarser_cells") == []


def test_cli_cell_m_25_with_cell_candidates_says_so(tmp_path, capsys):
    areas, assets = tmp_path / "vlak.geojson", tmp_path / "plekken.geojson"
    buurt(X0, Y0, X0 + 2000, Y0 + 2000).to_crs(4326).to_file(areas)
    buurthuizen(NEAR).to_crs(4326).to_file(assets)
    args = ["gaps", "--areas", str(areas), "--assets", str(assets), "--cell-m", "25"]
    assert main([*args, "--new-sites", "1", "--candidates", "cells", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("één vakje per blok van 50 bij 50 meter" in w for w in data["warnings"])


def test_thin_cells_keeps_the_cell_nearest_the_weighted_centre(monkeypatch):
    monkeypatch.setattr(sites, "MAX_CELL_CANDIDATES", 1)
    xy = np.array([[12.5, 12.5], [37.5, 12.5], [12.5, 37.5], [37.5, 37.5]])
    rows, step = sites.thin_cells(xy, np.array([0.0, 0.0, 1.0, 3.0]), cell_m=25, reach_m=100)
    # One block of 50 m; the weighted centre (31.25, 37.5) is nearest the last cell.
    assert step == 50.0 and rows.tolist() == [3]
    rows, _ = sites.thin_cells(xy, np.zeros(4), cell_m=25, reach_m=100)
    assert rows.tolist() == [0]  # no weight: the plain centre, a tie, the first cell
    monkeypatch.setattr(sites, "MAX_CELL_CANDIDATES", 4)
    rows, step = sites.thin_cells(xy, np.ones(4), cell_m=25, reach_m=100)
    assert rows.tolist() == [0, 1, 2, 3] and step == 25.0  # few enough: all kept
