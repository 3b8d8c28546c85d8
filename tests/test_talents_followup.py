"""Follow-up of issue 4: erased talents keep counting anonymously; 'already erased' answer."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from storage_helpers import Clock

from asset_map.analysis.summary import talents_per_buurt
from asset_map.cli import main
from asset_map.i18n import explain
from asset_map.rules.auth import MAX_FAILURES, LockedOut, LoginFailed
from asset_map.storage import Store
from asset_map.storage.db import DatabaseUnreachable
from asset_map.storage.talents import TalentSubmission

pytest_plugins = ["storage_fixtures"]


def _sub(nickname: str, buurt: str = "BU01500401") -> TalentSubmission:
    return TalentSubmission(
        nickname=nickname,
        categories=("koken",),
        description="Ik kook graag",
        wishes=("teach",),
        availability="zaterdag",
        buurt_code=buurt,
        contact="a@example.org",
    )


def _count(store: Store, buurt: str = "BU01500401") -> Any:
    public = store.public_talents()
    if public.empty:
        return 0
    return int(talents_per_buurt(public).loc[buurt, "koken"])


def test_erased_approved_talents_keep_counting_but_pending_and_rejected_never(
    store: Store, clock: Clock
) -> None:
    approved = [store.submit_talent(_sub(f"A{i}")) for i in range(4)]
    pending = store.submit_talent(_sub("P"))
    rejected = store.submit_talent(_sub("R"))
    for receipt in approved:
        store.decide(receipt.id, status="approved", actor="wm")
    store.decide(rejected.id, status="rejected", actor="wm")
    assert _count(store) == 4

    assert store.withdraw(approved[0].withdrawal_code)  # by the resident
    assert store.erase_talent(approved[1].id, actor="wm")  # by a moderator
    assert store.withdraw(pending.withdrawal_code)  # pending: never counted
    assert store.erase_talent(rejected.id, actor="wm")  # rejected: never counted
    assert _count(store) == 4
    clock.advance(days=1)
    assert store.purge_personal_data(older_than_days=0, actor="admin") == 2  # the rest
    assert _count(store) == 4
    assert len(store.public_talents()) == 4
    assert store.talents(status="withdrawn")["nickname"].isna().all()
    assert len(store.talents(status="withdrawn")) == 6


def test_a_resident_whose_data_are_gone_hears_so(store: Store) -> None:
    receipt = store.submit_talent(_sub("Henk"))
    assert not store.already_erased(receipt.withdrawal_code)
    assert store.erase_talent(receipt.id, actor="wm")
    assert store.withdraw(receipt.withdrawal_code) is False
    assert store.already_erased(receipt.withdrawal_code)
    assert not store.already_erased("AAAA-BBBB-CCCC")
    assert not store.already_erased("no code")


# --- command line: a missing or unreachable database, a wrong setting, no terminal ---------


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


@pytest.mark.parametrize("value", ["6m", "0"])
def test_purge_refuses_a_wrong_retention_setting(tmp_path, monkeypatch, capsys, value) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url).close()
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", value)
    assert main(["purge", "--database", url]) == 2
    assert f"ASSET_MAP_RETENTION_MONTHS='{value}'" in capsys.readouterr().err


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


# --- lockout under parallel guesses ---------------------------------------------------------


def test_parallel_guesses_cannot_pass_the_lockout(store: Store) -> None:
    store.add_user("wim", "geheim-wachtwoord-1", "wijkmanager", actor="test")
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        barrier.wait()
        try:
            store.authenticate("wim", f"fout-{i}")
        except LockedOut:
            outcomes.append("locked")
        except LoginFailed:
            outcomes.append("failed")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Only MAX_FAILURES passwords were checked; the fifth locked, the rest met the lock.
    assert outcomes.count("failed") == MAX_FAILURES - 1
    assert outcomes.count("locked") == 12 - (MAX_FAILURES - 1)
    log = store.audit(entity="user", entity_id="wim")
    assert (log["action"] == "login_failed").sum() == MAX_FAILURES
    with pytest.raises(LockedOut):  # even the right password waits for the lock to end
        store.authenticate("wim", "geheim-wachtwoord-1")
