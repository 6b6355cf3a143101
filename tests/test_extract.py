"""Extraction rules on sentences written for the tests (not taken from any corpus)."""
import pytest

from conftest import extract_text
from graph.model import Investment, Position, Signing


def positions(text):
    return {(f.person, f.title, f.org) for f in extract_text(text).facts if isinstance(f, Position)}


def signings(text):
    return [f for f in extract_text(text).facts if isinstance(f, Signing)]


@pytest.mark.parametrize("text, expected", [
    ("中国移动王大同董事长出席了会议。", {("王大同", "董事长", "中国移动")}),
    ("安平市委书记刘志高出席活动。", {("刘志高", "市委书记", "安平市委")}),
    ("安平市委书记刘志高，市委副书记、市长陈卫东出席活动。",
     {("刘志高", "市委书记", "安平市委"), ("陈卫东", "市委副书记", "安平市委"),
      ("陈卫东", "市长", "安平市人民政府")}),
    ("长林科技有限公司董事长何明、总裁欧阳新出席。",
     {("何明", "董事长", "长林科技有限公司"), ("欧阳新", "总裁", "长林科技有限公司")}),
    ("长林科技有限公司董事长兼首席执行官司马远出席。",
     {("司马远", "董事长", "长林科技有限公司"), ("司马远", "首席执行官", "长林科技有限公司")}),
])
def test_title_patterns(text, expected):
    assert positions(text) == expected


def test_a_title_needs_a_named_person():
    assert positions("安平市长期以来重视制造业。") == set()


def test_signers_pair_with_parties_in_order():
    text = ("3月1日，安平市人民政府与长林科技有限公司在安平市签署战略合作协议。"
            "长林科技有限公司副总裁吴江、安平市副市长郑和平代表双方签约。"
            "安平市委书记刘志高出席签约仪式。")
    [s] = signings(text)
    assert set(s.parties) == {"安平市人民政府", "长林科技有限公司"}
    assert {(x.person, x.party) for x in s.signers} == {
        ("吴江", "长林科技有限公司"), ("郑和平", "安平市人民政府")}
    assert s.attendees == ("刘志高",)
    assert s.date == "--03-01"


def test_a_future_agreement_is_not_a_signing():
    assert signings("双方将于下月签署战略合作协议。长林科技有限公司董事长何明表示期待。") == []


def test_document_date_gives_the_year():
    ex = extract_text("3月1日，安平市人民政府与长林科技有限公司签署合作协议。", date="2022-05-01")
    [s] = [f for f in ex.facts if isinstance(f, Signing)]
    assert s.date == "2022-03-01"


def test_investment_reads_investor_amount_and_target():
    text = "长林科技有限公司与安平市人民政府签署协议。根据协议，长林科技将投资12亿元建设长林安平智能制造基地。"
    inv = [f for f in extract_text(text).facts if isinstance(f, Investment)]
    assert [(i.investor, int(i.amount), i.currency) for i in inv] == [
        ("长林科技有限公司", 1_200_000_000, "CNY")]
    assert inv[0].target == "长林安平智能制造基地"


def test_revenue_is_not_an_investment():
    text = "长林科技有限公司去年营业收入达到50亿元。"
    assert not [f for f in extract_text(text).facts if isinstance(f, Investment)]


def test_declared_abbreviation_is_one_entity():
    ex = extract_text("北岭新能源集团有限公司（以下简称“北岭集团”）宣布，北岭集团将扩大投资。")
    orgs = {label: aliases for t, label, aliases in ex.names if t == "Organization"}
    assert "北岭新能源集团有限公司" in orgs and "北岭集团" in orgs["北岭新能源集团有限公司"]


def test_evidence_offsets_point_into_the_original():
    text = "中國聯(lián)通姜正新副總經(jīng)理出席。"
    ex = extract_text(text)
    [p] = [f for f in ex.facts if isinstance(f, Position)]
    start, end = ex.doc.original_span(p.evidence.start, p.evidence.end)
    assert ex.doc.original[start:end].startswith("中國聯(lián)通姜正新")
