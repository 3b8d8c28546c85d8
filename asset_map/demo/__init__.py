"""Generate Lindeveen, a fictional but plausible Dutch gemeente, as demo data.

Run ``python -m asset_map.demo [--out data/demo]``. The town outline, its 4 wijken and 20
buurten with CBS-style key figures, about 300 assets and 40 residents' talents all come from one
fixed random seed, so two runs write byte-identical files and the committed ``data/demo/``
always matches this script.

Geometry is built in RD New (EPSG:28992) and written in WGS84 (EPSG:4326), rounded to 6
decimals (about 0.1 m). Lindeveen is made up; its gemeentecode GM9999 is not a CBS code.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPoint, Point, Polygon

from asset_map.demo.access import add_access_and_hours
from asset_map.demo.activities import (
    POSTCODE_COLUMNS,
    build_activities,
    build_place_needs,
    build_postcodes,
)
from asset_map.demo.files import write_csv, write_geojson
from asset_map.model import (
    ACTIVITY_COLUMNS,
    AREA_COLUMNS,
    ASSET_COLUMNS,
    PLACE_NEED_COLUMNS,
    TALENT_COLUMNS,
    WISHES,
    catalogue,
)

SEED = 20260101
#: The activities, needs and postcodes draw from their own generator (added later, so the
#: older files stay as they were).
SEED_VERBINDEN = 20261122
NAME = "Lindeveen"
GEMEENTE_CODE = "GM9999"
SOURCE = "Demo Lindeveen (fictief)"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "demo"
#: Flevoland farmland between Lelystad, Dronten and Biddinghuizen, clear of the real villages.
CENTRE_RD = (170_500.0, 500_500.0)
GRID_DEG = 1e-6  # coordinate precision of the output (about 0.1 m)

#: RD New -> WGS84 pinned to one grid-free operation (EPSG:4833, "Amersfoort to WGS 84 (4)"),
#: so the output does not depend on which PROJ grids a machine has installed.
_RD_TO_WGS84 = Transformer.from_pipeline(
    "+proj=pipeline +step +inv +proj=sterea +lat_0=52.1561605555556 +lon_0=5.38763888888889 "
    "+k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +step +proj=push +v_3 "
    "+step +proj=cart +ellps=bessel +step +proj=helmert +x=565.4171 +y=50.3319 +z=465.5524 "
    "+rx=0.398957388243134 +ry=-0.343987817378283 +rz=1.87740163998045 +s=4.0725 "
    "+convention=coordinate_frame +step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3 "
    "+step +proj=unitconvert +xy_in=rad +xy_out=deg"
)

# --- the town: wijken, buurten and how their residents live ----------------------------------

#: wijk -> buurten as (name, profile, Voronoi seed offset from the centre in m, streets).
WIJKEN: dict[str, list[tuple[str, str, tuple[int, int], str]]] = {
    "Centrum": [
        ("Oude Kern", "centre", (0, 100), "Marktplein;Voorstraat;Kerkstraat;Lindelaan"),
        ("Kerkbuurt", "grey", (650, 450), "Kosterstraat;Pastoriepad;Klokkenlaan"),
        ("Molenbuurt", "residential", (-650, 450), "Molenweg;Maalderij;Wiekenlaan"),
        ("Stationsbuurt", "centre", (50, 950), "Stationsweg;Spoorlaan;Perronstraat"),
        ("Havenkwartier", "centre", (100, -600), "Havenkade;Sluisweg;Schippersgracht"),
    ],
    "Oosterhof": [
        ("Bloemenbuurt", "residential", (1500, 700), "Rozenstraat;Tulpstraat;Irislaan"),
        ("Vogelbuurt", "residential", (1400, -400), "Merelstraat;Lijsterlaan;Spechtweg"),
        ("Oosterhof-Noord", "family", (1900, 1700), "Oosterhoflaan;Hofweg;Boerderijpad"),
        ("Schildersbuurt", "residential", (2500, 600), "Rembrandtlaan;Vermeerstraat;Halsweg"),
        ("Oostermeer", "family", (2500, -600), "Meerkoet;Waterhoen;Rietzanger"),
        ("Bedrijventerrein De Vaart", "industrial", (2300, -1800), "Vaartweg;Industrieweg"),
    ],
    "De Velden": [
        ("Korenveld", "residential", (-1500, 600), "Korenweg;Schoofstraat;Dorsvloer"),
        ("Vlasveld", "family", (-1400, -500), "Vlaslaan;Zwingelweg;Lijnzaadstraat"),
        ("Tarweveld", "family", (-2400, 1300), "Tarwelaan;Gerstweg;Haverstraat"),
        ("Rietlanden", "residential", (-2500, -300), "Rietkraag;Lisdodde;Biezenpad"),
        ("De Boomgaard", "family", (-900, 1800), "Appelgaard;Perenlaan;Kersenpad"),
    ],
    "Lindeveen-Zuid": [
        ("Lindehof", "grey", (-600, -1500), "Lindehof;Kastanjelaan;Beukenstraat"),
        ("Zuiderpark", "residential", (800, -1500), "Zuiderparklaan;Parkweg;Vijverstraat"),
        ("Het Ven", "family", (-100, -2200), "Venweg;Veenpluis;Heidestraat"),
        ("Buitengebied Zuid", "rural", (-2200, -1900), "Zuiderdijk;Polderweg"),
    ],
}
#: Residential buurten left without a meeting place on purpose, and the huiskamer planned there.
PLANNED = {"Lindehof": "Huiskamer Zuid (gepland)", "Rietlanden": "Huiskamer Rietlanden (gepland)"}
GAP_CLEARANCE_M = 600.0  # existing meeting places keep this far from a gap buurt's edge
#: Key-figure ranges per profile: inhabitants, % 65+, % single-person households.
PROFILES: dict[str, tuple[tuple[float, float], ...] | None] = {
    "centre": ((1200, 2200), (18, 26), (45, 58)),
    "grey": ((900, 1800), (31, 38), (40, 55)),
    "residential": ((1600, 3500), (12, 22), (26, 40)),
    "family": ((1800, 3400), (8, 12), (20, 28)),
    "rural": ((300, 600), (15, 22), (20, 26)),
    "industrial": None,  # CBS keeps the figures of a few residents secret ('.')
}
#: How strongly each profile draws assets, and exceptions per (type, profile).
PROFILE_WEIGHT = {
    "centre": 4.0,
    "grey": 1.5,
    "residential": 1.5,
    "family": 1.5,
    "rural": 0.4,
    "industrial": 0.1,
}
TYPE_BIAS = {
    ("winkel", "centre"): 3.0,
    ("winkel", "industrial"): 40.0,
    ("markt", "centre"): 20.0,
    ("zorg", "grey"): 3.0,
    ("speelplek", "family"): 2.0,
    ("school", "family"): 2.0,
    ("sportkantine", "rural"): 6.0,
    ("moestuin", "rural"): 5.0,
    ("park", "rural"): 3.0,
}

# --- assets: how many, and words to name and describe them -----------------------------------

COUNTS = {
    "vereniging": 40,
    "bewonersinitiatief": 32,
    "activiteit": 24,
    "school": 12,
    "bibliotheek": 2,
    "gebedshuis": 7,
    "zorg": 20,
    "buurthuis": 4,
    "wijkhuiskamer": 8,
    "huis_van_de_wijk": 2,
    "sportkantine": 7,
    "speeltuin_clubhuis": 3,
    "park": 10,
    "speelplek": 48,
    "moestuin": 7,
    "winkel": 64,
    "markt": 3,
    "overig": 7,
}
CAPACITY = {
    "buurthuis": (40, 80),
    "wijkhuiskamer": (15, 30),
    "huis_van_de_wijk": (50, 80),
    "sportkantine": (30, 80),
    "speeltuin_clubhuis": (20, 40),
}
#: Word lists (names, texts) live in words.toml beside this file.
_WORD_FILE = tomllib.loads(
    resources.files("asset_map").joinpath("demo", "words.toml").read_text("utf-8")
)
WORDS: dict[str, str] = _WORD_FILE["words"]
#: type -> (name patterns, descriptions, tags, ...), each "|"-separated.
TYPE_WORDS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _WORD_FILE["type_words"].items()}
NICKNAMES: list[str] = _WORD_FILE["talents"]["nicknames"]
AVAILABILITY: list[str] = _WORD_FILE["talents"]["availability"]
TALENT_TEXT: dict[str, str] = _WORD_FILE["talents"]["text"]


# --- geometry --------------------------------------------------------------------------------


def town_outline(rng: np.random.Generator) -> Polygon:
    """Return a rounded rectangle of about 6 x 5 km with a slightly ragged edge, in RD New."""
    angle = np.linspace(0.0, 2 * np.pi, 40, endpoint=False)
    cos, sin = np.cos(angle), np.sin(angle)
    radius = (np.abs(cos / 3000) ** 4 + np.abs(sin / 2500) ** 4) ** -0.25  # a superellipse
    radius *= 1 + rng.uniform(-0.04, 0.04, angle.size)
    return Polygon(np.column_stack([CENTRE_RD[0] + radius * cos, CENTRE_RD[1] + radius * sin]))


def buurt_cells(rng: np.random.Generator, outline: Polygon, offsets: list) -> list[Polygon]:
    """Return the Voronoi cells of the jittered seeds clipped to the outline, in seed order."""
    seeds = np.asarray(offsets, float) + CENTRE_RD + rng.uniform(-120, 120, (len(offsets), 2))
    cells = list(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline).geoms)
    in_order = [next(c for c in cells if c.contains(Point(xy))) for xy in seeds]
    return [c.intersection(outline) for c in in_order]


def to_wgs84(geoms: np.ndarray) -> np.ndarray:
    """Transform shapely geometries from RD New to WGS84 (lon, lat)."""
    return shapely.transform(geoms, lambda xy: np.column_stack(_RD_TO_WGS84.transform(*xy.T)))


def random_point(
    rng: np.random.Generator, area: Polygon, avoid: list, clearance_m: float = 0.0, tries: int = 100
) -> Point | None:
    """Return a random point at least 25 m inside ``area`` and ``clearance_m`` from ``avoid``."""
    inner = area.buffer(-25.0)
    x0, y0, x1, y1 = inner.bounds
    for _ in range(tries):
        point = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if inner.contains(point) and all(point.distance(a) >= clearance_m for a in avoid):
            return point
    return None


# --- areas and key figures -------------------------------------------------------------------


def key_figures(rng: np.random.Generator, profile: str) -> dict[str, Any]:
    """Draw CBS-style key figures for a buurt of ``profile`` (all None where CBS keeps them)."""
    ranges = PROFILES[profile]
    if ranges is None:
        return dict.fromkeys(("inhabitants", "pct_65_plus", "households", "pct_single_households"))
    (i0, i1), (o0, o1), (s0, s1) = ranges
    inhabitants = 5 * round(rng.uniform(i0, i1) / 5)
    pct_single = round(float(rng.uniform(s0, s1)), 1)
    household_size = 2.55 - 1.2 * pct_single / 100  # more singles, smaller households
    return {
        "inhabitants": inhabitants,
        "pct_65_plus": round(float(rng.uniform(o0, o1)), 1),
        "households": 5 * round(inhabitants / household_size / 5),
        "pct_single_households": pct_single,
    }


def aggregate(code: str, name: str, level: str, parent: str | None, members: list) -> dict:
    """Return the row of an area made of ``members``: sums and weighted means, union geometry.

    % 65+ is weighted by inhabitants, % single-person households by households; buurten
    with secret figures are left out.
    """
    known = [m for m in members if m["inhabitants"] is not None]
    people, homes = sum(m["inhabitants"] for m in known), sum(m["households"] for m in known)
    return {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent,
        "inhabitants": people,
        "pct_65_plus": round(sum(m["pct_65_plus"] * m["inhabitants"] for m in known) / people, 1),
        "households": homes,
        "pct_single_households": round(
            sum(m["pct_single_households"] * m["households"] for m in known) / homes, 1
        ),
        "land_area_ha": round(sum(m["rd"].area for m in members) / 1e4, 1),
        "geometry": shapely.union_all([m["geometry"] for m in members], grid_size=GRID_DEG),
    }


def build_areas(rng: np.random.Generator) -> list[dict]:
    """Return the gemeente, wijk and buurt rows; buurt rows also carry what the assets need."""
    specs = [(wijk, *spec) for wijk, buurten in WIJKEN.items() for spec in buurten]
    cells_rd = buurt_cells(rng, town_outline(rng), [spec[3] for spec in specs])
    cells = shapely.set_precision(to_wgs84(np.array(cells_rd)), GRID_DEG)
    number = GEMEENTE_CODE[2:]
    wijken: list[dict[str, Any]] = []
    buurten: list[dict[str, Any]] = []
    for (wijk, name, profile, _, streets), rd, geom in zip(specs, cells_rd, cells, strict=True):
        w = list(WIJKEN).index(wijk) + 1
        b = 1 + sum(x["parent_code"] == f"WK{number}{w:02d}" for x in buurten)
        buurten.append(
            {
                "code": f"BU{number}{w:02d}{b:02d}",
                "name": name,
                "level": "buurt",
                "parent_code": f"WK{number}{w:02d}",
                **key_figures(rng, profile),
                "land_area_ha": round(rd.area / 1e4, 1),
                "geometry": geom,
                "rd": rd,
                "profile": profile,
                "streets": streets.split(";"),
                "wijk": wijk,
            }
        )
    for w, wijk in enumerate(WIJKEN, 1):
        code = f"WK{number}{w:02d}"
        members = [b for b in buurten if b["parent_code"] == code]
        wijken.append(aggregate(code, wijk, "wijk", GEMEENTE_CODE, members))
    return [aggregate(GEMEENTE_CODE, NAME, "gemeente", None, buurten), *wijken, *buurten]


# --- assets ----------------------------------------------------------------------------------


def _words(rng: np.random.Generator, buurt: dict) -> dict[str, str]:
    pick = {k: str(rng.choice(v.split("|"))) for k, v in WORDS.items()}
    return {
        **pick,
        "street": str(rng.choice(buurt["streets"])),
        "buurt": buurt["name"],
        "wijk": buurt["wijk"],
        "town": NAME,
    }


def asset_row(
    rng: np.random.Generator,
    key: str,
    name: str,
    buurt: dict,
    point: Point,
    *,
    status: str = "existing",
    description: str | None = None,
    tags: str | None = None,
    address: str | None = None,
) -> dict:
    """Return one asset row; description, tags, address and capacity are drawn when not given."""
    _, descriptions, tag_pool = TYPE_WORDS.get(key, ("", "", ""))
    if description is None:
        text = str(rng.choice(descriptions.split("|"))) if rng.random() > 0.15 else ""
        description = text.format(buurt=buurt["name"])
    if tags is None:
        pool = [t for t in tag_pool.split("|") if t]
        chosen = (
            sorted(
                rng.choice(len(pool), size=min(len(pool), int(rng.integers(0, 3))), replace=False)
            )
            if pool
            else []
        )
        tags = ";".join(pool[i] for i in chosen)
    lo_hi = CAPACITY.get(key, (15, 40)) if catalogue().types[key].meeting_place else None
    return {
        "id": "",
        "name": name,
        "type": key,
        "description": description,
        "address": address or f"{rng.choice(buurt['streets'])} {rng.integers(1, 160)}",
        "tags": tags,
        "source": SOURCE,
        "status": status,
        "capacity": 5 * int(rng.integers(lo_hi[0], lo_hi[1] + 1) // 5) if lo_hi else None,
        "opening_hours": None,
        "rd": point,
    }


def fixed_assets(rng: np.random.Generator, buurten: list[dict]) -> list[dict]:
    """Return the hand-made assets: the planned huiskamers and a name that needs HTML escaping."""
    by_name = {b["name"]: b for b in buurten}
    core = by_name["Oude Kern"]
    cafe = asset_row(
        rng,
        "winkel",
        'Café "De Brug" & Zn <oud>',
        core,
        random_point(rng, core["rd"], []) or core["rd"].point_on_surface(),
        description='Bruin café bij de brug: "koffie & appeltaart" <sinds 1923>.',
        tags="koffie;horeca",
    )
    rows = [cafe]
    for buurt_name, name in PLANNED.items():
        buurt = by_name[buurt_name]
        centre = buurt["rd"].centroid
        point = (
            centre if buurt["rd"].buffer(-25).contains(centre) else buurt["rd"].point_on_surface()
        )
        rows.append(
            asset_row(
                rng,
                "wijkhuiskamer",
                name,
                buurt,
                point,
                status="planned",
                description="Gepland: hier is nog geen ontmoetingsplek dichtbij.",
                tags="ouderen;koffie;ontmoeting",
            )
        )
    return rows


def build_assets(rng: np.random.Generator, buurten: list[dict]) -> list[dict]:
    """Return about 300 assets of every type but talent, numbered in catalogue order.

    Existing meeting places stay out of the planned huiskamers' buurten and
    ``GAP_CLEARANCE_M`` away from them, so a gap analysis finds real gaps there.
    """
    types = catalogue().types
    gaps = [b["rd"] for b in buurten if b["name"] in PLANNED]
    rows = fixed_assets(rng, buurten)
    used, fixed = {r["name"] for r in rows}, Counter(r["type"] for r in rows)
    for key in types:
        if key in ("talent", "activiteit"):
            continue
        meeting = types[key].meeting_place
        pool = [b for b in buurten if not (meeting and b["name"] in PLANNED)]
        weights = np.array(
            [PROFILE_WEIGHT[b["profile"]] * TYPE_BIAS.get((key, b["profile"]), 1.0) for b in pool]
        )
        patterns = TYPE_WORDS.get(key, (types[key].label_nl + " {street}",))[0].split("|")
        for _ in range(COUNTS.get(key, 3) - fixed[key]):
            for attempt in range(60):
                buurt = pool[rng.choice(len(pool), p=weights / weights.sum())]
                point = random_point(rng, buurt["rd"], gaps if meeting else [], GAP_CLEARANCE_M)
                name = str(rng.choice(patterns)).format(**_words(rng, buurt))
                if point is not None and (name not in used or attempt == 59):
                    break
            if point is None:
                raise RuntimeError(
                    f"No room for a '{key}' asset: loosen GAP_CLEARANCE_M or PLANNED"
                )
            name = name if name not in used else f"{name} ({buurt['name']})"
            used.add(name)
            rows.append(asset_row(rng, key, name, buurt, point))
    rows += activities(rng, rows, buurten, used)
    order = list(types)
    rows.sort(key=lambda r: order.index(r["type"]))
    points = to_wgs84(np.array([r.pop("rd") for r in rows]))
    for i, (row, point) in enumerate(zip(rows, points, strict=True), 1):
        row.update(id=f"demo-{i:04d}", geometry=point)
    return rows


def activities(
    rng: np.random.Generator, assets: list[dict], buurten: list[dict], used: set[str]
) -> list[dict]:
    """Return activities held at existing places that can host them, a few metres away."""
    types = catalogue().types
    hosts = [a for a in assets if a["status"] == "existing" and types[a["type"]].can_host]
    kinds = TYPE_WORDS["activiteit"][0].split("|")
    rows = []
    for _ in range(COUNTS.get("activiteit", 0)):
        for _attempt in range(1000):
            host = hosts[rng.integers(len(hosts))]
            short = next(
                (
                    host["name"][host["name"].find(w) + 1 :]
                    for w in (" De ", " Het ", " 't ")
                    if w in host["name"]
                ),
                host["name"],
            )
            name = f"{rng.choice(kinds)} in {short}"
            if name not in used:
                break
        else:
            raise RuntimeError("Ran out of activity names: add words to TYPE_WORDS['activiteit']")
        used.add(name)
        buurt = next(b for b in buurten if b["rd"].contains(host["rd"]))
        distance_m, angle = rng.uniform(5, 15), rng.uniform(0, 2 * np.pi)
        point = Point(
            host["rd"].x + distance_m * np.cos(angle), host["rd"].y + distance_m * np.sin(angle)
        )
        rows.append(asset_row(rng, "activiteit", name, buurt, point, address=host["address"]))
    return rows


# --- talents ---------------------------------------------------------------------------------


def build_talents(
    rng: np.random.Generator, buurten: list[dict], n: int = 40, n_pending: int = 4
) -> list[dict]:
    """Return residents' talents with a buurt code as their only location, no contact data."""
    living = [b for b in buurten if b["inhabitants"]]
    weights = np.array([b["inhabitants"] for b in living], float)
    categories = list(catalogue().talent_categories)
    nicknames = rng.permutation(NICKNAMES)
    pending = set(rng.choice(n, n_pending, replace=False).tolist())
    rows = []
    for i in range(n):
        cats = [
            categories[j]
            for j in sorted(rng.choice(len(categories), rng.integers(1, 4), replace=False))
        ]
        wishes = [
            WISHES[j] for j in sorted(rng.choice(len(WISHES), rng.integers(1, 3), replace=False))
        ]
        rows.append(
            {
                "id": f"demo-t{i + 1:03d}",
                "nickname": str(nicknames[i % len(nicknames)]),
                "categories": ";".join(cats),
                "description": TALENT_TEXT.get(cats[0], "Ik help graag mee") + ".",
                "wishes": ";".join(wishes),
                "availability": str(rng.choice(AVAILABILITY)),
                "buurt_code": living[rng.choice(len(living), p=weights / weights.sum())]["code"],
                "status": "pending" if i in pending else "approved",
            }
        )
    return rows


