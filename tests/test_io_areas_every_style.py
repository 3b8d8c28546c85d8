"""read_areas on the wijk- en buurtkaart in every style PDOK publishes it.

Key figures are recognised by their normalised name (snake_case, camelCase, old
abbreviations); CBS's sentinels become missing; large water (``water`` = ``"JA"``) and
Belgian territory (``"B"``) are left out with one note. The property names follow the real
answers listed in tests/data/pdok/README.md; the places are made up.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from shapely.geometry import box, mapping

from asset_map.i18n import localise
from asset_map.io import read_areas
from asset_map.io.figure_names import figure_columns

ERMELO = "schema_sample_ermelo/cbs_buurten_2021_ermelo_GM0233.gpkg"


def square(i: int, size: float = 0.005) -> dict:
    """A square near Baarle-Nassau (CRS84), i steps east."""
    x, y = 4.92 + size * i, 51.43
    return mapping(box(x, y, x + size, y + size))


def write_features(path, rows: list[dict]):
    features = [
        {"type": "Feature", "properties": props, "geometry": square(i)}
        for i, props in enumerate(rows)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def camel(code: str, name: str | None, water: str, **figures: object) -> dict:
    """A buurt as PDOK's WFS names its properties (camelCase)."""
    return {
        "buurtcode": code,
        "buurtnaam": name,
        "wijkcode": "WK" + code[2:8],
        "gemeentecode": "GM" + code[2:6],
        "gemeentenaam": "Baarle-Nassau",
        "water": water,
        **figures,
    }


def test_camelcase_figures_water_and_belgian_parts(tmp_path):
    path = write_features(
        tmp_path / "buurten.geojson",
        [
            camel(
                "BU07440000",
                "Baarle-Nassau",
                "NEE",
                aantalInwoners=4810,
                percentagePersonen65JaarEnOuder=24,
                aantalHuishoudens=2100,
                percentageEenpersoonshuishoudens=33,
                oppervlakteLandInHa=410,
            ),
            camel("BU07440001", "Ulicoten", "NEE", aantalInwoners=620, aantalHuishoudens=-99997),
            # The code is made up; the mark "B" is CBS's for Belgian territory.
            camel("BU07440098", "Baarle-Hertog", "B", aantalInwoners=-99997),
            camel("BU07449997", None, "ja", aantalInwoners=-99997),
        ],
    )
    result = read_areas(path)
    out = result.frame.set_index("code")
    assert list(out.index) == ["BU07440000", "BU07440001"]
    assert out.loc["BU07440000", ["inhabitants", "pct_65_plus", "households"]].tolist() == [
        4810,
        24,
        2100,
    ]
    assert out.loc["BU07440000", ["pct_single_households", "land_area_ha"]].tolist() == [33, 410]
    assert out.loc["BU07440001", "inhabitants"] == 620
    assert np.isnan(out.loc["BU07440001", "households"])  # -99997: secret, not negative
    left_out = [n for n in result.notes if "left out" in n]
    assert left_out == [
        "buurten.geojson: left out 2 parts that are water or lie outside the Netherlands; "
        "they are no wijk or buurt: Baarle-Hertog (BU07440098) (outside the Netherlands), "
        "BU07449997 (water)."
    ]
    assert localise(left_out[0], "nl") == (
        "buurten.geojson: 2 delen zijn weggelaten, want ze zijn water of liggen buiten "
        "Nederland. Het zijn geen wijken of buurten: Baarle-Hertog (BU07440098) (buiten "
        "Nederland), BU07449997 (water)."
    )


def test_without_a_water_column_only_a_nameless_water_code_is_water(tmp_path):
    path = write_features(
        tmp_path / "wijken.geojson",
        [
            {"wijkcode": "WK023300", "wijknaam": "Ermelo", "aantal_inwoners": 25000},
            {"wijkcode": "WK023399", "wijknaam": None, "aantal_inwoners": -99997},
            {"wijkcode": "WK023301", "wijknaam": None, "aantal_inwoners": 400},
        ],
    )
    buurten = write_features(
        tmp_path / "buurten.geojson",
        [
            # Buurt codes ending in 99 are common land buurten (e.g. BU19630099): kept.
            {"buurtcode": "BU19630099", "buurtnaam": "Buitengebied", "aantal_inwoners": 90},
            {"buurtcode": "BU19639997", "buurtnaam": None, "aantal_inwoners": -99997},
        ],
    )
    wijken = read_areas(path)
    assert list(wijken.frame["code"]) == ["WK023300", "WK023301"]
    assert "WK023399 (water)" in next(n for n in wijken.notes if "left out" in n)
    # A nameless land wijk keeps its place, named by its code.
    assert wijken.frame.set_index("code").loc["WK023301", "name"] == "WK023301"
    assert list(read_areas(buurten).frame["code"]) == ["BU19630099"]


