"""The Kaart's view lives in its address: a link reopens it elsewhere, ``?embed=1`` embeds it."""

from __future__ import annotations

import pytest
from browser_support import MAP_FRAME

pytestmark = pytest.mark.browser

LINK = "/?wijk=WK999901&type=wijkhuiskamer&kleur=inhabitants&talenten=0"
#: The Leaflet map of the page's map frame: folium names it ``map_<id>``.
_MAP = "Object.values(window).find((v) => v && v instanceof L.Map)"
VIEW = f"() => {{ const m = {_MAP}; const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }}"


def _map_frame(page):
    """Return the frame of the page's map once Leaflet has made its map."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    page.wait_for_function(
        "new URL(location.href).searchParams.has('zoom')", timeout=60_000
    )  # the map has written its view into the address
    frame = next(f for f in page.frames if "st_folium" in f.url)
    frame.wait_for_function(f"() => Boolean({_MAP})", timeout=30_000)
    return frame


def _sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


@pytest.mark.parametrize("size", [(1400, 1000), (390, 844)])
def test_a_kaart_link_reopens_the_same_view_in_a_new_page(browser, app_url, size):
    width, height = size
    first = browser.new_context(viewport={"width": width, "height": height})
    page = first.new_page()
    page.goto(app_url + LINK)
    frame = _map_frame(page)
    # The user zooms in on one spot; the address follows without a rerun.
    frame.evaluate(f"() => {_MAP}.setView([52.4950, 5.6200], 16)")
    page.wait_for_function("new URL(location.href).searchParams.get('zoom') === '16'")
    shared = page.url
    for part in ("wijk=WK999901", "type=wijkhuiskamer", "kleur=inhabitants", "talenten=0"):
        assert part in shared
    first.close()

    second = browser.new_context(viewport={"width": width, "height": height})
    other = second.new_page()  # another browser session: nothing but the link
    other.goto(shared)
    reopened = _map_frame(other)
    lat, lon, zoom = reopened.evaluate(VIEW)
    assert zoom == 16
    assert abs(lat - 52.4950) < 1e-4 and abs(lon - 5.6200) < 1e-4
    assert "Inwoners" in reopened.locator("body").inner_text()  # coloured by inhabitants
    if width > 600:  # on a phone the side panel starts folded away
        shown = _sidebar(other)
        assert "Centrum" in shown and "Wijkhuiskamer" in shown and "Buurthuis" not in shown
    assert "talenten=0" in other.url and "zoom=16" in other.url
    second.close()


@pytest.mark.parametrize("size", [(1400, 1000), (390, 844)])
def test_embed_shows_the_map_and_legend_only(browser, app_url, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(app_url + LINK + "&embed=1")
    frame = _map_frame(page)
    assert frame.locator(".leaflet-control").count() > 0
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Inloggen" not in main and "Wat wilt u zien" not in main
    assert page.get_by_role("link", name="Open de hele kaart").count() == 1
    context.close()


def test_the_share_box_gives_a_link_and_an_iframe_of_the_current_view(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(app_url + LINK)
    frame = _map_frame(page)
    frame.evaluate(f"() => {_MAP}.setView([52.4950, 5.6200], 15)")
    page.wait_for_function("new URL(location.href).searchParams.get('zoom') === '15'")
    page.get_by_text("Deel deze kaart of zet hem op uw website").click()
    snippet = page.locator("textarea.am-share-embed")
    snippet.focus()  # filled from the address at this moment
    code = snippet.input_value()
    assert code.startswith("<iframe src=") and "embed=1" in code and "zoom=15" in code
    assert "wijk=WK999901" in code
    link = page.locator("input.am-share-link").input_value()
    assert "embed" not in link and "zoom=15" in link
    context.close()


def _switch_in(frame, label: str, *, on: bool) -> None:
    frame.locator(".leaflet-control-layers").hover()  # the layers button opens on hover
    box = frame.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input")
    box.check() if on else box.uncheck()


def _layers_off(page) -> list[str]:
    return page.evaluate("new URL(location.href).searchParams.getAll('uit')")


def test_layers_switched_off_live_in_the_link_and_reopen_switched_off(browser, app_url):
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = first.new_page()
    page.goto(app_url + "/?wijk=WK999901")
    frame = _map_frame(page)
    assert _layers_off(page) == []  # everything is on: the link says nothing
    _switch_in(frame, "Buurthuis", on=False)
    _switch_in(frame, "Wekelijkse activiteiten", on=False)
    page.wait_for_function("new URL(location.href).searchParams.getAll('uit').length === 2")
    assert sorted(_layers_off(page)) == ["activiteiten", "buurthuis"]
    shared = page.url
    first.close()

    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = second.new_page()  # another browser session: nothing but the link
    other.goto(shared)
    reopened = _map_frame(other)
    reopened.locator(".leaflet-control-layers").hover()
    overlays = reopened.locator(".leaflet-control-layers-overlays label")
    assert not overlays.filter(has_text="Buurthuis").locator("input").is_checked()
    assert not overlays.filter(has_text="Wekelijkse activiteiten").locator("input").is_checked()
    assert overlays.filter(has_text="Wijkhuiskamer").locator("input").is_checked()
    assert reopened.locator(".am-pin.am-has-act").count() == 0  # no rings
    assert sorted(_layers_off(other)) == ["activiteiten", "buurthuis"]
    second.close()
