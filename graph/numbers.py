"""Money and dates: find them in text and parse them to plain values.

parse_* never raise: a string they cannot read gives None.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import lexicon

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万亿": 10 ** 12, "亿": 10 ** 8, "万": 10 ** 4}
CN_NUM = "零〇○一二两三四五六七八九十百千"
_NUMBER = r"(?:\d[\d,]*(?:\.\d+)?|[%s]+(?:点[%s]+)?)" % (CN_NUM, CN_NUM)
_QUALIFIER = r"(?:约|逾|超过|超|近|不超过|不低于|不少于|高达|达到|达|共计|合计|总计|累计)?"


def _currency_pattern() -> str:
    words = sorted(lexicon.currencies(), key=len, reverse=True)
    return "|".join(map(re.escape, words))


_UNIT = r"(?:万亿|亿|万|千|百)"
_ARABIC = r"\d[\d,]*(?:\.\d+)?"
# 1亿5000万 or 两亿五千万: a later group only ever follows a unit, and a number starts only
# at the start of a run of digits, so matching stays linear on any input
_AMOUNT = (r"(?:(?<![\d,.])%s(?:%s(?:%s%s?)?)?|(?<![%s万亿点])[%s万亿]+(?:点[%s]+)?[万亿]?)"
           % (_ARABIC, _UNIT, _ARABIC, _UNIT, CN_NUM, CN_NUM, CN_NUM))


def _money_re():
    cur = _currency_pattern()
    return re.compile(
        r"(?P<pre>新台币|人民币|港币|美元)?" + _QUALIFIER +
        r"(?P<num>%s)(?:个)?(?P<cur>%s)(?:人民币)?" % (_AMOUNT, cur))


_MONEY = None


@dataclass(frozen=True)
class MoneyMatch:
    start: int
    end: int
    amount: Decimal
    currency: str
    text: str


def cn_integer(s: str) -> int | None:
    """Chinese numerals below 万: 二百三十 -> 230, 二零二三 -> 2023 (digit by digit), 廿三 -> 23."""
    if not s:
        return None
    s = s.replace("廿", "二十").replace("卅", "三十")
    if all(c in _DIGITS for c in s) and len(s) > 1:
        return int("".join(str(_DIGITS[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_number(s: str) -> Decimal | None:
    """'30亿' -> 3e9, '两亿五千万' -> 2.5e8, '2,000万' -> 2e7, '1.5' -> 1.5."""
    try:
        s = s.replace(",", "").strip()
        if not s:
            return None
        for unit, factor in _BIG_UNITS.items():
            head, sep, tail = s.partition(unit)
            if sep and head:
                high = parse_number(head)
                if high is None:
                    return None
                low = parse_number(tail) if tail else Decimal(0)
                if low is None:
                    return None
                return high * factor + low
        if re.fullmatch(r"\d+(?:\.\d+)?", s):
            return Decimal(s)
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千])", s)
        if m:
            return Decimal(m.group(1)) * _SMALL_UNITS[m.group(2)]
        if "点" in s:
            whole, _, frac = s.partition("点")
            w = cn_integer(whole)
            if w is None or not all(c in _DIGITS for c in frac):
                return None
            return Decimal(f"{w}.{''.join(str(_DIGITS[c]) for c in frac)}")
        n = cn_integer(s)
        return Decimal(n) if n is not None else None
    except (InvalidOperation, ValueError, RecursionError):
        return None


def find_money(text: str) -> list[MoneyMatch]:
    global _MONEY
    if _MONEY is None:
        _MONEY = _money_re()
    out = []
    for m in _MONEY.finditer(text):
        amount = parse_number(m.group("num"))
        if amount is None or amount <= 0 or amount > MAX_AMOUNT or _negative(text, m.start()):
            continue
        code = lexicon.currencies()[m.group("cur")]
        pre = m.group("pre")
        if pre and pre in lexicon.currencies() and code == "CNY":
            code = lexicon.currencies()[pre]  # 新台币1.2亿元 is TWD, not CNY
        out.append(MoneyMatch(m.start(), m.end(), amount, code, m.group()))
    # spoken 两个亿 (= 2亿元), where no currency is written
    for m in re.finditer(r"(?<![\d%s])(\d+(?:\.\d+)?|[%s]{1,4})个亿(?![元美欧港日])" % (CN_NUM, CN_NUM), text):
        value = parse_number(m.group(1))
        if value and value * 10 ** 8 <= MAX_AMOUNT and not _negative(text, m.start()):
            out.append(MoneyMatch(m.start(), m.end(), value * 10 ** 8, "CNY", m.group()))
    return sorted(out, key=lambda x: x.start)


MAX_AMOUNT = Decimal(10) ** 14  # 100万亿: more than any one commitment, in any currency


def _negative(text: str, start: int) -> bool:
    """-5亿元, 负5亿元: a loss or a change, never an amount committed."""
    return text[max(0, start - 1):start] in ("-", "−", "－", "负") or text[max(0, start - 2):start] == "减少"


def parse_money(text: str) -> tuple[Decimal, str] | None:
    try:
        found = find_money(text)
    except Exception:  # noqa: BLE001 - parsing untrusted text must not raise
        return None
    return (found[0].amount, found[0].currency) if found else None


# -- dates ------------------------------------------------------------------------------

_CN_DIGIT = "零〇○一二三四五六七八九"
_Y = r"(?P<y>\d{4}|[%s]{4})年" % _CN_DIGIT
_M = r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
_D = r"(?P<d>\d{1,2}|[〇一二三四五六七八九十廿卅]{1,3})[日号]"
_NOT_AFTER_NUMBER = r"(?<![\d年%s十廿卅])" % _CN_DIGIT  # 十三月五日 holds no 三月五日
DATE_PATTERNS = [
    ("full", re.compile(_Y + _M + _D)),
    # Taiwan's Minguo calendar: 民国104年1月15日 or 104年1月15日 is 2015-01-15
    ("minguo", re.compile(r"(?:民国)?(?<![\d])(?P<y>\d{2,3})年" + _M + _D)),
    ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
    ("month_day", re.compile(_NOT_AFTER_NUMBER + _M + _D)),
    ("year_end", re.compile(_Y + r"(?:底|末|年底|年末|初|年初|上半年|下半年|第[一二三四]季度|[一二三四]季度)")),
    ("today_day", re.compile(r"今\s*[(（](?P<d>\d{1,2})[)）]\s*日")),
    ("dateline_day", re.compile(r"(?<![\d月])(?P<d>\d{1,2})日(?:讯|电)")),
]


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: str  # ISO 8601 as far as the text gives it
    kind: str


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    if s.isdigit():
        return int(s)
    return cn_integer(s)


def iso(year: int | None, month: int | None, day: int | None) -> str | None:
    """ISO 8601 for as much of a date as is given, or None for a day that does not exist
    (2023年2月30日, 十三月) or a year outside 1000-2999."""
    if year is not None and not 1000 <= year <= 2999:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= (31 if month is None else
                                             calendar.monthrange(year or 2000, month)[1]):
        return None  # a day without a year may be 29 February (2000 is a leap year)
    if year is not None and month is not None and day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if year is not None and month is None:
        return f"{year:04d}"
    if year is None and month is not None and day is not None:
        return f"--{month:02d}-{day:02d}"
    if year is None and month is None and day is not None:
        return f"---{day:02d}"
    return None


def iso_date(value: str) -> str | None:
    """A date a source gives as metadata (JSONL `date`), checked: 2024, 2024-03,
    2024-03-28 or a date-time, as YYYY, YYYY-MM or YYYY-MM-DD; None for anything else."""
    m = re.fullmatch(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?\s*", value)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and day is None:
        return f"{year:04d}-{month:02d}" if iso(year, None, None) and 1 <= month <= 12 else None
    return iso(year, month, day)


def find_dates(text: str) -> list[DateMatch]:
    out, taken = [], []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            g = m.groupdict()
            year = _num(g.get("y"))
            if kind == "minguo" and year is not None:
                year += 1911
            value = iso(year, None if kind == "year_end" else _num(g.get("m")),
                        None if kind == "year_end" else _num(g.get("d")))
            taken.append((m.start(), m.end()))  # an impossible date hides no shorter one
            if value:
                out.append(DateMatch(m.start(), m.end(), value, kind))
    return sorted(out, key=lambda d: d.start)


def parse_date(text: str, year: int | None = None) -> str | None:
    """The first date in text as ISO 8601; `year` completes a day without one."""
    try:
        found = find_dates(text)
    except Exception:  # noqa: BLE001
        return None
    return with_year(found[0].value, year) if found else None


def with_year(value: str, year: int | str | None) -> str:
    """--06-08 in a 2023 article is 2023-06-08 (but --02-29 stays as it is in 2023). `year`
    may be the article's publication date (2023-01-05): a day later in the year than that
    (12月28日) was then last year's."""
    if not year or not value.startswith("--") or value.startswith("---"):
        return value
    month, day = int(value[2:4]), int(value[5:7])
    if isinstance(year, str):
        published = year
        year = int(published[:4])
        if len(published) >= 10 and (month, day) > (int(published[5:7]), int(published[8:10])):
            year -= 1
    return iso(year, month, day) or value


def publication_date(text: str) -> str | None:
    """The date a page gives for itself near its top (发布日期:2010-11-30, 2025-08-22 22:24,
    2020年11月02日09:47, a Minguo date), as YYYY-MM-DD: the year that a day named without
    one (11月29日) belongs to."""
    head = text[:400]
    found = [d for d in find_dates(head) if len(d.value) >= 4 and d.value[:4].isdigit()]
    return found[0].value if found else None


def stated_year(text: str) -> str | None:
    """A year a sentence states for itself (在2016年全国…座谈会上), not one it aims at
    (2027年建成, 到2025年底)."""
    for m in re.finditer(r"(?<!\d)((?:19[5-9]|20\d)\d)\s*年(?![底末前后内初]|以来|以前|左右)", text):
        before, after = text[max(0, m.start() - 4):m.start()], text[m.end():m.end() + 4]
        if re.search(r"(计划|预计|力争|争取|将|到|至|于|截至|截止)$", before) or \
                re.match(r"(建成|完成|投产|竣工|实现|达到|达产|全面)", after):
            continue
        return m.group(1)
    return None
