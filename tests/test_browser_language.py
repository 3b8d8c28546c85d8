"""Real browser: switching the language keeps the choices of the 'Kansen' form.

The browser keeps a select box's or multiselect's choice as its label. Before each widget had
a key per language (``state.choice_key``), a switch to English emptied the multiselects, left
the radio without a choice and kept the Dutch label in the select box (streamlit#11268).
"""

from __future__ import annotations

import pytest
from browser_support import choose
from playwright.sync_api import expect

from asset_map.i18n import t

pytestmark = pytest.mark.browser


def _widget(page, testid: str, label: str):
    return page.locator(f'[data-testid="{testid}"]').filter(has_text=label)


def _idle(page) -> None:
    """Wait until the app has finished its run."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stStatusWidgetRunningIcon"]')).to_have_count(
        0, timeout=60_000
    )


def test_kansen_choices_survive_a_switch_to_english(offline_page, app_url, tmp_path):
    page = offline_page
    page.goto(f"{app_url}/kansen")
    candidates = _widget(page, "stMultiSelect", t("gaps.candidates", "nl"))
    candidates.wait_for(timeout=60_000)
    expect(candidates.locator("[data-tag]")).to_have_count(2)
    _idle(page)
    # One choice that is not the default, sent with the form.
    choose(page, t("gaps.need", "nl"), t("gaps.need.65plus", "nl"))
    page.get_by_role("button", name=t("gaps.run", "nl")).click()
    _idle(page)

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="English", exact=True).click()

    candidates = _widget(page, "stMultiSelect", t("gaps.candidates", "en"))
    candidates.wait_for(timeout=60_000)
    tags = candidates.locator("[data-tag]")
    expect(tags).to_have_count(2)
    expect(tags.nth(0)).to_contain_text(t("gaps.candidates.planned", "en"))
    expect(tags.nth(1)).to_contain_text(t("gaps.candidates.hosts", "en"))
    fast = page.get_by_role("radio", name=t("gaps.solver.greedy", "en"))
    expect(fast).to_be_checked()
    need = page.get_by_role("combobox", name=t("gaps.need", "en"))
    expect(need).to_have_value(t("gaps.need.65plus", "en"))
    _idle(page)
    expect(page.get_by_text(t("gaps.no_candidate_kind", "en"))).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    page.screenshot(path=str(tmp_path / "kansen_en.png"), full_page=True)
    assert not [e for e in page.errors if "tile" not in e], page.errors
