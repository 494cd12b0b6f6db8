"""Quoted phrases (SQLite FTS5 by default, PostgreSQL with TEST_DATABASE_URL).

On PostgreSQL a phrase is looked up by its pairs of neighbouring words (``word_pairs``)
and then checked with the tsquery; these tests hold it to exactly what the tsquery alone
finds, and to the same visibility as every other search.
"""
import os
from types import SimpleNamespace

import pytest
from sqlalchemy import func, text

from cocreate.extensions import db
from cocreate.search.backends import PostgresBackend
from cocreate.search.models import SearchDocument
from cocreate.search.parsing import parse
from cocreate.search.queries import search
from cocreate.workshops.services import hide_post

from ..factories import add_member, make_challenge, make_idea, make_post, make_space, make_user, make_workshop

postgresql_only = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                                     reason="PostgreSQL's word pairs")


def found(user, query_text):
    return {(doc.kind, doc.object_id) for doc in db.session.scalars(search(user, parse(query_text)))}


@pytest.fixture
def world(app):
    owner = make_user(name="Owner Olsen")
    member = make_user(name="Member Mads")
    outsider = make_user(name="Outsider Otto")
    public = make_space(title="Fjordhavn", slug="fjordhavn", owner=owner)
    private = make_space(title="Lukket", slug="lukket", owner=owner, visibility="members", join_policy="invitation")
    add_member(public, member)
    add_member(private, member)
    challenge = make_challenge(public, author=owner, title="Spare parts", body="Parts by phone.")
    workshop = make_workshop(public, title="Kickoff", challenges=[challenge])
    return SimpleNamespace(owner=owner, member=member, outsider=outsider, public=public, private=private,
                           challenge=challenge, workshop=workshop)


def ideas(world, *bodies):
    return [("idea", make_idea(world.challenge, title="Forslag", body=body).id) for body in bodies]


def test_a_phrase_finds_only_its_words_next_to_each_other_and_in_order(world):
    adjacent, repeated, reversed_, between, apart = ideas(
        world,
        "Fragt varenummer på alle ordrer.",
        "Vi sender fragt fragt varenummer varenummer.",
        "Varenummer fragt, omvendt.",
        "Fragt og varenummer, med et ord imellem.",
        "Fragt her. Et helt andet sted: varenummer.",
    )
    assert found(world.owner, '"fragt varenummer"') == {adjacent, repeated}
    assert found(world.owner, '"FRAGT  Varenummer"') == {adjacent, repeated}
    assert found(world.owner, '"varenummer fragt"') == {reversed_}
    assert found(world.owner, '"fragt og varenummer"') == {between}
    assert found(world.owner, "fragt varenummer") == {adjacent, repeated, reversed_, between, apart}


def test_a_longer_phrase_needs_every_word_in_order(world):
    whole, punctuated, _, _ = ideas(world, "Ordrer med fragt varenummer og pris.", "Med fragt, varenummer og. Pris!",
                                    "Pris og ordrer med. Fragt varenummer.", "Ordrer med fragt af varenummer og pris.")
    # Punctuation is no gap, in either engine.
    assert found(world.owner, '"med fragt varenummer og pris"') == {whole, punctuated}
    assert found(world.owner, '"med fragt varenummer pris"') == set()
    # Every pair of the phrase, but not in one run: "fragt varenummer", then "varenummer pris".
    ideas(world, "Fragt varenummer. Varenummer pris.")
    assert found(world.owner, '"fragt varenummer pris"') == set()


def test_a_phrase_of_function_words_needs_them_next_to_each_other(world):
    # The configuration is ``simple``: "og", "i", "the" and "of" are words like any other.
    both, apart, english = ideas(world, "Lager og i morgen fragt.", "Lager og fragt i morgen.",
                                 "The supplier of the parts.")
    assert found(world.owner, '"og i"') == {both}
    assert found(world.owner, '"og fragt"') == {apart}
    assert found(world.owner, '"of the parts"') == {english}
    assert found(world.owner, '"the parts of"') == set()
    assert found(world.owner, '"of the"') == {english}


def test_a_phrase_together_with_words_and_other_phrases(world):
    both, phrase_only, words_only = ideas(
        world,
        "Fragt varenummer i lageret, data deling bagefter.",
        "Fragt varenummer i lageret.",
        "Data deling, fragt og varenummer i lageret.",
    )
    assert found(world.owner, '"fragt varenummer" "data deling"') == {both}
    assert found(world.owner, '"fragt varenummer" lager') == {both, phrase_only}
    assert found(world.owner, 'deling "fragt varenummer"') == {both}
    assert found(world.owner, '"data deling" fragt lager') == {both, words_only}


