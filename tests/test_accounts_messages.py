"""Account errors reach the CLI (and the screens) in the reader's language."""

from __future__ import annotations

import io

import pytest

from asset_map.cli import main
from asset_map.i18n import explain
from asset_map.rules import auth


def run(capsys, monkeypatch, stdin: str, *args: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    return code, capsys.readouterr().err


def test_account_errors_in_dutch_and_english(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    add = ["user", "add", "--username", "wim", "--role", "admin", "--password-stdin"]
    code, err = run(capsys, monkeypatch, "kort\n", *add, "--database", url)
    short = f"Het wachtwoord is te kort. Gebruik minstens {auth.MIN_PASSWORD_LENGTH} tekens."
    assert code == 2 and short in err
    code, err = run(capsys, monkeypatch, "kort\n", *add, "--lang", "en", "--database", url)
    assert (
        code == 2
        and f"The password is too short: use at least {auth.MIN_PASSWORD_LENGTH} characters" in err
    )

    assert run(capsys, monkeypatch, "lang-genoeg-wachtwoord\n", *add, "--database", url)[0] == 0
    code, err = run(capsys, monkeypatch, "lang-genoeg-wachtwoord\n", *add, "--database", url)
    assert code == 2 and "Er is al een gebruiker met de naam 'wim'. Kies een andere naam." in err
    code, err = run(capsys, monkeypatch, "", "user", "remove", "wim", "--database", url)
    assert (
        code == 2 and "'wim' is de laatste beheerder. Maak eerst een andere beheerder aan." in err
    )
    code, err = run(capsys, monkeypatch, "", "user", "remove", "els", "--database", url)
    assert code == 2 and "Er is geen gebruiker met de naam 'els'." in err


def test_a_mistyped_withdrawal_code_is_explained_in_both_languages():
    with pytest.raises(ValueError) as caught:
        auth.normalise_code("K7QX-3MRA")
    assert explain(caught.value, "nl").startswith("Dit is geen intrekcode. Een intrekcode heeft 12")
    assert explain(caught.value, "en").startswith("This is not a withdrawal code")
    with pytest.raises(ValueError) as caught:
        auth.check_password("wim", "WIM")
    assert explain(caught.value, "nl").startswith("Het wachtwoord is te kort")


def test_user_list_has_headers_in_the_language(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    add = ["user", "add", "--username", "wim", "--role", "planner", "--password-stdin"]
    assert run(capsys, monkeypatch, "lang-genoeg-wachtwoord\n", *add, "--database", url)[0] == 0
    assert main(["user", "list", "--database", url]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == ["gebruikersnaam", "rol", "aangemaakt", "geblokkeerd", "tot"]
    assert row.split()[:2] == ["wim", "planner"] and row.split()[-1] == "-"
    assert main(["user", "list", "--lang", "en", "--database", url]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split() == ["username", "role", "created", "locked", "until"]
