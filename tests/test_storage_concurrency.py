"""Many writers at once: 20 threads or 20 processes each store 50 talents in one database.

Nothing may be lost or stored twice, and no writer may fail with "database is locked".
"""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from storage_helpers import submission

from asset_map.storage import Store

pytest_plugins = ["storage_fixtures"]

WRITERS, EACH = 20, 50


def write_many(url: str, writer: int, start: threading.Barrier | None = None) -> list[str]:
    """Open a store of its own and submit ``EACH`` talents; return their ids."""
    store = Store(url)
    try:
        if start is not None:
            start.wait()
        return [store.submit_talent(submission(nickname=f"w{writer}-{i}")).id for i in range(EACH)]
    finally:
        store.close()


def _process_main(url: str, writer: int, start: object, out: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    try:
        out.put((writer, write_many(url, writer)))  # type: ignore[attr-defined]
    except BaseException as error:
        out.put((writer, repr(error)))  # type: ignore[attr-defined]


def check_all_stored(url: str, ids: list[str]) -> None:
    assert len(ids) == WRITERS * EACH
    assert len(set(ids)) == WRITERS * EACH
    with Store(url) as store:
        frame = store.talents()
        audit = store.audit(entity="talent")
    assert len(frame) == WRITERS * EACH
    assert set(frame["id"]) == set(ids)
    assert frame["nickname"].is_unique
    expected = {f"w{w}-{i}" for w in range(WRITERS) for i in range(EACH)}
    assert set(frame["nickname"]) == expected
    assert (audit["action"] == "submitted").sum() == WRITERS * EACH


def test_threads_sharing_one_store(store: Store, store_url: str) -> None:
    """The app's case: one store (one pool) used by many Streamlit sessions at once."""
    ids: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def run(writer: int) -> None:
        try:
            start.wait()
            mine = [
                store.submit_talent(submission(nickname=f"w{writer}-{i}")).id for i in range(EACH)
            ]
            with lock:
                ids.extend(mine)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    check_all_stored(store_url, ids)


def test_threads_with_a_store_each(store_url: str) -> None:
    start = threading.Barrier(WRITERS)
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            results[writer] = write_many(store_url, writer, start)
        except BaseException as error:
            errors.append(error)

    Store(store_url).close()  # create the schema first; opening at once is tested below
    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    check_all_stored(store_url, [i for w in sorted(results) for i in results[w]])


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)
def test_processes_on_one_new_database(store_url: str, tmp_path: Path) -> None:
    """20 processes open a database nobody has created yet, all at once, and write."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(WRITERS)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_process_main, args=(store_url, w, start, out)) for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    failed = {w: r for w, r in results.items() if isinstance(r, str)}
    assert not failed, failed
    assert [p.exitcode for p in procs] == [0] * WRITERS
    check_all_stored(store_url, [i for w in sorted(results) for i in results[w]])
