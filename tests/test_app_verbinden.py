"""The Verbinden screens in the app (AppTest): near me, what's on, and the wijkmanager's matching.

Every test has its own SQLite database, seeded with the demo gemeente Lindeveen on the first
page run. Talents are submitted and approved through the Store, as the Doe mee and Beoordelen
screens would do.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asset_map import settings
from asset_map.crs import WORK_CRS
from asset_map.services.workspace import load_workspace
from asset_map.storage import Store, TalentSubmission

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
MANAGER = ("wim", "geheim-wachtwoord-1")
SECRET_NICK = "Geheimnaam Xq"
SECRET_CONTACT = "geheim-xq@example.nl"


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    monkeypatch.delenv("ASSET_MAP_DATA_DIR", raising=False)
    store = Store(url)
    store.add_user(*MANAGER, "wijkmanager", actor="test")
    store.close()
    return url


@pytest.fixture(scope="module")
def demo() -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    ws = load_workspace(DEMO)  # the assets with their buurt_code
    return {
        "areas": ws.areas,
        "assets": ws.assets,
        "activities": pd.read_csv(DEMO / "activities.csv", dtype=str),
        "needs": pd.read_csv(DEMO / "place_needs.csv", dtype=str),
        "postcodes": pd.read_csv(DEMO / "postcodes.csv", dtype=str),
    }


def _open(page: str, at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button '{label}'"
    return matches[0]


def _login(at: AppTest, username: str, password: str) -> None:
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    _button(at, "Inloggen").click().run()
    assert not at.exception, at.exception


def _all_text(at: AppTest) -> str:
    """Return every text the page shows, tables and choices included."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("success", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.value.to_string() for e in (*at.dataframe, *at.table)]
    for box in (*at.selectbox, *at.multiselect, *at.radio):
        parts += [str(o) for o in box.options]
    return "\n".join(parts)


def _approve(db: str, *, nickname: str, categories: tuple[str, ...], buurt: str, contact: str):
    store = Store(db)
    receipt = store.submit_talent(
        TalentSubmission(
            nickname=nickname,
            categories=categories,
            description="Ik help graag.",
            wishes=("help_neighbour",),
            availability="dinsdagmiddag",
            buurt_code=buurt,
            contact=contact,
        )
    )
    store.decide(receipt.id, status="approved", actor="test")
    store.close()
    return receipt.id


def _buurt_distances(demo, asset_id: str) -> pd.Series:
    """Straight-line metres from a place to each buurt's inner point, nearest first."""
    buurten = demo["areas"][demo["areas"]["level"] == "buurt"].to_crs(WORK_CRS)
    place = demo["assets"][demo["assets"]["id"] == asset_id].to_crs(WORK_CRS).geometry.iloc[0]
    points = buurten.geometry.representative_point()
    return pd.Series(points.distance(place).to_numpy(), index=buurten["code"]).sort_values()


# --- Verbinden: matching talents to a meeting place ------------------------------------------


def test_connect_refuses_anonymous_sessions(db):
    at = _open("app_pages/connect.py")
    assert any("Log eerst in" in w.value for w in at.warning)
    assert not [s for s in at.selectbox if s.key == "connect_place"]
    assert not [b for b in at.button if b.label == "Verbinding gemaakt"]


