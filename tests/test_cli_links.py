"""``asset-map links``: staff make, list and withdraw an organiser's link from the command line."""

from __future__ import annotations

import pytest

from asset_map.cli import main
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import LinkRefused, Store

PLACE = "demo-0138"


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'links.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    with Store(url) as store:
        store.save_workspace(demo.areas, demo.assets, meta=demo.meta, actor="import")
    return url


def test_a_link_made_listed_and_withdrawn_from_the_command_line(url, capsys):
    assert main(["links", "create", PLACE, "--days", "30", "--actor", "wim", "--label",
                 "Stichting De Boog", "--base-url", "https://kaart.example.nl/",
                 "--database", url, "--lang", "en"]) == 0  # fmt: skip
    said, shown = capsys.readouterr().out.strip().splitlines()
    assert "it works for 30 days" in said
    assert shown.startswith("https://kaart.example.nl/organisator?sleutel=")
    token = shown.split("sleutel=")[1]
    with Store(url) as store:
        assert store.organiser_confirm(token) == PLACE
        link_id = store.organiser_place(token).id

    assert main(["links", "list", "--place", PLACE, "--database", url]) == 0
    [row] = capsys.readouterr().out.strip().splitlines()
    assert row.split("\t")[:3] == [link_id, PLACE, "Stichting De Boog"]
    assert "werkt (tot " in row and "1 keer gebruikt" in row
    assert token not in row

    assert main(["links", "revoke", link_id, "--actor", "wim", "--database", url]) == 0
    assert f"Link {link_id} is ingetrokken" in capsys.readouterr().out
    with Store(url) as store, pytest.raises(LinkRefused) as refused:
        store.organiser_confirm(token)
    assert refused.value.reason == "revoked"
    assert main(["links", "list", "--database", url]) == 0
    assert "ingetrokken (tot " in capsys.readouterr().out


def test_a_link_for_an_unknown_place_or_too_long_is_refused(url, capsys):
    assert main(["links", "create", "nope", "--actor", "wim", "--database", url]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["links", "create", PLACE, "--days", "900", "--actor", "wim",
                 "--database", url]) == 2  # fmt: skip
    assert "1 tot 730 dagen" in capsys.readouterr().err  # the CLI speaks Dutch by default
    assert main(["links", "revoke", "no-such-link", "--actor", "wim", "--database", url]) == 2
    assert main(["links", "list", "--database", url]) == 0
    assert "nog geen link" in capsys.readouterr().out
