"""Real-browser test support: a `streamlit run` server and Debian's chromium via Playwright.

``conftest.py`` loads this plugin; test modules import its helpers. The ``app_url`` and
``browser`` fixtures are module-scoped: every test module gets its own server and database
(with the wijkmanager account ``MANAGER``), so modules do not see each other's changes.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MANAGER = ("wim", "geheim-wachtwoord-1")
PLANNER = ("petra", "planner-wachtwoord-1")


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser tests: .ci/run installs it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(folder: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port with a database of its own in ``folder``.

    The database holds ``MANAGER`` and ``PLANNER``; ``env`` adds to the environment (a
    temporary folder of its own, a setting). Yields the URL; stops the server afterwards.
    """
    port = _free_port()
    database = f"sqlite:///{folder / 'browser.sqlite'}"
    from asset_map.storage import Store

    store = Store(database)
    store.add_user(*MANAGER, "wijkmanager", actor="test")
    store.add_user(*PLANNER, "planner", actor="test")
    store.close()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "ASSET_MAP_DATABASE_URL": database,
        **(env or {}),
    }
    log_path = folder / "streamlit.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        proc.wait()
        log.close()
        raise RuntimeError(f"streamlit did not start:\n{log_path.read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    yield from start_app(tmp_path_factory.mktemp("streamlit"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def offline_page(browser, app_url):
    """A page that may reach only 127.0.0.1; ``page.outside`` lists what it tried."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if host in {"127.0.0.1", "localhost"} or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.outside = outside  # type: ignore[attr-defined]
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def map_frame(page):
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
    return frame


def idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app has finished its run and shows no element left from the last one.

    While Streamlit reruns a script, the elements of the previous run stay on the page
    (``data-stale="true"``) beside the new ones, so a locator may find two copies of a
    button or a message. Click and read only once the run is over.
    """
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        polling=100,
        timeout=timeout_ms,
    )


def click_button(page, name: str) -> None:
    """Click the button named ``name`` once the app is idle (one copy of it, not a stale one)."""
    idle(page)
    page.get_by_role("button", name=name).click()


def upload(page, label: str, path: Path) -> None:
    """Put a file into the uploader with this label, once the page shows that uploader."""
    idle(page)
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=label)
    uploader.wait_for(timeout=30_000)
    uploader.locator('input[type="file"]').set_input_files(str(path))


def choose(page, label: str, option: str, *, exact: bool = True) -> None:
    """Pick an option of a select box by typing it, as a keyboard user (or phone) would."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=exact).first.wait_for()
    box.press("Enter")
    box.press("Tab")  # leave the box (Escape would clear a single choice)


def log_in(page, app_url: str, account: tuple[str, str] = MANAGER) -> None:
    """Log in through the log-in page and wait until the app says so."""
    page.goto(f"{app_url}/inloggen")
    page.get_by_role("textbox", name="Gebruikersnaam").fill(account[0])
    page.get_by_role("textbox", name="Wachtwoord").fill(account[1])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text(f"U bent ingelogd als {account[0]}").wait_for(timeout=30_000)


#: The places a map shows per type: the counts in the cluster icons (``data-types``, e.g.
#: "park:3 winkel:1") plus the single markers (``data-layer``). At the first view the map
#: fits all places, so these are all the places of every type switched on.
_SHOWN_PER_TYPE = """(body) => {
    const shown = {};
    const add = (key, n) => { shown[key] = (shown[key] || 0) + n; };
    body.querySelectorAll('.am-cluster [data-types]').forEach((cluster) => {
        cluster.dataset.types.split(' ').forEach((pair) => {
            const [key, n] = pair.split(':');
            add(key, Number(n));
        });
    });
    body.querySelectorAll('.am-pin [data-layer]').forEach((pin) => add(pin.dataset.layer, 1));
    return shown;
}"""


def shown_per_type(frame) -> dict[str, int]:
    """Return the number of places the map in ``frame`` (a page or frame locator) shows per type."""
    return frame.locator("body").evaluate(_SHOWN_PER_TYPE)


def type_shown(frame, key: str):
    """Return a locator of the clusters and markers that hold a place of type ``key``."""
    return frame.locator(f'.am-cluster [data-types*="{key}:"], .am-pin [data-layer="{key}"]')