def test_near_talent_matches_a_huiskamer_and_far_one_does_not(db, demo):
    # A meeting place that asks for a cook (the demo's needs), its own buurt, and the buurt
    # farthest from it (kilometres away: beyond any walking time on offer).
    needs = demo["needs"]
    place_id = needs[needs["categories"].str.split(";").map(lambda c: "koken" in c)][
        "asset_id"
    ].iloc[0]
    place = demo["assets"][demo["assets"]["id"] == place_id].iloc[0]
    distances = _buurt_distances(demo, place_id)
    near_buurt, far_buurt = distances.index[0], distances.index[-1]
    assert distances.iloc[-1] > 3000
    near_id = _approve(
        db,
        nickname="Kok Dichtbij",
        categories=("koken",),
        buurt=near_buurt,
        contact="dichtbij@example.nl",
    )
    _approve(
        db,
        nickname="Kok Verweg",
        categories=("koken",),
        buurt=far_buurt,
        contact="verweg@example.nl",
    )
    _approve(
        db, nickname="Tuinier Dichtbij", categories=("tuinieren",), buurt=near_buurt, contact=""
    )

    at = _open("app_pages/explore.py")
    _login(at, *MANAGER)
    _open("app_pages/connect.py", at)
    at.selectbox(key="connect_place@nl").select(place_id).run()
    assert not at.exception, at.exception
    shown = _all_text(at)
    assert "Kok Dichtbij" in shown
    assert "dichtbij@example.nl" in shown  # the wijkmanager sees the contact here
    assert "Kok Verweg" not in shown  # too far to walk
    assert "Tuinier Dichtbij" not in shown  # near, but not what the place asks for
    assert str(place["name"]) in at.selectbox(key="connect_place@nl").format_func(place_id)

    # A second tab shows the same match, with its button, before the connection is made.
    other = _open("app_pages/explore.py")
    _login(other, *MANAGER)
    _open("app_pages/connect.py", other)
    other.selectbox(key="connect_place@nl").select(place_id).run()

    # Recording the connection: stored with who and when, and in the audit log.
    button = next(b for b in at.button if b.key == f"connect_made_{place_id}_{near_id}")
    button.click().run()
    assert not at.exception, at.exception
    assert any("Kok Dichtbij" in s.value for s in at.success)
    store = Store(db)
    made = store.connections()
    assert made[["asset_id", "talent_id", "category", "made_by"]].values.tolist() == [
        [place_id, near_id, "koken", "wim"]
    ]
    assert made["buurt_code"].tolist() == [near_buurt]
    assert pd.notna(made["made_at"].iloc[0])
    log = store.audit()
    assert ((log["actor"] == "wim") & log["entity"].str.contains("connection")).sum() == 1
    store.close()
    # The list of recent connections names it; the chart counts it.
    recent = " ".join(d.value.to_string() for d in at.dataframe)
    assert "Kok Dichtbij" in recent and str(place["name"]) in recent
    assert len(at.get("vega_lite_chart")) == 1
    # The same connection cannot be recorded twice: the button is gone, and says when.
    assert not [b for b in at.button if b.key == f"connect_made_{place_id}_{near_id}"]
    assert any(
        c.value.startswith("✅ Al verbonden met deze plek op") and "door wim" in c.value
        for c in at.caption
    )
    # The other tab's button, drawn before: its click records nothing, and says since when.
    next(b for b in other.button if b.key == f"connect_made_{place_id}_{near_id}").click().run()
    assert not other.exception, other.exception
    said = [c.value for c in other.caption if "verbonden met deze plek" in c.value.lower()]
    assert said and "door wim" in said[0]
    assert len(Store(db).connections()) == 1


def test_needs_edited_on_the_page_change_the_matches(db, demo):
    needs = demo["needs"]
    place_id = needs[~needs["categories"].str.contains("muziek")]["asset_id"].iloc[0]
    near_buurt = _buurt_distances(demo, place_id).index[0]
    _approve(db, nickname="Muzikant Dichtbij", categories=("muziek",), buurt=near_buurt, contact="")
    at = _open("app_pages/explore.py")
    _login(at, *MANAGER)
    _open("app_pages/connect.py", at)
    at.selectbox(key="connect_place@nl").select(place_id).run()
    assert "Muzikant Dichtbij" not in _all_text(at)
    at.multiselect(key=f"connect_needs_cats_{place_id}@nl").set_value(["muziek"])
    _button(at, "Opslaan").click().run()
    assert not at.exception, at.exception
    assert "Muzikant Dichtbij" in _all_text(at)
    store = Store(db)
    saved = store.place_needs()
    assert saved.loc[saved["asset_id"] == place_id, "categories"].tolist() == ["muziek"]
    store.close()