def test_sentinels_in_numbers_and_text_are_missing_with_notes(tmp_path):
    path = write_features(
        tmp_path / "buurten.geojson",
        [
            {"buurtcode": "BU01500401", "buurtnaam": "A", "aantal_inwoners": "-99997"},
            {"buurtcode": "BU01500402", "buurtnaam": "B", "aantal_inwoners": "."},
            {"buurtcode": "BU01500403", "buurtnaam": "C", "aantal_inwoners": "-"},
            {"buurtcode": "BU01500404", "buurtnaam": "D", "aantal_inwoners": -99999999},
            {"buurtcode": "BU01500405", "buurtnaam": "E", "aantal_inwoners": "1205"},
        ],
    )
    result = read_areas(path)
    assert result.frame["inhabitants"].tolist()[:4] == pytest.approx([np.nan] * 4, nan_ok=True)
    assert result.frame["inhabitants"].iloc[4] == 1205
    assert [n for n in result.notes if n.startswith("Read")] == [
        "Read 1 cell with '.' or 'x' (secret or not available at CBS) in column "
        "'aantal_inwoners' of buurten.geojson as missing, not as 0.",
        "Read 1 cell with '-' in column 'aantal_inwoners' of buurten.geojson as missing, not as 0.",
        "Read 2 negative values in column 'aantal_inwoners' of buurten.geojson as missing "
        "(CBS marks secret or unknown figures with negative numbers).",
    ]


def test_a_geopackage_with_two_layers_gives_one_note(tmp_path):
    path = tmp_path / "wijkenbuurten.gpkg"
    rows = {
        "wijken": {"wijkcode": ["WK023300", "WK023399"], "wijknaam": ["Ermelo", None]},
        "buurten": {"buurtcode": ["BU02330001", "BU02339997"], "buurtnaam": ["Oost", None]},
    }
    for layer, columns in rows.items():
        frame = gpd.GeoDataFrame(
            {**columns, "water": ["NEE", "JA"], "aantalInwoners": [100, -99997]},
            geometry=[box(170000, 470000, 171000, 471000), box(171000, 470000, 172000, 471000)],
            crs="EPSG:28992",
        )
        pyogrio.write_dataframe(frame, path, layer=layer)
    result = read_areas(path)
    assert list(result.frame["code"]) == ["WK023300", "BU02330001"]
    assert result.frame["inhabitants"].tolist() == [100, 100]
    assert [n for n in result.notes if "left out" in n] == [
        "wijkenbuurten.gpkg: left out 2 parts that are water or lie outside the Netherlands; "
        "they are no wijk or buurt: WK023399 (water), BU02339997 (water)."
    ]


def test_a_mapping_that_names_a_figure_column_wins(tmp_path):
    path = write_features(
        tmp_path / "eigen.geojson",
        [{"code": "BU01500401", "naam": "A", "aantal_inwoners": 10, "bewoners_2024": 12}],
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[areas.columns]\ninhabitants = "bewoners_2024"\n', encoding="utf-8")
    assert read_areas(path).frame["inhabitants"].tolist() == [10]
    assert read_areas(path, mapping=mapping).frame["inhabitants"].tolist() == [12]


def test_the_ermelo_columns_are_recognised(real_file):
    columns = pyogrio.read_info(real_file(ERMELO))["fields"]
    assert figure_columns(columns) == (
        {
            "inhabitants": "aantal_inwoners",
            "pct_65_plus": "percentage_personen_65_jaar_en_ouder",
            "households": "aantal_huishoudens",
            "pct_single_households": "percentage_eenpersoonshuishoudens",
            "land_area_ha": "oppervlakte_land_in_ha",
        },
        [],
    )
