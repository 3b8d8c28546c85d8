"""The names people use for a gemeente: aliases, apostrophes, a shared name, a typo.

``gemeente_code`` finds the code in a table of gemeenten (here a few real ones, as CBS names
them); a shared name asks which one, and an unknown one suggests close names, in both languages.
"""

from __future__ import annotations

import pytest

from asset_map.i18n import explain
from asset_map.io.cbs import GemeenteError, gemeente_code

GEMEENTEN = {
    "GM0150": "Deventer",
    "GM0518": "'s-Gravenhage",
    "GM0796": "'s-Hertogenbosch",
    "GM0373": "Bergen (NH.)",
    "GM0893": "Bergen (L.)",
    "GM1900": "Súdwest-Fryslân",
    "GM0820": "Nuenen, Gerwen en Nederwetten",
    "GM1883": "Sittard-Geleen",
}


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Den Haag", "GM0518"),
        ("den  haag", "GM0518"),
        ("The Hague", "GM0518"),
        ("'s-Gravenhage", "GM0518"),
        ("\u2019s-Gravenhage", "GM0518"),  # a typographic apostrophe
        ("s-Gravenhage", "GM0518"),
        ("s Gravenhage", "GM0518"),
        ("sGravenhage", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("s-Hertogenbosch", "GM0796"),
        ("Bergen (NH)", "GM0373"),
        ("Bergen (NH.)", "GM0373"),
        ("bergen nh", "GM0373"),
        ("Bergen (L.)", "GM0893"),
        ("Bergen Limburg", "GM0893"),
        ("Sudwest-Fryslan", "GM1900"),
        ("Súdwest Fryslân", "GM1900"),
        ("Nuenen", "GM0820"),
        ("Sittard", "GM1883"),
        ("Deventer", "GM0150"),
    ],
)
def test_gemeente_names_people_use(given: str, code: str) -> None:
    assert gemeente_code(given, gemeenten=GEMEENTEN) == code


def test_a_shared_name_asks_which_one_in_both_languages() -> None:
    with pytest.raises(GemeenteError, match=r"Choose one: Bergen \(NH\.\) / Bergen \(L\.\)") as exc:
        gemeente_code("Bergen", gemeenten=GEMEENTEN)
    assert explain(exc.value, "nl").startswith("Er zijn meer gemeenten met de naam 'Bergen'.")


def test_a_shared_name_is_refused_before_any_download() -> None:
    with pytest.raises(GemeenteError, match="More than one gemeente"):
        gemeente_code("bergen")  # no table given: nothing is downloaded first


def test_unknown_name_suggests_close_ones_in_dutch() -> None:
    with pytest.raises(GemeenteError) as exc:
        gemeente_code("Deventr", gemeenten=GEMEENTEN)
    assert str(exc.value).startswith("Unknown gemeente 'Deventr'. Did you mean: Deventer (GM0150)?")
    dutch = explain(exc.value, "nl")
    assert dutch.startswith("De gemeente 'Deventr' kennen we niet. Bedoelt u: Deventer (GM0150)?")