# --- Bij mij in de buurt: the resident's view ------------------------------------------------


def test_postcode_lists_activities_within_walking_distance_in_order(db, demo):

    # The demo's first postcode (the list must not be empty: checked below).
    postcodes = demo["postcodes"]
    row = postcodes.iloc[0]
    at = _open("app_pages/near_me.py")
    at.text_input(key="near_postcode").input(str(row["postcode"]))
    _button(at, "Zoek wat er in de buurt is").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    tables = [d.value for d in at.table]
    activities = next(t for t in tables if "Activiteit" in t.columns)
    minutes = activities["Lopen"].str.extract(r"(\d+)")[0].astype(int).tolist()
    assert minutes == sorted(minutes)
    assert all(m <= 10 for m in minutes)

    # Known answer: every activity at a place within 10 minutes' walk, by straight-line
    # distance times the detour factor at walking speed (the rule the app states).
    origin = gpd.GeoSeries.from_xy(
        [float(row["lon"])], [float(row["lat"])], crs="EPSG:4326"
    ).to_crs(WORK_CRS)[0]
    assets = demo["assets"].to_crs(WORK_CRS)
    walk_m = assets.distance(origin) * settings.DETOUR.default
    max_m = 10 * settings.SPEED_KMH.default * 1000 / 60
    within = set(assets.loc[walk_m <= max_m, "id"])
    expected = demo["activities"][demo["activities"]["asset_id"].isin(within)]
    assert len(activities) == len(expected) > 0
    assert sorted(activities["Activiteit"]) == sorted(expected["title"])

    # The postcode is used, not kept: it is nowhere in the database.
    path = Path(db.removeprefix("sqlite:///"))
    for file in path.parent.glob(path.name + "*"):
        assert str(row["postcode"]).encode() not in file.read_bytes()


def test_buurt_choice_and_walking_time_change_the_list(db):
    at = _open("app_pages/near_me.py")
    at.selectbox(key="near_buurt").select("BU99990101").run()
    assert not at.exception, at.exception
    counts = {}
    for minutes in (5, 15):
        at.radio(key="near_walk_min@nl").set_value(minutes).run()
        assert not at.exception, at.exception
        tables = [d.value for d in at.table if "Activiteit" in d.value.columns]
        counts[minutes] = len(tables[0]) if tables else 0  # no empty table is drawn
    assert counts[5] <= counts[15]
    assert counts[15] > 0


def test_nothing_within_the_walk_names_the_nearest_place(db, demo):
    from asset_map.analysis.nearby import nearby

    # A demo postcode with no place within 5 minutes (found, not assumed).
    empty = [
        r
        for r in demo["postcodes"].itertuples()
        if nearby((r.lon, r.lat), demo["assets"], demo["activities"], walk_min=5).places.empty
    ]
    assert empty, "the demo has no postcode without a place within 5 minutes"
    row = empty[0]
    wider = nearby((row.lon, row.lat), demo["assets"], demo["activities"], walk_min=60)
    name, minutes = wider.places.iloc[0]["name"], int(wider.places.iloc[0]["walk_min"])
    at = _open("app_pages/near_me.py")
    at.radio(key="near_walk_min@nl").set_value(5).run()
    at.text_input(key="near_postcode").input(str(row.postcode))
    _button(at, "Zoek wat er in de buurt is").click().run()
    assert not at.exception, at.exception
    texts = [i.value for i in at.info]
    assert any("geen ontmoetingsplek" in t for t in texts)
    assert f"De dichtstbijzijnde plek is {name}. Dat is ongeveer {minutes} minuten lopen." in texts
    assert minutes > 5
    assert not [d for d in at.table if "Activiteit" in d.value.columns]


