"""One parametrized test per phenomenon of issue 3, on sentences written for these tests.
All names below are invented."""
from decimal import Decimal

import pytest

from conftest import extract_text
from graph.model import Investment, Position, Signing
from graph.numbers import find_dates, parse_money


def facts(text, kind, **meta):
    return [f for f in extract_text(text, **meta).facts if isinstance(f, kind)]


def names(text, type_):
    ex = extract_text(text)
    return {label: set(aliases) for t, label, aliases in ex.names if t == type_}


def triples(text):
    return {(p.person, p.title, p.org) for p in facts(text, Position)}


# -- titles -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # party and government
    ("平川县委书记孟长河出席会议。", ("孟长河", "县委书记", "平川县委")),
    ("平川县县长胡冬梅出席会议。", ("胡冬梅", "县长", "平川县人民政府")),
    ("平川县商务局局长石磊出席会议。", ("石磊", "局长", "平川县商务局")),
    # companies
    ("长林科技股份有限公司财务总监何静出席。", ("何静", "财务总监", "长林科技股份有限公司")),
    ("长林科技股份有限公司执行董事吴宁出席。", ("吴宁", "执行董事", "长林科技股份有限公司")),
    # universities and institutes
    ("安平大学副校长谢远出席。", ("谢远", "副校长", "安平大学")),
    ("安平大学物理学院院长冯涛出席。", ("冯涛", "院长", "安平大学物理学院")),
])
def test_title_lexicon(text, expected):
    assert expected in triples(text)


def test_compound_title_gives_two_positions():
    got = triples("北岭能源集团有限公司董事长兼首席执行官上官云出席。")
    assert {("上官云", "董事长", "北岭能源集团有限公司"),
            ("上官云", "首席执行官", "北岭能源集团有限公司")} <= got


def test_title_chain_over_one_name():
    got = triples("安平市委书记刘志高，市委副书记、市长陈卫东出席活动。")
    assert {("陈卫东", "市委副书记", "安平市委"), ("陈卫东", "市长", "安平市人民政府")} <= got


def test_titles_scoped_by_a_chain_of_organisations():
    got = triples("北岭建设集团有限公司党委常委、财务总监郑远山出席。")
    assert ("郑远山", "财务总监", "北岭建设集团有限公司") in got


# -- people ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, person", [
    ("长林科技有限公司董事长何明出席。", "何明"),           # two characters
    ("长林科技有限公司董事长何明远出席。", "何明远"),       # three characters
    ("长林科技有限公司董事长欧阳思远出席。", "欧阳思远"),   # compound surname
    ("长林科技有限公司董事长司徒南出席。", "司徒南"),
    ("长林科技有限公司总裁约翰·史密斯出席。", "约翰·史密斯"),  # middle dot
    ("安平市副市长买买提·吐尔逊出席。", "买买提·吐尔逊"),
])
def test_person_names(text, person):
    assert person in names(text, "Person")


def test_a_later_mention_by_surname_and_title_is_the_same_person():
    text = ("安平市委书记刘志高、长林科技有限公司总经理吴江出席。"
            "3月1日，安平市人民政府与长林科技有限公司签署合作协议。刘书记与吴总经理代表双方签约。")
    [s] = facts(text, Signing)
    assert {x.person for x in s.signers} == {"刘志高", "吴江"}


def test_a_foreign_name_is_later_called_by_its_last_part():
    text = "长林科技有限公司总裁约翰·史密斯出席。史密斯表示，合作前景广阔。"
    assert "约翰·史密斯" in names(text, "Person") and "史密斯" not in names(text, "Person")


# -- organisations -------------------------------------------------------------------------
@pytest.mark.parametrize("text, org", [
    ("北岭新材料股份有限公司宣布扩产。", "北岭新材料股份有限公司"),
    ("北岭集团宣布扩产。", "北岭集团"),
    ("北岭银行宣布降息。", "北岭银行"),
    ("安平大学宣布扩招。", "安平大学"),
    ("安平材料研究院宣布成果。", "安平材料研究院"),
    ("安平市人民政府发布通知。", "安平市人民政府"),
    ("安平高新区管委会发布通知。", "安平高新区管委会"),
])
def test_organisations_by_suffix(text, org):
    assert org in names(text, "Organization")


def test_declared_abbreviation():
    orgs = names("北岭新材料股份有限公司（以下简称“北岭新材”）宣布，北岭新材将扩产。", "Organization")
    assert "北岭新材" in orgs["北岭新材料股份有限公司"]


