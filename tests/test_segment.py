"""The tagger's search for unknown words is jieba's, made faster: the same path every time."""
import re

from hypothesis import given, settings, strategies as st

from conftest import ROOT
from graph.segment import pos_tokenizer, tokens, viterbi

HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=14)


def _model():
    import jieba.posseg as posseg
    pos_tokenizer()  # imports jieba as the project does
    return posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P


def _jieba_viterbi(*args):
    from jieba.posseg.viterbi import viterbi as original
    return original(*args)


@settings(max_examples=200, deadline=None)
@given(HAN)
def test_viterbi_finds_jiebas_path(text):
    assert viterbi(text, *_model()) == _jieba_viterbi(text, *_model())


def test_viterbi_on_the_seed_article_and_edge_cases():
    text = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    blocks = re.findall(r"[\u4e00-\u9fff]{1,20}", text) + ["的的的的", "一", "了了了", "莫哈末阿兹里"]
    for block in blocks:
        assert viterbi(block, *_model()) == _jieba_viterbi(block, *_model()), block


def test_tokens_keep_offsets_and_tag_new_names():
    text = "青岛市市长张新起与蔺怀宇出席。"
    toks = tokens(text)
    assert "".join(t.word for t in toks) == text
    assert all(text[t.start:t.end] == t.word for t in toks)
    assert any(t.flag == "nr" for t in toks)