def test_bad_postcode_says_what_a_postcode_looks_like(db):
    at = _open("app_pages/near_me.py")
    at.text_input(key="near_postcode").input("12345")
    _button(at, "Zoek wat er in de buurt is").click().run()
    assert any("4 cijfers en 2 letters" in e.value for e in at.error)
    assert not at.table


def test_unknown_postcode_asks_for_the_house_number_then_looks_it_up(db, demo, monkeypatch):
    import asset_map.io.postcode as postcode
    from asset_map.io.postcode import Address, PostcodeError

    asked: list[tuple[str, str]] = []
    oude_kern = demo["areas"].set_index("code").loc["BU99990101"].geometry.representative_point()

    def offline(postcode: str, number: str) -> Address:
        asked.append((postcode, number))
        raise PostcodeError("The address service cannot be reached (test).")

    monkeypatch.setattr(postcode, "lookup", offline)
    at = _open("app_pages/near_me.py")
    at.text_input(key="near_postcode").input("7411 AB")  # real format, not in the demo table
    _button(at, "Zoek wat er in de buurt is").click().run()
    assert any("Vul ook uw huisnummer in" in e.value for e in at.error)
    assert asked == []  # no house number: nothing is sent anywhere
    at.text_input(key="near_number").input("12")
    _button(at, "Zoek wat er in de buurt is").click().run()
    assert asked == [("7411AB", "12")]
    assert any("geen internet" in e.value and "kies" in e.value.lower() for e in at.error)
    assert not at.table

    def online(postcode: str, number: str) -> Address:
        return Address("Straat 12, Lindeveen", oude_kern.x, oude_kern.y, "BU99990101", "GM9999")

    monkeypatch.setattr(postcode, "lookup", online)
    _button(at, "Zoek wat er in de buurt is").click().run()
    assert not at.exception, at.exception
    assert any("postcode 7411 AB" in h.value for h in at.subheader)
    assert any("Activiteit" in t.value.columns for t in at.table)
    assert "Straat 12" not in _all_text(at)  # the address is not shown, nor kept


def test_public_pages_show_no_talent_data(db, demo):
    buurt = "BU99990101"
    _approve(db, nickname=SECRET_NICK, categories=("koken",), buurt=buurt, contact=SECRET_CONTACT)
    at = _open("app_pages/near_me.py")
    at.selectbox(key="near_buurt").select(buurt).run()
    at.radio(key="near_walk_min@nl").set_value(15).run()
    pages = {"near_me": _all_text(at)}
    at = _open("app_pages/activities.py")
    pages["activities"] = _all_text(at)
    for name, text in pages.items():
        assert SECRET_NICK not in text and SECRET_CONTACT not in text, name
        assert "dinsdagmiddag" not in text, name  # nor the talent's availability


# --- Wat is er te doen?: the week ------------------------------------------------------------


def test_week_view_filters_by_buurt_and_day(db, demo):
    activities, assets = demo["activities"], demo["assets"]
    at = _open("app_pages/activities.py")
    everything = len([c for c in at.markdown if "📍" in c.value])
    assert everything == len(activities)  # every weekly activity once in seven days
    buurt = assets.set_index("id").loc[activities["asset_id"], "buurt_code"].value_counts().index[0]
    at.multiselect(key="week_buurten").set_value([buurt]).run()
    at.multiselect(key="week_days@nl").set_value([2]).run()
    assert not at.exception, at.exception
    in_buurt = set(assets.loc[assets["buurt_code"] == buurt, "id"])
    expected = activities[activities["asset_id"].isin(in_buurt) & (activities["weekday"] == "2")]
    shown = [c.value for c in at.markdown if "📍" in c.value]
    assert len(shown) == len(expected)
    headers = [h.value for h in at.subheader]
    if len(expected):
        assert headers and all("dinsdag" in h.lower() for h in headers)
    else:
        assert any("geen activiteiten" in i.value for i in at.info)
    at.toggle(key="week_map_on").set_value(True).run()  # the activity layer on a map
    assert not at.exception, at.exception