def test_a_phrase_in_a_members_only_space_or_a_hidden_post_stays_invisible(world):
    secret = make_challenge(world.private, author=world.owner, title="Hemmelig", body="Fragt varenummer internt.")
    post = make_post(world.workshop, world.member, body="Fragt varenummer i workshoppen.")
    hidden = make_post(world.workshop, world.member, body="Fragt varenummer, men skjult.", hidden_reason="rude")
    phrase = '"fragt varenummer"'
    assert found(world.member, phrase) == {("challenge", secret.id), ("post", post.id)}
    assert found(world.outsider, phrase) == {("post", post.id)}
    assert found(None, phrase) == {("post", post.id)}
    hide_post(world.owner, post, "Not kind.")
    assert found(world.member, phrase) == {("challenge", secret.id)}
    assert ("post", hidden.id) not in found(world.owner, phrase)


def test_an_edited_document_is_found_by_its_new_phrase_only(world):
    idea, = ideas(world, "Fragt varenummer.")
    document = db.session.scalar(db.select(SearchDocument).filter_by(kind="idea", object_id=idea[1]))
    document.body = "Varenummer uden fragt, og data deling."
    db.session.commit()
    assert found(world.owner, '"fragt varenummer"') == set()
    assert found(world.owner, '"data deling"') == {idea}


# PostgreSQL: the pairs only narrow what the index hands over; the tsquery decides.

PHRASES = [
    '"fragt varenummer"', '"varenummer fragt"', '"fragt fragt"', '"og i"', '"i og"', '"of the parts"',
    '"ny fragt"', '"fragt varenummer" pris', '"fragt varenummer" "pris rabat"', '"a b"', '"a ² b"', '"a b c"',
    '"x1y2 abc123"', '"æblegrød ærø"', '"ÆBLEGRØD ærø"', '"forslag fragt"',
]


def plain_tsquery_ids(query_text):
    tsquery = func.to_tsquery(text("'simple'::regconfig"), PostgresBackend.tsquery_text(parse(query_text)))
    return set(db.session.scalars(db.select(SearchDocument.id).where(PostgresBackend.tsv.op("@@")(tsquery))))


def backend_ids(query_text):
    return set(db.session.scalars(PostgresBackend().match(db.select(SearchDocument.id), parse(query_text))))


@postgresql_only
def test_phrases_find_exactly_what_the_tsquery_alone_finds(world):
    ideas(
        world,
        "Fragt varenummer og fragt fragt.", "Varenummer fragt i og.", "The supplier of the parts.",
        "Pris rabat, fragt varenummer.", "A x b c.", "A b c.", "a b", "x1y2 abc123", "Æblegrød ærø og blåbær.",
        "og " * 300 + "i fragt varenummer",
    )
    # A title's last word and the body's first are neighbours in tsv, so in the pairs too.
    make_idea(world.challenge, title="Ny fragt", body="Varenummer følger.")
    for query_text in PHRASES:
        assert backend_ids(query_text) == plain_tsquery_ids(query_text), query_text
    assert backend_ids('"ny fragt varenummer"') == plain_tsquery_ids('"ny fragt varenummer"') != set()


@postgresql_only
def test_a_word_the_configuration_drops_leaves_a_gap_the_pairs_do_not_close(world):
    # "²" is a word to the parser but not to PostgreSQL: the tsquery is 'a' <2> 'b', which
    # "a x b" matches. The phrase's own tsvector would ask for the pair "a b", which it lacks.
    gap, = ideas(world, "A x b.")
    assert PostgresBackend.tsquery_text(parse('"a ² b"')) == "'a' <-> '²' <-> 'b'"
    assert backend_ids('"a ² b"') == plain_tsquery_ids('"a ² b"') == {
        db.session.scalar(db.select(SearchDocument.id).filter_by(kind="idea", object_id=gap[1]))}


@postgresql_only
def test_the_word_pairs_are_the_hashed_neighbouring_lexemes(world):
    pairs = db.session.scalar(text("SELECT search_word_pairs(to_tsvector('simple', 'Fragt varenummer fragt og'))"))
    expected = db.session.scalar(text(
        "SELECT array[hashtext('fragt varenummer'), hashtext('varenummer fragt'), hashtext('fragt og')]"))
    assert sorted(pairs) == sorted(expected)
    assert db.session.scalar(text("SELECT search_word_pairs(to_tsvector('simple', 'alene'))")) == []
    idea, = ideas(world, "Fragt varenummer.")
    stored = db.session.scalar(text("SELECT word_pairs FROM search_documents WHERE kind = 'idea' AND object_id = :id"),
                               {"id": idea[1]})
    # The title "Forslag" comes first: its last word and the body's first are neighbours.
    assert sorted(stored) == sorted(db.session.scalar(text(
        "SELECT array[hashtext('forslag fragt'), hashtext('fragt varenummer')]")))


@postgresql_only
def test_a_phrase_search_asks_for_its_pairs(count_queries, world):
    with count_queries() as queries:
        found(world.owner, '"fragt varenummer" lager')
    statement = queries.statements[-1]
    assert "word_pairs @> search_word_pairs(to_tsvector('simple'::regconfig, 'fragt varenummer'))" in statement
    assert "ts_match_vq(search_documents.tsv, to_tsquery('simple'::regconfig, '''fragt'' <-> ''varenummer'''))" \
        in statement
    with count_queries() as queries:
        found(world.owner, "fragt varenummer")
    assert "word_pairs" not in queries.statements[-1]
