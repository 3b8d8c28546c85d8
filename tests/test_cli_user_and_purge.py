"""The staff commands ``asset-map user`` and ``asset-map purge``: what they print, audit and refuse.

Purge erases the personal data of talents older than the retention setting
(``ASSET_MAP_RETENTION_MONTHS``) unless ``--older-than-days`` says otherwise. Both commands
refuse a database that is missing or unreachable, and a wrong setting, with a message instead
of a traceback.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, update
from storage_helpers import HENK, suggestion

from asset_map.cli import main
from asset_map.i18n import explain
from asset_map.model import PERSONAL_TALENT_FIELDS, TALENT_FIELDS
from asset_map.rules.auth import LoginDelayed, LoginFailed
from asset_map.storage import Store
from asset_map.storage.db import DatabaseUnreachable
from asset_map.storage.schema import talents


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    """A SQLite database of this test's own; no retention setting from the environment."""
    monkeypatch.delenv("ASSET_MAP_RETENTION_MONTHS", raising=False)
    return f"sqlite:///{tmp_path / 'staff.sqlite'}"


# --- purge: the retention setting, the erased fields ---------------------------------------------


def _backdate(url: str, talent_id: str, days: int) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        when = datetime.now(UTC) - timedelta(days=days)
        conn.execute(update(talents).where(talents.c.id == talent_id).values(created_at=when))
    engine.dispose()


def test_purge_defaults_to_the_retention_setting(url, monkeypatch, capsys):
    with Store(url) as store:
        old = store.submit_talent(HENK).id
        middle = store.submit_talent(HENK).id
        new = store.submit_talent(HENK).id
    _backdate(url, old, 400)
    _backdate(url, middle, 200)
    _backdate(url, new, 10)
    # An explicit --older-than-days wins over the setting.
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", "1")
    purge = ["purge", "--lang", "en", "--database", url]
    assert main([*purge, "--older-than-days", "500"]) == 0
    assert "of 0 submissions older than 500 days" in capsys.readouterr().out
    monkeypatch.delenv("ASSET_MAP_RETENTION_MONTHS")
    assert main(purge) == 0  # 12 months
    assert "of 1 submissions" in capsys.readouterr().out
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", "6")
    assert main(purge) == 0
    assert "of 1 submissions" in capsys.readouterr().out
    with Store(url) as store:
        frame = store.talents().set_index("id")
        log = store.audit(entity_id=old)
    assert frame.loc[[old, middle], "status"].tolist() == ["withdrawn", "withdrawn"]
    assert frame.loc[new, "nickname"] == "Henk"
    # Exactly the fields the privacy text names are blanked; the rest stays.
    for name in TALENT_FIELDS:
        erased = frame.loc[old, name] != frame.loc[old, name]  # NaN: blank
        assert erased == (name in PERSONAL_TALENT_FIELDS), name
    assert log["actor"].tolist()[-1] == "asset-map purge"


def test_purge_erases_the_contact_left_with_an_old_suggested_place(url, capsys):
    NEW = suggestion()
    with Store(url, clock=lambda: datetime.now(UTC) - timedelta(days=400)) as store:
        old = store.submit_suggestion(NEW).id
    with Store(url) as store:
        new = store.submit_suggestion(NEW).id
    assert main(["purge", "--lang", "en", "--database", url]) == 0
    assert "erased the contact of 1 suggested places older than" in capsys.readouterr().out
    with Store(url) as store:
        assert store.suggestion(old)["contact"] is None
        assert store.suggestion(new)["contact"] == NEW.contact
        assert (
            store.audit(entity="suggestion", entity_id=old)["actor"].iloc[-1] == "asset-map purge"
        )


def test_purge_help_names_the_setting(capsys):
    with pytest.raises(SystemExit):
        main(["purge", "--help"])
    assert "ASSET_MAP_RETENTION_MONTHS" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("value", ["6m", "0"])
def test_purge_refuses_a_wrong_retention_setting(tmp_path, monkeypatch, capsys, value) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url).close()
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", value)
    assert main(["purge", "--database", url]) == 2
    assert f"ASSET_MAP_RETENTION_MONTHS='{value}'" in capsys.readouterr().err