def test_government_bodies_from_place_and_body():
    got = triples("安平市委书记刘志高出席。市政府秘书长吴丽出席。")
    assert ("吴丽", "秘书长", "安平市人民政府") in got


@pytest.mark.parametrize("city", ["徐州", "常州", "武汉"])  # 州 as the end of a city's name; 徐, 常, 武 are surnames
def test_a_city_before_its_mayor_is_neither_a_prefecture_nor_a_person(city):
    text = f"{city}市长罗振华会见了长林科技股份有限公司董事长。"
    assert ("罗振华", "市长", f"{city}市人民政府") in triples(text)
    assert city not in names(text, "Person")


def test_both_parties_resolve_shuangfang():
    text = ("3月1日，安平市人民政府与长林科技有限公司签署合作协议。"
            "长林科技有限公司副总裁吴江、安平市副市长郑和平代表双方签约。")
    [s] = facts(text, Signing)
    assert {(x.person, x.party) for x in s.signers} == {("吴江", "长林科技有限公司"),
                                                        ("郑和平", "安平市人民政府")}


def test_kinds_of_organisation_are_not_names():
    assert not {"商业银行", "外资银行"} & set(names("多家商业银行和外资银行参与。", "Organization"))


# -- agreements ------------------------------------------------------------------------------
@pytest.mark.parametrize("head", ["协议", "合同", "备忘录", "意向书", "框架协议"])
def test_agreements_of_every_kind(head):
    text = f"3月1日，安平市人民政府与长林科技有限公司签署合作{head}。"
    [s] = facts(text, Signing)
    assert s.agreement.endswith(head) and len(s.parties) == 2


def test_several_agreements_in_one_article():
    text = ("3月1日，长林科技有限公司与北岭电子有限公司签署《战略合作协议》和《增资协议》。"
            "同日，长林科技有限公司还与安平市人民政府签署投资合同。")
    assert {s.agreement for s in facts(text, Signing)} == {"战略合作协议", "增资协议", "投资合同"}


def test_hosts_and_witnesses_attend():
    text = ("3月1日，安平市人民政府与长林科技有限公司签署合作协议。"
            "安平市委书记刘志高见证签约。签约仪式由安平市副市长宋佳主持。")
    [s] = facts(text, Signing)
    assert set(s.attendees) == {"刘志高", "宋佳"}


# -- money -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, amount, currency", [
    ("两亿五千万元", 250_000_000, "CNY"),
    ("约3亿元", 300_000_000, "CNY"),
    ("逾1.5万亿元", 1_500_000_000_000, "CNY"),
    ("近800万欧元", 8_000_000, "EUR"),
    ("5亿日元", 500_000_000, "JPY"),
    ("新台币6,000万元", 60_000_000, "TWD"),
    ("3亿港元", 300_000_000, "HKD"),
])
def test_money_forms(text, amount, currency):
    assert parse_money(text) == (Decimal(amount), currency)


def test_a_total_is_not_counted_again_as_its_parts():
    text = ("本轮融资共计5亿元，其中北岭资本领投3亿元，长林创投跟投2亿元。")
    got = {(i.investor, int(i.amount)) for i in facts(text, Investment)}
    assert got == {("北岭资本", 300_000_000), ("长林创投", 200_000_000)}


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("2023年3月15日", "2023-03-15"),
    ("3月15日", "--03-15"),
    ("2022年底", "2022"),
    ("2024年第一季度", "2024"),
])
def test_date_forms(text, value):
    assert find_dates(text)[0].value == value


def test_recently_gives_no_date():
    [s] = facts("近日，安平市人民政府与长林科技有限公司签署合作协议。", Signing)
    assert s.date is None


def test_document_date_supplies_the_year():
    [s] = facts("3月1日，安平市人民政府与长林科技有限公司签署合作协议。", Signing, date="2021-03-02")
    assert s.date == "2021-03-01"


# -- confidence ---------------------------------------------------------------------------------
def test_every_fact_carries_a_confidence_and_min_confidence_drops():
    from graph.extract import extract
    from graph.normalize import make_document
    text = "安平市委书记刘志高，市委副书记、市长陈卫东出席活动。"
    doc = make_document("c", text)
    every = extract(doc).facts
    assert every and all(0 < f.confidence <= 1 for f in every)
    strict = extract(doc, min_confidence=0.8).facts
    assert 0 < len(strict) < len(every)
