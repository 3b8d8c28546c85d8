"""join_figures: real CBS Kerncijfers onto real 2014 boundaries, and the CBS conventions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from asset_map._errors import SchemaError
from asset_map.io import join_figures, read_areas
from asset_map.io.figure_names import figure_columns
from asset_map.services.workspace import DEMO_DIR, load_workspace

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
            r"regiocode, WijkenEnBuurten, Codering_3, gwb_code_10",
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


# --- names in every style CBS and PDOK publish ------------------------------------------------

KERNCIJFERS = "cbs_kerncijfers"


@pytest.mark.parametrize(
    ("name", "target"),
    [
        # StatLine/OData, suffix of any year (84583NED 2019, 85984NED 2024)
        ("AantalInwoners_5", "inhabitants"),
        ("k_65JaarOfOuder_12", "count_65_plus"),
        ("HuishoudensTotaal_28", "households"),
        ("HuishoudensTotaal_29", "households"),
        ("Eenpersoonshuishoudens_29", "count_single_households"),
        ("Eenpersoonshuishoudens_30", "count_single_households"),
        ("OppervlakteLand_111", "land_area_ha"),
        ("OppervlakteLand_123", "land_area_ha"),
        # PDOK snake_case (GeoPackage, OGC API)
        ("aantal_inwoners", "inhabitants"),
        ("percentage_personen_65_jaar_en_ouder", "pct_65_plus"),
        ("aantal_huishoudens", "households"),
        ("percentage_eenpersoonshuishoudens", "pct_single_households"),
        ("oppervlakte_land_in_ha", "land_area_ha"),
        # PDOK camelCase (WFS, newer vintages)
        ("aantalInwoners", "inhabitants"),
        ("percentagePersonen65JaarEnOuder", "pct_65_plus"),
        ("aantalHuishoudens", "households"),
        ("percentageEenpersoonshuishoudens", "pct_single_households"),
        ("oppervlakteLandInHa", "land_area_ha"),
        # old Shapefile abbreviations and the Kerncijfers spreadsheets
        ("AANT_INW", "inhabitants"),
        ("P_65_EO_JR", "pct_65_plus"),
        ("AANT_HH", "households"),
        ("P_EENP_HH", "pct_single_households"),
        ("OPP_LAND", "land_area_ha"),
        ("a_inw", "inhabitants"),
        ("a_65_oo", "count_65_plus"),
        ("a_hh", "households"),
        ("a_1p_hh", "count_single_households"),
        ("a_lan_ha", "land_area_ha"),
        # our own names, also cut to 10 characters by a Shapefile
        ("pct_65_plus", "pct_65_plus"),
        ("pct_65_plu", "pct_65_plus"),
        ("land_area_", "land_area_ha"),
        ("Inwoners", "inhabitants"),
    ],
)
def test_a_figure_is_recognised_by_its_normalised_name(name, target):
    assert figure_columns([name]) == ({target: name}, [])


@pytest.mark.parametrize(
    "name",
    [
        "bevolkingsdichtheid_inwoners_per_km2",
        "pct_65plus_berekend",  # a derived column of the real 2019 files, not a CBS figure
        "k_0Tot15Jaar_8",
        "HuishoudensMetKinderen_31",
        "percentagePersonen0Tot15Jaar",
        "oppervlakte_water_in_ha",
        "mannen",
    ],
)
def test_other_columns_are_no_key_figure(name):
    assert figure_columns([name]) == ({}, [])


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (
            "kwb2019_84583NED_GM0344_utrecht.csv",
            {
                "inhabitants": "AantalInwoners_5",
                "count_65_plus": "k_65JaarOfOuder_12",
                "households": "HuishoudensTotaal_28",
                "count_single_households": "Eenpersoonshuishoudens_29",
            },
        ),
        (
            "kwb2019_84583NED_GM0518_denhaag.csv",
            {
                "inhabitants": "AantalInwoners_5",
                "count_65_plus": "k_65JaarOfOuder_12",
                "households": "HuishoudensTotaal_28",
                "count_single_households": "Eenpersoonshuishoudens_29",
                "land_area_ha": "OppervlakteLand_111",
            },
        ),
        (
            "kwb2024_85984NED_wijken_5gemeenten.csv",
            {"inhabitants": "AantalInwoners_5", "land_area_ha": "OppervlakteLand_123"},
        ),
    ],
)
def test_the_real_kerncijfers_columns_are_found(real_file, file, expected):
    columns = pd.read_csv(real_file(f"{KERNCIJFERS}/{file}"), nrows=1).columns
    assert figure_columns(columns) == (expected, [])


def test_den_haag_2019_joins_with_derived_percentages(real_file):
    wijken = read_areas(real_file(WIJKEN_2014)).frame
    den_haag = wijken[wijken["parent_code"] == "GM0518"]
    path = real_file(f"{KERNCIJFERS}/kwb2019_84583NED_GM0518_denhaag.csv")
    rows = pd.read_csv(path).set_index("regiocode")
    joined = join_figures(den_haag, path).frame.set_index("code")
    assert len(joined) == 44 and joined["inhabitants"].notna().all()
    assert joined["inhabitants"].sum() == rows.loc[joined.index, "AantalInwoners_5"].sum()
    expected = rows.loc[joined.index, "pct_65plus_berekend"]
    assert np.allclose(joined["pct_65_plus"], expected, atol=0.051, equal_nan=True)
    assert joined["land_area_ha"].notna().all()


def test_a_percentage_and_a_count_give_the_same_canonical_figures(tiny_areas, tmp_path):
    # 2024+ publishes the breakdowns as percentages (PDOK, camelCase), earlier years as counts
    # (StatLine): both become the model's percentages.
    percentages = write(
        tmp_path / "pdok.csv",
        "code,aantalInwoners,percentagePersonen65JaarEnOuder,aantalHuishoudens,"
        "percentageEenpersoonshuishoudens\n"
        "BU01500401,1200,25,600,40\n",
    )
    counts = write(
        tmp_path / "statline.csv",
        "WijkenEnBuurten,AantalInwoners_5,k_65JaarOfOuder_12,HuishoudensTotaal_29,"
        "Eenpersoonshuishoudens_30\n"
        "BU01500401,1200,300,600,240\n",
    )
    figures = ["inhabitants", "pct_65_plus", "households", "pct_single_households"]
    a = join_figures(tiny_areas, percentages).frame.set_index("code").loc["BU01500401", figures]
    b = join_figures(tiny_areas, counts).frame.set_index("code").loc["BU01500401", figures]
    assert a.tolist() == b.tolist() == [1200.0, 25.0, 600.0, 40.0]


def test_a_given_percentage_wins_and_a_count_fills_a_gap(tiny_areas, tmp_path):
    path = write(
        tmp_path / "both.csv",
        "code,aantal_inwoners,percentage_personen_65_jaar_en_ouder,a_65_oo\n"
        "BU01500401,1200,21,300\n"  # PDOK's rounded percentage is kept, not 25
        "BU01500402,1800,.,450\n",  # secret percentage: the count gives 25
    )
    out = join_figures(tiny_areas, path).frame.set_index("code")
    assert out.loc["BU01500401", "pct_65_plus"] == 21
    assert out.loc["BU01500402", "pct_65_plus"] == 25


def test_every_sentinel_is_missing_never_zero(tiny_areas, tmp_path):
    path = write(
        tmp_path / "kwb.csv",
        "gwb_code_10,a_inw,a_hh\n"
        "WK015004,-99995,-99997\n"
        "BU01500401,.,-\n"
        "BU01500402,-99999999,\u2013\n",
    )
    result = join_figures(tiny_areas, path)
    out = result.frame.set_index("code")
    assert out[["inhabitants", "households"]].isna().all().all()
    assert result.notes == [
        "Read 1 cell with '.' or 'x' (secret or not available at CBS) in column 'a_inw' of "
        "kwb.csv as missing, not as 0.",
        "Read 2 negative values in column 'a_inw' of kwb.csv as missing (CBS marks secret or "
        "unknown figures with negative numbers).",
        "Read 2 cells with '-' in column 'a_hh' of kwb.csv as missing, not as 0.",
        "Read 1 negative value in column 'a_hh' of kwb.csv as missing (CBS marks secret or "
        "unknown figures with negative numbers).",
    ]


# --- CBS's nil mark; a file without a code column ------------------------------------------------


def test_the_cbs_nil_mark_is_missing_not_refused(tmp_path):
    demo = load_workspace(DEMO_DIR)
    codes = demo.areas.loc[demo.areas["level"] == "buurt", "code"].head(2).tolist()
    csv = tmp_path / "kwb.csv"
    csv.write_text(f"code,AantalInwoners_5\n{codes[0]},-\n{codes[1]},250\n")
    result = join_figures(demo.areas, csv)
    values = result.frame.set_index("code")["inhabitants"]
    assert np.isnan(values[codes[0]]) and values[codes[1]] == 250
    note = "Read 1 cell with '-' in column 'AantalInwoners_5' of kwb.csv as missing, not as 0."
    assert note in result.notes


def test_a_csv_without_a_code_column_names_a_real_fix(tmp_path):
    demo = load_workspace(DEMO_DIR)
    csv = tmp_path / "kwb.csv"
    csv.write_text("gebied,inhabitants\nBU99990101,10\n")
    with pytest.raises(SchemaError) as caught:
        join_figures(demo.areas, csv)
    assert "code_column" not in str(caught.value)
    assert "rename the column in the file" in str(caught.value)
