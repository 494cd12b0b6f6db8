"""The engine-independent halves of search: reading the query and marking the hits."""
from cocreate.search.backends import PostgresBackend, SqliteBackend
from cocreate.search.parsing import parse
from cocreate.search.snippets import highlight, snippet


def test_words_are_lowercased_and_the_last_one_is_a_prefix():
    query = parse("Leverandør PORTAL")
    assert [(term.words, term.prefix) for term in query.terms] == [(("leverandør",), False), (("portal",), True)]


def test_quotes_make_a_phrase_and_operators_are_plain_separators():
    query = parse('"supplier portal" & !x | (y) NEAR -z :* \'')
    assert query.terms[0].words == ("supplier", "portal")
    assert [term.words[0] for term in query.terms[1:]] == ["x", "y", "near", "z"]


def test_nothing_to_search_for():
    for text in ("", "   ", '""', "&|!():*", None):
        assert not parse(text)


def test_backends_quote_every_word():
    query = parse('grøn "data deling" lev')
    assert PostgresBackend.tsquery_text(query) == "'grøn' & 'data' <-> 'deling' & 'lev':*"
    assert SqliteBackend.match_text(query) == '"grøn" AND "data deling" AND "lev"*'


def test_snippet_escapes_the_text_then_marks_the_hits():
    html = str(highlight('<script>alert("portal")</script> Portals & more', parse("portal")))
    assert "<script>" not in html
    assert html == '&lt;script&gt;alert(&#34;<mark>portal</mark>&#34;)&lt;/script&gt; <mark>Portals</mark> &amp; more'


def test_only_whole_words_match_unless_prefix():
    html = str(highlight("export exports reexport", parse('"export"')))
    assert html == "<mark>export</mark> exports reexport"


def test_danish_letters_are_part_of_words():
    assert str(highlight("Ærø og æblegrød", parse("ærø"))) == "<mark>Ærø</mark> og æblegrød"


def test_long_text_is_cut_around_the_first_hit():
    text = "filler " * 100 + "the supplier portal is here " + "more " * 100
    html = str(snippet(text, parse("portal")))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>portal</mark>" in html and len(html) < 300
