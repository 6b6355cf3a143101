from decimal import Decimal

import pytest

from conftest import finishes_within

from graph.numbers import find_dates, parse_date, parse_money


@pytest.mark.parametrize("text, amount, currency", [
    ("投资30亿元", 3_000_000_000, "CNY"),
    ("1.5亿美元", 150_000_000, "USD"),
    ("两亿五千万元", 250_000_000, "CNY"),
    ("两亿元", 200_000_000, "CNY"),
    ("8000万元", 80_000_000, "CNY"),
    ("2,000万美元", 20_000_000, "USD"),
    ("30,600万元", 306_000_000, "CNY"),
    ("新台币1.2亿元", 120_000_000, "TWD"),
    ("约12亿港元", 1_200_000_000, "HKD"),
    ("2000万欧元", 20_000_000, "EUR"),
    ("约25亿元人民币", 2_500_000_000, "CNY"),
    ("一千万元", 10_000_000, "CNY"),
    ("1.2万亿元", 1_200_000_000_000, "CNY"),
    ("两个亿", 200_000_000, "CNY"),
    ("1亿5000万元", 150_000_000, "CNY"),
])
def test_money(text, amount, currency):
    value, code = parse_money(text)
    assert value == Decimal(amount) and code == currency


@pytest.mark.parametrize("text", ["8000个机架", "35%的股权", "100兆瓦时", "", "亿元", "元"])
def test_not_money(text):
    assert parse_money(text) is None


@pytest.mark.parametrize("text, iso", [
    ("2023年3月15日", "2023-03-15"),
    ("11月2日消息", "--11-02"),
    ("二零二三年十月二十六日", "2023-10-26"),
    ("2011年底", "2011"),
    ("今(20)日", "---20"),
    ("2024-03-28", "2024-03-28"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


def test_document_year_completes_a_day_without_one():
    assert parse_date("11月2日", year=2015) == "2015-11-02"


def test_invalid_dates_are_ignored():
    assert find_dates("13月45日") == []


@pytest.mark.parametrize("text", ["1" * 100_000 + "x", "一" * 100_000, ",".join(["1"] * 20_000),
                                  "月" * 50_000, "1月" * 20_000])
def test_pathological_numbers_finish(text):
    """Nested quantifiers once made this exponential."""
    with finishes_within(20):
        parse_money(text)
        find_dates(text)