def test_near_me_in_english(db):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.selectbox(key="lang").select("en").run()
    _open("app_pages/near_me.py", at)
    at.selectbox(key="near_buurt").select("BU99990101").run()
    assert not at.exception, at.exception
    assert any("minutes' walk from the middle of Oude Kern" in h.value for h in at.subheader)
    table = next(d.value for d in at.table if "Activity" in d.value.columns)
    assert table["Walk"].str.endswith("minutes").all()


def test_staff_add_change_and_delete_an_activity(db, demo):
    at = _open("app_pages/explore.py")
    _login(at, *MANAGER)
    _open("app_pages/activities.py", at)
    place_id = demo["needs"]["asset_id"].iloc[0]
    at.selectbox(key="week_edit_place").select(place_id).run()
    suffix = f"{place_id}_new"
    # An empty title is refused with a message under the field.
    _button(at, "Activiteit opslaan").click().run()
    assert not at.exception, at.exception
    assert any("niet opgeslagen" in e.value for e in at.error)
    store = Store(db)
    before = len(store.activities())
    at.text_input(key=f"wf_t_{suffix}").input("Soep <b>& zo</b>")
    at.text_input(key=f"wf_o_{suffix}").input("Buurtwerk")
    at.selectbox(key=f"wf_d_{suffix}@nl").select(3)
    _button(at, "Activiteit opslaan").click().run()
    assert not at.exception, at.exception
    assert any("opgeslagen" in s.value for s in at.success)
    after = store.activities()
    assert len(after) == before + 1
    added = after[after["title"] == "Soep <b>& zo</b>"].iloc[0]
    assert added["asset_id"] == place_id and int(added["weekday"]) == 3
    # Shown as text in the week (escaped, not parsed as HTML).
    week = [c.value for c in at.markdown if "Soep" in c.value]
    assert week and "<b>" not in week[0] and "&lt;b&gt;" in week[0]

    # Change it: the form opens with its values; the title changes, the rest stays.
    activity_id = str(added["id"])
    at.selectbox(key=f"week_edit_which_{place_id}@nl").select(activity_id).run()
    suffix = f"{place_id}_{activity_id}"
    assert at.text_input(key=f"wf_o_{suffix}").value == "Buurtwerk"
    at.text_input(key=f"wf_t_{suffix}").input("Soepmiddag")
    _button(at, "Activiteit opslaan").click().run()
    assert not at.exception, at.exception
    changed = store.activities().set_index("id").loc[activity_id]
    assert changed["title"] == "Soepmiddag" and changed["organiser"] == "Buurtwerk"
    assert len(store.activities()) == before + 1

    # Delete it: only after ticking the box.
    at.selectbox(key=f"week_edit_which_{place_id}@nl").select(activity_id).run()
    at.checkbox(key=f"week_del_ok_{activity_id}").check().run()
    _button(at, "Verwijder").click().run()
    assert not at.exception, at.exception
    assert any("verwijderd" in s.value for s in at.success)
    assert activity_id not in set(store.activities()["id"])
    assert len(store.audit(entity="activity", entity_id=activity_id)) == 3
    store.close()


def test_planner_may_not_connect_but_may_edit_activities(db):
    store = Store(db)
    store.add_user("petra", "planner-wachtwoord-1", "planner", actor="test")
    store.close()
    at = _open("app_pages/explore.py")
    _login(at, "petra", "planner-wachtwoord-1")
    _open("app_pages/connect.py", at)
    assert any("mag deze pagina niet zien" in e.value for e in at.error)
    _open("app_pages/activities.py", at)
    assert [s for s in at.selectbox if s.key == "week_edit_place"]


def test_week_view_has_no_editor_for_residents(db):
    at = _open("app_pages/activities.py")
    assert not [s for s in at.selectbox if s.key == "week_edit_place"]
