"""join_figures: real CBS Kerncijfers onto real 2014 boundaries, and the CBS conventions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from asset_map._errors import SchemaError
from asset_map.io import join_figures, read_areas

BUURTEN_2014 = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"
WIJKEN_2014 = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
UTRECHT_2019 = "cbs_kerncijfers/kwb2019_84583NED_GM0344_utrecht.csv"
WIJKEN_2024 = "cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv"


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# --- real data -------------------------------------------------------------------------------


def test_utrecht_buurten_2019(real_file):
    buurten = read_areas(real_file(BUURTEN_2014)).frame
    utrecht = buurten[buurten["code"].str.startswith("BU0344")]
    csv = pd.read_csv(real_file(UTRECHT_2019))
    rows = csv[csv["soort_regio"] == "buurt"].set_index("regiocode")
    assert len(rows) == 111
    result = join_figures(utrecht, real_file(UTRECHT_2019))
    joined = result.frame.set_index("code")
    # All 111 Utrecht buurten of the 2014 file get their 2019 row (same codes).
    assert len(joined) == 111
    assert joined["inhabitants"].notna().all()
    assert result.notes == [
        f"Skipped the rows of {real_file(UTRECHT_2019).name} for other levels "
        "(gemeente: 1, wijk: 10).",
    ]
    common = joined.index
    assert joined["inhabitants"].tolist() == rows.loc[common, "AantalInwoners_5"].tolist()
    assert joined["households"].tolist() == rows.loc[common, "HuishoudensTotaal_28"].tolist()
    # Percentages derived from the counts match CBS's own (rounded to 0.1) derivation.
    for ours, theirs in (
        ("pct_65_plus", "pct_65plus_berekend"),
        ("pct_single_households", "pct_eenpersoonshh_berekend"),
    ):
        both = joined[ours].notna() & rows.loc[common, theirs].notna().to_numpy()
        assert both.sum() >= 100
        assert np.allclose(joined.loc[both, ours], rows.loc[common[both], theirs], atol=0.051)
    # Buurten without inhabitants get no percentage, never a division by zero.
    empty = joined["inhabitants"] == 0
    assert empty.any() and joined.loc[empty, "pct_65_plus"].isna().all()
    assert joined["land_area_ha"].isna().all()  # the Utrecht selection holds no area


def test_deventer_wijken_2024(real_file):
    wijken = read_areas(real_file(WIJKEN_2014)).frame
    deventer = wijken[wijken["parent_code"] == "GM0150"]
    before = deventer.copy()
    result = join_figures(deventer, real_file(WIJKEN_2024))
    joined = result.frame
    assert len(joined) == 15 and joined["inhabitants"].notna().all()
    assert joined["inhabitants"].sum() == 103_390
    assert joined.set_index("code").loc["WK015001", "inhabitants"] == 8900
    assert joined.set_index("code").loc["WK015001", "land_area_ha"] == 116
    assert joined["pct_65_plus"].isna().all()  # no age groups in this source
    assert not any(n.startswith("No row in") for n in result.notes)
    assert_geodataframe_equal(deventer, before)  # the input is not changed


# --- conventions, on small files -------------------------------------------------------------


def test_cbs_names_secret_marks_and_derived_percentages(tiny_areas, tmp_path):
    path = write(
        tmp_path / "kwb.csv",
        (
            "WijkenEnBuurten,SoortRegio_2,AantalInwoners_5,k_65JaarOfOuder_12,"
            "HuishoudensTotaal_29,Eenpersoonshuishoudens_30,OppervlakteLand_123\n"
            "WK015004  ,Wijk,3000,600,1500,750,200\n"
            "BU01500401,Buurt,1200,.,0,0,-99997\n"
            "BU01500402,Buurt,1800,450,900,,100\n"
            "GM0150,Gemeente,103405,20000,47000,18000,13056\n"
        ),
    )
    result = join_figures(tiny_areas, path)
    out = result.frame.set_index("code")
    assert out.loc["WK015004", "pct_65_plus"] == pytest.approx(20.0)
    assert out.loc["WK015004", "pct_single_households"] == pytest.approx(50.0)
    assert np.isnan(out.loc["BU01500401", "pct_65_plus"])  # '.' is secret, not 0
    assert np.isnan(out.loc["BU01500401", "pct_single_households"])  # 0 households
    assert np.isnan(out.loc["BU01500401", "land_area_ha"])  # negative sentinel
    assert out.loc["BU01500402", "pct_65_plus"] == pytest.approx(25.0)
    assert np.isnan(out.loc["BU01500402", "pct_single_households"])
    assert out["inhabitants"].tolist() == [3000.0, 1200.0, 1800.0]
    assert result.notes == [
        "Read 1 cell with '.' or 'x' (secret or not available at CBS) in column "
        "'k_65JaarOfOuder_12' of kwb.csv as missing, not as 0.",
        "Read 1 negative value in column 'OppervlakteLand_123' of kwb.csv as missing "
        "(CBS marks secret or unknown figures with negative numbers).",
        "Skipped the rows of kwb.csv for other levels (gemeente: 1).",
    ]


def test_our_names_semicolons_and_decimal_commas(tiny_areas, tmp_path):
    path = write(
        tmp_path / "eigen.csv",
        "code;pct_65_plus;percentage_eenpersoonshuishoudens\n"
        "BU01500401;21,5;48,25\n"
        "BU01509999;10;10\n",
    )
    result = join_figures(tiny_areas, path)
    out = result.frame.set_index("code")
    assert out.loc["BU01500401", "pct_65_plus"] == 21.5
    assert out.loc["BU01500401", "pct_single_households"] == 48.25
    # Areas without a row keep what they had.
    assert out.loc["WK015004", "pct_65_plus"] == 18.5
    assert out.loc["BU01500401", "inhabitants"] == 1200
    assert result.notes == [
        "No row in eigen.csv for 2 areas: WK015004, BU01500402.",
        "No area for 1 row of eigen.csv: BU01509999.",
    ]


def test_code_column_option(tiny_areas, tmp_path):
    path = write(tmp_path / "f.csv", "gebied,inwoners\nBU01500402,1795\n")
    out = join_figures(tiny_areas, path, code_column="gebied").frame.set_index("code")
    assert out.loc["BU01500402", "inhabitants"] == 1795


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        (
            "naam,inwoners\nA,1\n",
            {},
            r"f\.csv: no code column\. Found the columns: naam, inwoners\. Name it one of code, "
            r"regiocode, WijkenEnBuurten, Codering_3",
        ),
        (
            "code,inwoners\nA,1\n",
            {"code_column": "gebied"},
            r"f\.csv: no column 'gebied'\. Found the columns: code, inwoners",
        ),
        (
            "code,naam\nBU01500401,A\n",
            {},
            r"f\.csv: no key-figure columns\. Found the columns: code, naam",
        ),
        (
            "code,inwoners\nBU01500401,1\nBU01500401,2\n",
            {},
            r"f\.csv, row 3, column 'code': code 'BU01500401' is also in row 2",
        ),
        (
            "code,AantalInwoners_5\nBU01500401,veel\n",
            {},
            r"f\.csv, row 2, column 'AantalInwoners_5': 'veel' is not a number",
        ),
        (
            "code,inwoners\nBU03440111,1\n",
            {},
            r"f\.csv: none of its 1 codes matches one of the 3 areas.*same gemeente, level and "
            r"year",
        ),
    ],
    ids=[
        "no code column",
        "named code column absent",
        "no figures",
        "duplicate code",
        "not a number",
        "nothing matches",
    ],
)
def test_refused(tiny_areas, tmp_path, text, kwargs, match):
    path = write(tmp_path / "f.csv", text)
    with pytest.raises(SchemaError, match=match):
        join_figures(tiny_areas, path, **kwargs)


def test_areas_need_codes(tiny_areas, tmp_path):
    path = write(tmp_path / "f.csv", "code,inwoners\nBU01500401,1\n")
    with pytest.raises(SchemaError, match=r"The areas have no 'code' column"):
        join_figures(tiny_areas.drop(columns="code"), path)
