"""Fixes of the talent checks, the store's moderation, retention and the account commands."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, update

from asset_map._errors import AssetMapError
from asset_map.cli import main
from asset_map.i18n import STRINGS, explain
from asset_map.rules.auth import LockedOut, LoginFailed
from asset_map.rules.talent_form import TalentForm, check_edit, check_talent, text_problem
from asset_map.settings import retention_months
from asset_map.storage import Store, TalentSubmission
from asset_map.storage.schema import talents
from asset_map.storage.talents import (
    EDITABLE,
    PERSONAL,
    StatusError,
    TalentNotFound,
    retention_days,
)

CODES = ["BU99990101", "BU99990102"]
GOOD = TalentForm(
    nickname="Fatma",
    categories=("koken",),
    description="Soep voor twintig.",
    wishes=("help_neighbour",),
    availability="dinsdag",
    buurt_code="BU99990101",
    contact="fatma@example.nl",
    consent=True,
)
HENK = TalentSubmission(
    nickname="Henk",
    categories=("koken",),
    description="Soep",
    wishes=("teach",),
    availability="maandag",
    buurt_code="BU99990101",
    contact="henk@example.nl",
)


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("ASSET_MAP_RETENTION_MONTHS", raising=False)
    return f"sqlite:///{tmp_path / 'fixes.sqlite'}"


# --- 1. text the store would refuse is refused by the form, with a message ----------------------


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"nickname": "Fa\x00tma"}, "nickname", "niet kunnen bewaren"),
        ({"nickname": "Fa\ud800tma"}, "nickname", "kapot teken"),
        ({"nickname": "\u200b"}, "nickname", "alleen onzichtbare tekens"),
        ({"nickname": " \u200b\u2060\u200e "}, "nickname", "alleen onzichtbare tekens"),
        ({"description": "a\x00b"}, "description", "niet kunnen bewaren"),
        ({"description": "\u200b"}, "description", "alleen onzichtbare tekens"),
        ({"availability": "\ud83d"}, "availability", "kapot teken"),
        ({"contact": "a\x00@b.nl"}, "contact", "niet kunnen bewaren"),
        ({"nickname": "x" * 60}, "nickname", "niet meer dan 40 tekens"),
    ],
)
def test_unstorable_text_is_refused_per_field(changes, field, text):
    checked, errors = check_talent(dataclasses.replace(GOOD, **changes), buurt_codes=CODES)
    assert checked is None and list(errors) == [field]
    assert text in errors[field]


@pytest.mark.parametrize("nickname", ["Zoë", "J.", "Fa\u200btma", "<b>x</b>", "\u202eabc"])
def test_visible_text_with_odd_characters_is_kept(nickname):
    checked, errors = check_talent(dataclasses.replace(GOOD, nickname=nickname), buurt_codes=CODES)
    assert errors == {} and checked is not None and checked.nickname == nickname


def test_what_the_form_accepts_the_store_accepts(url):
    for nickname in ["Zoë", "\u202eabc", "a\x01b"]:  # other control characters stay verbatim
        checked, errors = check_talent(
            dataclasses.replace(GOOD, nickname=nickname), buurt_codes=CODES
        )
        assert checked is not None, errors
        with Store(url) as store:
            store.submit_talent(checked)
    assert text_problem("\x00") is not None and text_problem("gewoon") is None


def test_description_is_one_box_with_one_limit():
    assert "other" not in {f.name for f in dataclasses.fields(TalentForm)}
    ok, errors = check_talent(dataclasses.replace(GOOD, description="x" * 500), buurt_codes=CODES)
    assert ok is not None and errors == {}
    _, errors = check_talent(dataclasses.replace(GOOD, description="x" * 501), buurt_codes=CODES)
    assert errors == {"description": "Uw tekst is te lang. Gebruik niet meer dan 500 tekens."}


def test_messages_live_in_the_translation_files():
    import asset_map.rules.talent_form as form

    assert not hasattr(form, "MESSAGES")
    mine = [k for k in STRINGS if k.split(".")[0] in ("talent", "join", "moderate", "login")]
    assert len(mine) > 40
    assert not any("hoogstens" in STRINGS[key]["nl"] for key in mine)
    _, errors = check_talent(TalentForm(nickname="\u200b"), buurt_codes=CODES, lang="en")
    assert errors["nickname"] == "This holds only invisible characters. Please type ordinary " + (
        "letters or digits."
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nickname": ""}, "nickname"),
        ({"nickname": "x" * 60}, "nickname"),
        ({"categories": ()}, "categories"),
        ({"buurt_code": "BU03630000"}, "buurt"),
        ({"contact": "kees at home"}, "contact"),
        ({"availability": "\u200b"}, "availability"),
    ],
)
def test_moderator_edits_are_checked_like_the_form(changes, field):
    values = {
        "nickname": "Fatma",
        "categories": ("koken",),
        "description": "",
        "wishes": ("teach",),
        "availability": "",
        "buurt_code": "BU99990101",
        "contact": "",
    }
    checked, errors = check_edit({**values, **changes}, buurt_codes=CODES)
    assert checked is None and list(errors) == [field]
    checked, errors = check_edit(values, buurt_codes=CODES)
    assert errors == {} and checked is not None
    assert checked["contact"] is None and checked["categories"] == ("koken",)


# --- 8. undo, erase by a moderator, errors explained in Dutch -----------------------------------


def test_undo_an_approval_and_erase_are_audited(url):
    with Store(url) as store:
        receipt = store.submit_talent(HENK)
        store.decide(receipt.id, status="approved", actor="wim")
        store.decide(receipt.id, status="pending", actor="wim")
        assert store.talent(receipt.id)["status"] == "pending"
        store.decide(receipt.id, status="rejected", actor="anna")
        assert store.erase_talent(receipt.id, actor="anna")
        assert not store.erase_talent(receipt.id, actor="anna")  # erased already
        row = store.talent(receipt.id)
        log = store.audit(entity_id=receipt.id)
    assert all(row[name] is None for name in PERSONAL)
    assert (row["categories"], row["wishes"], row["buurt_code"]) == (
        "koken",
        "teach",
        "BU99990101",
    )
    assert list(zip(log["action"], log["actor"], strict=True)) == [
        ("submitted", "resident"),
        ("approved", "wim"),
        ("pending", "wim"),
        ("rejected", "anna"),
        ("erased", "anna"),
    ]


def test_store_refusals_are_explained_in_dutch(url):
    with Store(url) as store:
        receipt = store.submit_talent(HENK)
        assert store.withdraw(receipt.withdrawal_code)
        with pytest.raises(StatusError, match="withdrawn by the resident") as approving:
            store.decide(receipt.id, status="approved", actor="wim")
        with pytest.raises(StatusError, match="cannot be edited") as editing:
            store.edit_talent(receipt.id, {"nickname": "X"}, actor="wim")
        with pytest.raises(TalentNotFound, match="No talent with id 'nope'") as missing:
            store.decide("nope", status="approved", actor="wim")
    assert explain(approving.value, "nl").endswith("U kunt het niet meer goedkeuren.")
    assert explain(editing.value, "nl").endswith("U kunt het niet meer aanpassen.")
    assert "Laad de pagina opnieuw" in explain(missing.value, "nl")


# --- 6. retention: the setting, the purge command, the erased fields ----------------------------


@pytest.mark.parametrize(
    ("months", "now", "days"),
    [
        (12, datetime(2026, 3, 1, tzinfo=UTC), 365),
        (12, datetime(2024, 3, 1, tzinfo=UTC), 366),
        (1, datetime(2026, 3, 31, tzinfo=UTC), 31),  # back to 28 February
        (6, datetime(2026, 8, 31, 9, 30, tzinfo=UTC), 184),  # back to 28 February
    ],
)
def test_retention_days_are_calendar_months(months, now, days):
    assert retention_days(months, now=now) == days


@pytest.mark.parametrize(("value", "months"), [(None, 12), ("", 12), ("6", 6), (" 24 ", 24)])
def test_retention_setting(value, months):
    environ = {} if value is None else {"ASSET_MAP_RETENTION_MONTHS": value}
    assert retention_months(environ) == months


@pytest.mark.parametrize("value", ["0", "-3", "zes", "6m", "١٢"])
def test_a_wrong_retention_setting_is_refused(value):
    with pytest.raises(AssetMapError, match="ASSET_MAP_RETENTION_MONTHS"):
        retention_months({"ASSET_MAP_RETENTION_MONTHS": value})


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
    for name in EDITABLE:
        erased = frame.loc[old, name] != frame.loc[old, name]  # NaN: blank
        assert erased == (name in PERSONAL), name
    assert log["actor"].tolist()[-1] == "asset-map purge"


def test_purge_help_names_the_setting(capsys):
    with pytest.raises(SystemExit):
        main(["purge", "--help"])
    assert "ASSET_MAP_RETENTION_MONTHS" in " ".join(capsys.readouterr().out.split())


# --- 9. account commands -------------------------------------------------------------------------


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
            with pytest.raises((LoginFailed, LockedOut)):
                store.authenticate("wim", "verkeerd-wachtwoord")
        with pytest.raises(LockedOut):
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
