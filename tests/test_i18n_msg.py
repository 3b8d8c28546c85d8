"""Messages that the core returns in English and the app shows in the reader's language."""

import pickle

import pytest

from asset_map._errors import ProblemList, SchemaError, require_columns, where
from asset_map.i18n import Joined, Msg, explain, localise


def test_where_is_english_as_str_and_dutch_when_localised():
    location = where("data/assets.csv", row=12, column="type")
    assert location == "assets.csv, row 12, column 'type'"
    assert localise(location, "nl") == "assets.csv, rij 12, kolom 'type'"
    assert localise(where("a.geojson", row=3, row_label="feature"), "nl") == "a.geojson, object 3"


def test_a_msg_survives_pickling_with_its_key():
    location = pickle.loads(pickle.dumps(where("a.csv", column="naam")))
    assert isinstance(location, Msg)
    assert localise(location, "nl") == "a.csv, kolom 'naam'"


def test_explain_translates_errors_and_problem_lists():
    one = SchemaError(Msg("err.where.file_column", path="a.csv", column="x"))
    assert str(one) == "a.csv, column 'x'"
    assert explain(one, "nl") == "a.csv, kolom 'x'"
    plain = SchemaError("no key here")
    assert (
        explain(ProblemList([one, plain]), "nl")
        == "2 problemen:\n- a.csv, kolom 'x'\n- no key here"
    )
    many = ProblemList([plain] * 23)
    assert explain(many, "nl").endswith("- ... en nog 3")


def test_localise_leaves_plain_text_alone():
    assert localise("gewoon tekst", "en") == "gewoon tekst"


def test_a_list_of_problems_inside_one_message_follows_the_language():
    found = Joined([Msg("err.where.label.row"), "x", Msg("err.where.label.feature")])
    message = Msg("err.storage.workspace_refused", problems=found)
    assert message == "Cannot save the workspace: row; x; feature."
    assert localise(message, "nl") == "De gegevens zijn niet opgeslagen: rij; x; object."
    again = pickle.loads(pickle.dumps(message))
    assert localise(again, "nl") == localise(message, "nl")
    assert localise(Joined(["a", Msg("err.where.label.row")], " / "), "nl") == "a / rij"


def test_missing_columns_are_named_in_both_languages():
    require_columns(["a", "b"], ["a", "b"], Msg("err.what.talents"))  # all there: no error
    with pytest.raises(SchemaError) as caught:
        require_columns(["a"], ["a", "b", "c"], Msg("err.what.talents"))
    assert str(caught.value) == "The talents have no column 'b', 'c'."
    assert explain(caught.value, "nl") == "De talenten hebben geen kolom 'b', 'c'."
