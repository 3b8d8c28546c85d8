"""Erasure is real: after a withdrawal the values are gone from the SQLite files' bytes.

A row set to NULL can still hold its old bytes in free space of a page, in the write-ahead
log, or in freed pages. The store runs SQLite with ``secure_delete`` and empties the log
after an erasure; these tests read the files byte by byte to check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine
from storage_helpers import Clock, submission

from asset_map.storage import Store

SECRETS = {
    "nickname": "Zwaantje Qx7",
    "description": "Woont boven de bakker, bel Zwaantje-Beschrijving-Qx7",
    "availability": "Beschikbaar-Qx7 op maandag",
    "contact": "zwaantje.qx7@example.nl",
}


def file_bytes(db_file: Path) -> bytes:
    """Return the bytes of the database file and of its -wal and -shm files."""
    parts = [
        db_file,
        db_file.with_name(db_file.name + "-wal"),
        db_file.with_name(db_file.name + "-shm"),
    ]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def checkpoint(db_file: Path) -> None:
    engine = create_engine(f"sqlite:///{db_file}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def found(db_file: Path) -> list[str]:
    data = file_bytes(db_file)
    return [name for name, value in SECRETS.items() if value.encode("utf-8") in data]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "asset_map.sqlite"


def fill(store: Store) -> tuple[str, str]:
    """Store neighbours around the secret talent; return the secret one's id and code."""
    for i in range(30):
        store.submit_talent(submission(nickname=f"Buur {i}", description="x" * 400))
    receipt = store.submit_talent(submission(**SECRETS))
    store.decide(receipt.id, status="approved", actor="wm")
    store.edit_talent(
        receipt.id, {"availability": SECRETS["availability"] + " en dinsdag"}, actor="wm"
    )
    for i in range(30):
        store.submit_talent(submission(nickname=f"Buur {i + 30}", description="y" * 400))
    return receipt.id, receipt.withdrawal_code


def test_withdrawal_leaves_no_bytes_behind(db_file: Path) -> None:
    store = Store(f"sqlite:///{db_file}")
    talent_id, code = fill(store)
    assert set(found(db_file)) == set(SECRETS)  # the check can see them while they exist
    checkpoint(db_file)
    assert set(found(db_file)) == set(SECRETS)

    assert store.withdraw(code)
    assert found(db_file) == []  # no VACUUM, no checkpoint of our own: the store did it
    store.close()
    assert found(db_file) == []
    with Store(f"sqlite:///{db_file}") as again:
        row = again.talent(talent_id)
        assert row is not None and row["nickname"] is None
        assert len(again.talents()) == 61


def test_purge_leaves_no_bytes_behind(db_file: Path) -> None:
    clock = Clock()
    store = Store(f"sqlite:///{db_file}", clock=clock)
    fill(store)
    checkpoint(db_file)
    assert set(found(db_file)) == set(SECRETS)
    clock.advance(days=31)
    assert store.purge_personal_data(older_than_days=30, actor="system") == 61
    assert found(db_file) == []
    store.close()


def test_secure_delete_and_wal_are_on(db_file: Path) -> None:
    with Store(f"sqlite:///{db_file}") as store, store._db.reading() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("secure_delete", "journal_mode", "foreign_keys", "busy_timeout")
        }
    assert pragma == {
        "secure_delete": 1,
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 30000,
    }
