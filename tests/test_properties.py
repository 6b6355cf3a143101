"""Properties that must hold for any text, not just the examples we thought of."""
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.normalize import make_document, normalize_text
from graph.numbers import parse_date, parse_money

# Han characters, pinyin, brackets, digits and the punctuation news uses
ALPHABET = st.sampled_from(list("中國联聯通青島市人民政府簽署协议億元美万亿年月日兩二十零")
                           + list("(lián)（）()“”、，。:0123456789.,ａＢ　 \n"))
TEXT = st.text(ALPHABET, max_size=80)


@given(TEXT)
def test_offsets_map_back_to_the_right_characters(raw):
    text, offsets = normalize_text(raw)
    assert len(offsets) == len(text)
    assert offsets == sorted(offsets)
    for ch, off in zip(text, offsets):
        assert normalize_text(raw[off])[0] == ch


@given(TEXT)
def test_normalising_twice_changes_nothing(raw):
    once = normalize_text(raw)[0]
    assert normalize_text(once)[0] == once


@given(st.text(max_size=60) | TEXT)
def test_money_and_date_parsers_never_raise(s):
    parse_money(s)
    parse_date(s)


@settings(max_examples=40, deadline=None)
@given(TEXT)
def test_extractor_never_raises_and_evidence_lies_inside(raw):
    from graph.extract import extract
    doc = make_document("p", raw)
    ex = extract(doc)
    for fact in ex.facts:
        assert 0 <= fact.evidence.start <= fact.evidence.end <= len(doc.text)
        start, end = doc.original_span(fact.evidence.start, fact.evidence.end)
        assert 0 <= start <= end <= len(doc.original)
