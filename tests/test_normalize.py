import codecs

import pytest

from graph.errors import InputError
from graph.normalize import decode, make_document, normalize_text


@pytest.mark.parametrize("raw, expected", [
    ("聯(lián)通", "联通"),
    ("中國聯(lián)通與青島", "中国联通与青岛"),
    ("華(huá)嶽(yuè)電投", "华岳电投"),
    ("华信云(中国)有限公司", "华信云(中国)有限公司"),   # Chinese in brackets stays
    ("中国联通(600050)", "中国联通(600050)"),           # a stock code stays
    ("博尔曼（中国）投资有限公司", "博尔曼(中国)投资有限公司"),
    ("(股票代碼(mǎ):300917,以下簡(jiǎn)稱(chēng)“云阜智能”)",
     "(股票代码:300917,以下简称“云阜智能”)"),          # pinyin nested in other brackets
    ("公司(Aldenmark Group AB)", "公司(Aldenmark Group AB)"),  # English aside stays
    ("中国建(jian)筑材料集團(tuan)", "中国建筑材料集团"),      # toneless syllables too
    ("吉(ji)林省政府", "吉林省政府"),
    ("建材(cai)(cai)集团", "建材集团"),                          # an annotation repeated
    ("长林(xyz)科技", "长林(xyz)科技"),                        # not a syllable: stays
])
def test_pinyin_removed_other_brackets_kept(raw, expected):
    assert normalize_text(raw)[0] == expected


@pytest.mark.parametrize("raw, expected", [
    ("戰略合作協議", "战略合作协议"),
    ("ＡＢＣ１２３，（）：", "ABC123,():"),
    ("青島\u3000市", "青岛 市"),
])
def test_simplified_and_half_width(raw, expected):
    assert normalize_text(raw)[0] == expected


@pytest.mark.parametrize("raw", ["中國聯(lián)通與青島市人民政府簽署", "ｘ聯(lián)（abc）華(huá)"])
def test_offsets_lead_back_to_original(raw):
    doc = make_document("d", raw)
    assert len(doc.offsets) == len(doc.text)
    for i, ch in enumerate(doc.text):
        orig = doc.original[doc.offsets[i]]
        assert normalize_text(orig)[0] == ch


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "big5", "utf-16", "utf-8"])
def test_decodes_common_chinese_encodings(codec):
    text = "中國聯通與青島市人民政府簽署戰略合作協議，雙方將共同推進智慧城市建設。" * 3
    if codec == "gbk":
        text = "中国联通与青岛市人民政府签署战略合作协议，双方将共同推进智慧城市建设。" * 3
    assert decode(text.encode(codec), "x")[0] == text


def test_utf8_bom_is_dropped():
    assert decode(codecs.BOM_UTF8 + "联通".encode(), "x")[0] == "联通"


def test_binary_is_refused_with_the_file_name():
    with pytest.raises(InputError, match="x.bin: binary"):
        decode(b"\x00\x01\x02" * 100, "x.bin")


def test_a_few_bad_utf8_bytes_are_repaired_and_reported():
    data = "中国联通与青岛市人民政府签约".encode() * 20
    data = data[:30] + b"\xff" + data[30:]
    text, repairs = decode(data, "x")
    assert "\ufffd" in text and repairs and "invalid" in repairs[0]