# --- user: add, unlock, set-password, remove -----------------------------------------------------


def _user(url: str, *args: str, password: str | None = None, monkeypatch=None) -> int:
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["user", *args, "--lang", "en", "--database", url])


def test_user_commands_print_what_is_stored_and_are_audited(url, monkeypatch, capsys):
    assert (
        _user(
            url,
            "add",
            "--username",
            "Wim",
            "--role",
            "wijkmanager",
            "--password-stdin",
            password="lang-genoeg-wachtwoord",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert "added wijkmanager 'wim'" in capsys.readouterr().err
    with Store(url) as store:
        for _ in range(5):
            with pytest.raises((LoginFailed, LoginDelayed)):
                store.authenticate("wim", "verkeerd-wachtwoord")
        with pytest.raises(LoginDelayed):
            store.authenticate("wim", "lang-genoeg-wachtwoord")
    assert _user(url, "unlock", "WIM") == 0
    assert "unlocked 'wim'" in capsys.readouterr().err
    with Store(url) as store:
        assert store.authenticate("wim", "lang-genoeg-wachtwoord").username == "wim"
    assert (
        _user(
            url,
            "set-password",
            "wim",
            "--password-stdin",
            password="een-nieuw-wachtwoord",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    with Store(url) as store:
        assert store.authenticate("wim", "een-nieuw-wachtwoord").role == "wijkmanager"
    assert _user(url, "remove", "Wim") == 0
    assert "removed 'wim'" in capsys.readouterr().err
    with Store(url) as store:
        assert store.users().empty
        log = store.audit(entity="user", entity_id="wim")
    done = log[log["action"].isin(["user_unlocked", "password_set", "user_removed"])]
    assert list(zip(done["action"], done["actor"], strict=True)) == [
        ("user_unlocked", "asset-map user unlock"),
        ("password_set", "asset-map user set-password"),
        ("user_removed", "asset-map user remove"),
    ]


@pytest.mark.parametrize("action", ["remove", "unlock"])
def test_user_commands_refuse_an_unknown_name(url, capsys, action):
    Store(url).close()  # the database exists; only the name is unknown
    assert _user(url, action, "niemand") == 2
    assert "No user named 'niemand'" in capsys.readouterr().err


def test_set_password_refuses_a_weak_one(url, monkeypatch, capsys):
    _user(
        url,
        "add",
        "--username",
        "wim",
        "--role",
        "admin",
        "--password-stdin",
        password="lang-genoeg-wachtwoord",
        monkeypatch=monkeypatch,
    )
    code = _user(
        url, "set-password", "wim", "--password-stdin", password="kort", monkeypatch=monkeypatch
    )
    assert code == 2 and "too short" in capsys.readouterr().err


def test_user_add_without_a_terminal_says_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    def no_terminal(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert (
        main(["user", "add", "--username", "wim", "--role", "wijkmanager", "--database", url]) == 2
    )
    err = capsys.readouterr().err
    assert "--password-stdin" in err and "Traceback" not in err


# --- a missing or unreachable database -----------------------------------------------------------


def test_purge_and_user_refuse_a_missing_sqlite_file(tmp_path, capsys) -> None:
    path = tmp_path / "nowhere" / "x.sqlite"
    for argv in (["purge"], ["user", "list"], ["user", "unlock", "wim"]):
        assert main([*argv, "--lang", "en", "--database", f"sqlite:///{path}"]) == 2
        assert "does not exist" in capsys.readouterr().err
    assert not path.parent.exists()  # nothing was created


def test_an_unreachable_server_is_explained(capsys) -> None:
    url = "postgresql+psycopg://u:geheim@127.0.0.1:1/x"
    assert main(["user", "list", "--lang", "en", "--database", url]) == 2
    err = capsys.readouterr().err
    assert "Cannot reach the database" in err and "127.0.0.1:1" in err
    assert "geheim" not in err and "Traceback" not in err
    with pytest.raises(DatabaseUnreachable) as caught:
        Store(url)
    assert "ASSET_MAP_DATABASE_URL" in explain(caught.value, "nl")
    assert "niet bereikbaar" in explain(caught.value, "nl")
