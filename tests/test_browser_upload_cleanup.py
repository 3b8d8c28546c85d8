"""Real browser: an uploaded file is kept in a private folder of its session, and the folder is
gone once the session ends; folders left over from a server that stopped hard are swept when
the next one starts.

The server gets a temporary folder of its own (``TMPDIR``), so the test sees exactly its
upload folders.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import log_in, start_app, upload

from asset_map.services.uploads import UPLOAD_PREFIX

pytestmark = pytest.mark.browser

HOUR = 3600


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path, dict[str, Path]]]:
    folder = tmp_path_factory.mktemp("uploads")
    tmp = folder / "tmp"
    tmp.mkdir()
    # What a server killed two hours ago left, and a folder in use by another server now.
    left = tmp / f"{UPLOAD_PREFIX}killed"
    (left / "upload_1").mkdir(parents=True)
    (left / "upload_1" / "buurten.geojson").write_text("{}")
    two_hours_ago = time.time() - 2 * HOUR
    for path in (left / "upload_1" / "buurten.geojson", left / "upload_1", left):
        os.utime(path, (two_hours_ago, two_hours_ago))
    busy = tmp / f"{UPLOAD_PREFIX}busy"
    busy.mkdir()
    for url in start_app(folder, {"TMPDIR": str(tmp)}):
        yield url, tmp, {"left": left, "busy": busy}


def _upload_folders(tmp: Path) -> set[Path]:
    return {p for p in tmp.glob(f"{UPLOAD_PREFIX}*") if p.name not in ("busy",)}


def _wait_until(condition, timeout_s: float = 60.0) -> None:
    """Wait for a state of the file system (polled), never a fixed time."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the state did not come in time")
        time.sleep(0.2)


def test_folders_left_by_a_stopped_server_are_swept_at_start(browser, server):
    url, _tmp, made = server
    context = browser.new_context()
    context.new_page().goto(url)  # the first run of the app sweeps
    _wait_until(lambda: not made["left"].exists())
    assert made["busy"].is_dir()  # younger than an hour: someone may be using it
    context.close()


def test_an_upload_is_removed_when_its_session_ends(browser, server, tmp_path):
    url, tmp, _made = server
    areas = tmp_path / "eigen_buurten.geojson"
    from asset_map.services.workspace import DEMO_DIR, load_workspace

    load_workspace(DEMO_DIR).areas.to_file(areas)
    before = _upload_folders(tmp)
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    log_in(page, url)
    page.get_by_role("link", name="Gegevens").click()
    page.get_by_text("Een eigen bestand toevoegen").wait_for(timeout=30_000)
    page.get_by_text("Wijken en buurten", exact=True).click()
    upload(page, "Bestand met wijken en buurten", areas)
    page.get_by_text("Voorbeeld: 25 rijen worden geladen").wait_for(timeout=60_000)
    (session,) = _upload_folders(tmp) - before
    assert session.stat().st_mode & 0o777 == 0o700  # only the server's user may read it
    kept = list(session.rglob("eigen_buurten.geojson"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    context.close()  # the user closes the tab: the session ends
    _wait_until(lambda: not session.exists())
    assert _upload_folders(tmp) <= before