# --- postcodes ------------------------------------------------------------------------------


def _postcode_points(rng: np.random.Generator, buurt_rd: Polygon, n: int) -> Any:
    """Return ``n`` random points (WGS84) inside a buurt, for its made-up postcodes."""
    points = [random_point(rng, buurt_rd, []) for _ in range(n)]
    return to_wgs84(np.array([p or buurt_rd.point_on_surface() for p in points]))


def generate_demo(out_dir: Path) -> dict[str, int]:
    """Write the demo files into ``out_dir``.

    ``areas.geojson``, ``assets.geojson``, ``talents.csv``, ``activities.csv``,
    ``place_needs.csv``, ``postcodes.csv`` and ``meta.json``.

    Parameters
    ----------
    out_dir : Path
        Created when missing; existing files of the same names are overwritten.

    Returns
    -------
    dict of str to int
        How many rows of each kind were written.
    """
    rng = np.random.default_rng(SEED)
    areas = build_areas(rng)
    buurten = [a for a in areas if a["level"] == "buurt"]
    assets = build_assets(rng, buurten)
    talents = build_talents(rng, buurten)
    rng_verbinden = np.random.default_rng(SEED_VERBINDEN)
    weekly = build_activities(rng_verbinden, assets)
    needs = build_place_needs(rng_verbinden, assets, weekly)
    postcodes = build_postcodes(rng_verbinden, buurten, _postcode_points)
    add_access_and_hours(assets)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_geojson(out_dir / "areas.geojson", areas, AREA_COLUMNS)
    write_geojson(out_dir / "assets.geojson", assets, ASSET_COLUMNS)
    write_csv(out_dir / "talents.csv", talents, TALENT_COLUMNS)
    write_csv(out_dir / "activities.csv", weekly, ACTIVITY_COLUMNS)
    write_csv(out_dir / "place_needs.csv", needs, PLACE_NEED_COLUMNS)
    write_csv(out_dir / "postcodes.csv", postcodes, POSTCODE_COLUMNS)
    counts = {
        "wijken": sum(a["level"] == "wijk" for a in areas),
        "buurten": len(buurten),
        "assets": len(assets),
        "assets_planned": sum(a["status"] == "planned" for a in assets),
        "talents": len(talents),
        "talents_approved": sum(t["status"] == "approved" for t in talents),
        "activities": len(weekly),
        "place_needs": len(needs),
        "postcodes": len(postcodes),
    }
    meta = {
        "name": NAME,
        "gemeentecode": GEMEENTE_CODE,
        "is_demo": True,
        "label_nl": "Demodata: Lindeveen is een verzonnen gemeente",
        "label_en": "Demo data: Lindeveen is a made-up municipality",
        "crs": "EPSG:4326",
        "generated_by": "python -m asset_map.demo",
        "sources": [{"name": SOURCE, "licence": "CC0-1.0", "year": 2026}],
        "counts": counts,
    }
    text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "meta.json").write_text(text, encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    """Run the generator from the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m asset_map.demo",
        description="Write the demo gemeente Lindeveen (fictional).",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    counts = generate_demo(args.out)
    print(f"Wrote {args.out}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0
