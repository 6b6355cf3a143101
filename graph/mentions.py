"""Find mentions (spans with a type) in normalised text: organisations, places,
titles, people, money, dates, agreements, projects. Matching only; no facts here."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon
from .model import Mention
from .numbers import find_dates, find_money
from .segment import Token, tokens

HAN = re.compile(r"[\u3400-\u9fff]")
QUOTES = "“”‘’「」『』《》〈〉\"'"
PUNCT = set("，,。.;；:：!！?？、\n \t()（）[]【】") | set(QUOTES) | {"—", "…", "/", "|", "·"}
LEVELS = "省市县区州"
GOV_BODIES = ("人民政府", "人大常委会", "政府", "政协", "纪委", "委")
# a place with its level, as in 安平市 / 石门县; the place part is 2-4 Han characters
PLACE_LEVEL = re.compile(r"([\u4e00-\u9fff]{2,4}?)([省市县区州])")
DECLARED = re.compile(r"(?:以下简称|下称|简称|以下称)[:：]?[“\"「『]?([^”\"」』),，。:;]{1,20})")
QUOTED = re.compile(r"[“\"「『《]([^”\"」』》\n]{1,40})[”\"」』》]")
AGREEMENT_HEADS = ("框架协议", "协议书", "协议", "合同书", "合同", "备忘录", "意向书", "谅解备忘录", "框架协定", "协定")


class Hit:
    """Where a literal name occurs, with re.Match's start() and end()."""
    __slots__ = ("_start", "_end")

    def __init__(self, start: int, end: int):
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def occurrences(text: str, needle: str):
    """Non-overlapping occurrences of `needle`, as re.finditer(re.escape(needle)) gives them.
    str.find, because a pattern compiled per name per document overflowed re's cache and
    cost a seventh of the extraction time."""
    i, n = text.find(needle), len(needle)
    while i >= 0 and n:
        yield Hit(i, i + n)
        i = text.find(needle, i + n)



def is_han(ch: str) -> bool:
    return bool(ch) and "\u3400" <= ch <= "\u9fff"


@dataclass
class Scan:
    """Working state for one document: the text, its tokens, and mentions found so far."""
    text: str
    toks: list[Token] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    orgs: dict[tuple[int, int], str] = field(default_factory=dict)  # span -> rule
    aliases: dict[str, str] = field(default_factory=dict)  # short name -> full org name
    alias_rules: dict[str, str] = field(default_factory=dict)  # short name -> how it was found
    persons: dict[tuple[int, int], str] = field(default_factory=dict)
    titles: dict[tuple[int, int], str] = field(default_factory=dict)
    places: dict[tuple[int, int], str] = field(default_factory=dict)
    _indexes: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.toks = tokens(self.text)
        self.starts = [t.start for t in self.toks]

    def token_at(self, i: int) -> int:
        """Index of the token containing character i."""
        return max(0, bisect_right(self.starts, i) - 1)

    def span_index(self, kind: str, side: str) -> dict[int, int]:
        """{end: longest start} or {start: longest end} over the spans of `kind`; rebuilt
        when spans were added since (they only ever grow)."""
        spans = getattr(self, kind)
        cached = self._indexes.get((kind, side))
        if cached is None or cached[0] != len(spans):
            index: dict[int, int] = {}
            for (s, e) in spans:
                k, v = (e, s) if side == "end" else (s, e)
                if k not in index or (v < index[k] if side == "end" else v > index[k]):
                    index[k] = v
            cached = self._indexes[(kind, side)] = (len(spans), index)
        return cached[1]

    def covered(self, start: int, end: int, *kinds: dict) -> bool:
        return any(s < end and start < e for kind in kinds for (s, e) in kind)


# -- organisations -------------------------------------------------------------------

def _left_edge(scan: Scan, start: int, limit: int = 20, stop_verbs: bool = False) -> int:
    """Extend an organisation name leftwards from `start` over the tokens that can be
    part of a name; stop at punctuation, function words, titles and other verbs."""
    text = scan.text
    boundaries = lexicon.word_set("org_boundaries.txt")
    org_words = lexicon.word_set("org_words.txt")
    ti = scan.token_at(start)
    tok = scan.toks[ti]
    # the suffix may start inside a jieba token: its head belongs to the name unless it
    # is a function word
    edge = start
    if tok.start < start and tok.word[: start - tok.start] not in boundaries and is_han(tok.word[0]):
        edge = tok.start
    j = ti - 1
    while j >= 0 and start - scan.toks[j].start <= limit:
        t = scan.toks[j]
        if t.word == ")" or t.word == "(":
            # 长林(中国)投资有限公司: keep a short bracketed part inside the name
            if t.word == ")":
                k = j - 1
                while k >= 0 and scan.toks[k].word != "(" and j - k < 6:
                    k -= 1
                if k >= 0 and scan.toks[k].word == "(" and k > 0 and is_han(scan.toks[k - 1].word[-1]):
                    edge = scan.toks[k].start
                    j = k - 1
                    continue
            break
        if re.fullmatch(r"第[〇零一二三四五六七八九十百\d]+", t.word):
            edge = t.start  # 平川市第四人民医院: an ordinal inside the name
            j -= 1
            continue
        if not (is_han(t.word[0]) or t.word.isalnum() and t.flag == "eng"):
            break
        if t.word == "与" and _joins_nouns(scan, j) and \
                text[start:start + 4].startswith(("学院", "系", "研究所", "研究院", "实验室", "学会", "中心")):
            edge = t.start  # 经济与管理学院: 与 between two nouns inside a name
            j -= 1
            continue
        if t.word in org_words and t.word not in boundaries and not stop_verbs:
            edge = t.start  # 北岭高速集团: a word ordinary inside names, whatever jieba tags it
            j -= 1
            continue
        if t.word in boundaries or t.flag in ("title", "m", "t", "p", "c", "u", "uj", "r", "l", "i", "d"):
            break
        if t.word.endswith("公司") and t.end <= start:
            break  # 附属公司长林投资: a name never holds 公司 in its middle
        if any(t.start >= s and t.end <= e for (s, e) in scan.persons):
            break
        if stop_verbs and t.flag in ("v", "vn", "d", "a", "ad"):
            break
        if t.flag == "v" and len(t.word) >= 2 and t.word not in org_words:
            break  # 走出实验室, 收购北岭光电: a verb ends the name
        if t.end <= start and t.word.endswith(("厂", "商")) and len(t.word) >= 3:
            break  # 材料厂长林精密, 发电商北岭能源: a description before the name
        edge = t.start
        j -= 1
    # jieba may glue a function word to the name's first characters (仪式由安平大学):
    # cut after the last one when a plausible name remains
    head = text[edge:start]
    for k in range(len(head) - 1, -1, -1):
        if head[k] in "由向在将对及" and len(head) - k - 1 >= 2:
            return edge + k + 1
        if head[k] == "与" and len(head) - k - 1 >= 2 and not _joins_nouns(scan, scan.token_at(edge + k)):
            return edge + k + 1
    if len(head) >= 3 and head[0] in "和任于从":
        return edge + 1  # 和松亭区委, 任泊江市...: a glued function word or verb
    return edge


def _joins_nouns(scan: Scan, j: int) -> bool:
    """True where token j is 与 standing between two common nouns (科学与工程)."""
    toks = scan.toks
    if j <= 0 or j + 1 >= len(toks) or toks[j].word != "与":
        return False
    before, after = toks[j - 1], toks[j + 1]
    from .segment import pos_tokenizer
    freq = pos_tokenizer().tokenizer.FREQ
    common = all((freq.get(t.word) or 0) >= 200 and len(t.word) >= 2 and t.flag in ("n", "vn")
                 for t in (before, after))
    return common and not any(s <= before.start < e for (s, e) in scan.orgs)


def _starts_with_place(scan: Scan, start: int, end: int) -> bool:
    """True where text[start:end] opens with a place (安平市, 青岛) or a bare level (县)."""
    head = scan.toks[scan.token_at(start)]
    if head.start == start and (head.flag == "ns" or head.word in tuple(LEVELS)):
        return True
    if any(ps == start and pe <= end for (ps, pe) in scan.places):
        return True  # 溪口县, which jieba's model may tag as a name
    return bool(re.match(r"[\u4e00-\u9fff]{2,4}?[省市县州]|[\u4e00-\u9fff]{2,3}区(?=[\u4e00-\u9fff])",
                         scan.text[start:end])) and scan.token_at(start) != scan.token_at(end - 1)


def _common_stem(scan: Scan, start: int, end: int) -> bool:
    """True when text[start:end] is made only of everyday words (商业, 外资, 国内) with no
    name among them, so that 商业银行 is a kind of bank rather than a bank."""
    from .segment import pos_tokenizer
    if start >= end:
        return False
    freq = pos_tokenizer().tokenizer.FREQ
    if any(ps == start for (ps, pe) in scan.places):
        return False  # 石门市政府: a place's body, however ordinary the place's name
    for t in scan.toks[scan.token_at(start):]:
        if t.start >= end:
            break
        if t.flag in ("ns", "nr", "nrt", "nz", "nt", "eng", "x", "nrfg", "j") or (freq.get(t.word) or 0) < 200 \
                or len(t.word) == 1:
            return False
    return True


def _generic(name: str) -> bool:
    generic = lexicon.word_set("generic_orgs.txt")
    if name in generic:
        return True
    for w in ("该", "本", "其", "各", "这家", "一家", "两家", "新", "全资", "附属", "合资"):
        if name.startswith(w) and name[len(w):] in generic:
            return True
    return False


def find_orgs(scan: Scan) -> None:
    text = scan.text
    suffixes = lexicon.words("org_suffixes.txt")
    found: dict[tuple[int, int], str] = {}
    # by suffix
    for m in re.finditer("|".join(map(re.escape, suffixes)), text):
        s, e = m.start(), m.end()
        suffix = m.group()
        # prefer the longest suffix that ends here (集团 + 有限公司)
        start = _left_edge(scan, s)
        joined = re.search(r"(国家|中华人民共和国)[\u4e00-\u9fff]{1,6}和$", text[max(0, start - 14):start])
        if joined:
            start -= len(joined.group())  # 国家某某和某某委员会: 和 inside a state body's name
        if start >= s:
            continue
        name = text[start:e]
        if _generic(name) or _generic(name[: len(name) - len(suffix)]) or name.endswith("上市公司"):
            continue
        state = re.match(r"(国家|国务院|中华人民共和国|中央)[\u4e00-\u9fff]{2,12}(委|部|局|署|委员会)$", name)
        if _common_stem(scan, start, s) and not state:
            continue  # 商业银行, 外资银行, 信托公司: a kind of organisation, not a name
        if (len(suffix) == 1 or suffix in ("政府", "人民政府")) and not _starts_with_place(scan, start, s) \
                and not state:
            continue  # 局/部/厅 and 政府 only for bodies of a named place (安平市商务局) or of the state
        if len(suffix) == 1 and not state:
            tok = scan.toks[scan.token_at(s)]
            if tok.end != e or tok.flag == "v":
                continue  # 布局, 签署: the character belongs to another word
        if suffix in ("委", "党委", "党组", "纪委") and not re.search(r"[省市县区州]$|[省市县区州]委$", name[:-len(suffix)] or name):
            if suffix == "委" and not state:
                continue  # 国家卫生健康委: a commission of the state needs no place
        found[(start, e)] = "suffix"
    # bare government short forms: 市委, 市政府, 县政协 ...
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([省市县区州])(人民政府|政府|委|人大常委会|政协)", text):
        found.setdefault((m.start(), m.end()), "gov-short")
    for m in re.finditer(r"(?:(?<=[与和同、,。:;])|(?<=代表))([省市县区州])(人民政府|政府|委|人大常委会|政协)", text):
        found.setdefault((m.start(), m.end()), "gov-short")
    # a zone's bodies named alone: 党工委副书记、管委会主任
    for m in re.finditer(r"(?<![\u4e00-\u9fff])(管委会|党工委)|(?<=[与和同、,。:;])(管委会|党工委)", text):
        found.setdefault((m.start(), m.end()), "zone-short")
    # a listed company named by its stock code: 远帆科技(300659), 长林(股票代码:688001)
    for m in re.finditer(r"(?<=[\u4e00-\u9fff])\((?:股票代码|证券代码|股份代号|股票代号|代码)?[:：]?\s*\d{4,6}", text):
        start = _left_edge(scan, m.start(), limit=10)
        if 2 <= m.start() - start <= 10 and not _generic(text[start:m.start()]):
            found.setdefault((start, m.start()), "stock-code")
    # organisations jieba's dictionary knows (nt): 招商银行, 国务院
    for t in scan.toks:
        if t.flag == "nt" and len(t.word) >= 2 and not _generic(t.word) and t.word not in lexicon.titles() \
                and not re.search(r"(区|站|馆|堂|网站|网|信息)$", t.word):
            found.setdefault((t.start, t.end), "jieba")
    # widely known companies
    for name in lexicon.words("companies.txt"):
        for m in occurrences(text, name):
            found.setdefault((m.start(), m.end()), "lexicon")
    # 长林集团有限公司湖北分公司: a branch is named after its company
    for (s, e) in sorted(found):
        if text[s:e].endswith(("分公司", "分行", "办事处")):
            parent = next(((ps, pe) for (ps, pe) in found if pe == s and pe - ps >= 4), None)
            if parent:
                found[(parent[0], e)] = found.pop((s, e))
    # drop spans inside longer ones that end at the same place (keep 中国联通青岛研究院,
    # and 中国联通 inside it, since they start differently)
    spans = sorted(found, key=lambda se: (se[0], -(se[1] - se[0])))
    kept: dict[tuple[int, int], str] = {}
    ends: set[int] = set()
    for s, e in spans:  # sorted by start, so the first span to reach an end is the longest
        if e in ends:
            continue
        ends.add(e)
        kept[(s, e)] = found[(s, e)]
    scan.orgs.update(kept)
    _trade_names(scan)
    _references(scan)
    _declared_aliases(scan)
    _short_forms(scan)
    _all_occurrences(scan)


COMPANY_REFS = ("本公司", "该公司", "本集团", "该集团", "公司", "集团")
SELF_REFS = ("本院", "我院", "本校", "我校", "本县", "我县", "本市", "我市", "本省", "我省", "本区", "我区",
             "本州", "我州")


def _references(scan: Scan) -> None:
    """本公司, 该公司, 集团 standing alone refer to a company named before them; record the
    span (resolve.py decides which company) unless it is part of a longer name."""
    text = scan.text
    for m in re.finditer("|".join(COMPANY_REFS), text):
        span = (m.start(), m.end())
        if any(s <= span[0] and span[1] <= e for (s, e) in scan.orgs):
            continue
        if text[m.start() - 1:m.start()] in ("子", "资", "属", "分", "股", "母", "团") or \
                is_han(text[m.start() - 1:m.start()]) and m.group() in ("公司", "集团") and \
                text[m.start() - 1] not in "该本由与和及为,、。:;":
            continue  # 合资公司, 子公司: another company; 华为公司: part of a name
        scan.orgs[span] = "reference"
    # 本院, 我校, 我县: the speaker's own institution or place, standing alone
    for m in re.finditer(r"(?<![\u4e00-\u9fff])(?:本|我)(院|校|县|市|省|区|州)|(?<=[与和同、,。:;])(?:本|我)(院|校|县|市|省|区|州)",
                         text):
        span = (m.start(), m.end())
        if not any(s <= span[0] and span[1] <= e for (s, e) in scan.orgs):
            scan.orgs[span] = "reference"


def _declared_aliases(scan: Scan) -> None:
    """以下简称“X”, (“X”), 「X」 and (X) right after an organisation."""
    text = scan.text
    for (s, e) in sorted(scan.orgs):
        full = text[s:e]
        after = text[e:e + 80]
        if not after.startswith("("):
            continue
        close = after.find(")")
        inner = after[1:close] if close > 0 else after[1:60]
        m = DECLARED.search(inner) or re.search(r"[“\"「『]([^”\"」』]{2,12})[”\"」』]", inner)
        if m:
            scan.aliases[m.group(1)] = full
            scan.alias_rules[m.group(1)] = "declared"
        elif re.fullmatch(r"[\u4e00-\u9fff]{2,6}", inner or "") and inner[0] == full[0]:
            scan.aliases[inner] = full  # 长林科技大学(长林科大)
            scan.alias_rules[inner] = "bracketed"


_COMPANY_ENDINGS = ("株式会社", "私人有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "控股有限公司", "有限公司",
                    "集团公司", "公司")
_INDUSTRY = re.compile(r"(科技|新能源|能源|环保|物流|建设|投资|控股|实业|发展|智能|电子|信息|"
                       r"生物|医药|技术|网络|数据|材料|新材料|机器人|汽车|装备|半导体|集团|国际|化学|化工|精密|电子|光电)")


_TRADE = ("市政工程", "电子科技", "环保科技", "信息科技", "生物科技", "新材料", "新能源", "科技", "涂料", "化工",
          "电子", "光电", "能源", "环保", "实业", "材料", "建材", "水泥", "钢铁", "食品", "药业", "医药", "纺织",
          "机械", "电气", "电器", "置业", "地产", "物流", "贸易", "矿业", "冶金", "光伏", "汽车", "重工", "工程",
          "建设", "建工", "农业", "牧业", "茶业", "酒业", "包装", "塑业", "陶瓷", "玻璃", "纸业", "服饰", "家居")
_TRADE_RUN = re.compile("(?:%s)+" % "|".join(_TRADE))


def _trade_names(scan: Scan) -> None:
    """江苏长城市政工程, 苏州某某涂料: a place, a brand of two to four characters and trade
    words name a company even without 公司. The brand must be no word of the language."""
    text = scan.text
    for (ps, pe) in sorted(scan.places):
        for brand_len in (2, 3, 4):
            b = pe + brand_len
            brand = text[pe:b]
            if len(brand) < brand_len or not all(is_han(c) for c in brand) or _common_word(brand):
                continue
            if any(brand.startswith(w) for w in _TRADE) or re.search(r"[的了在与和是及市县区省]", brand):
                continue
            m = _TRADE_RUN.match(text, b)
            if not m:
                continue
            span = (ps, m.end())
            if not scan.covered(ps, m.end(), scan.orgs, scan.persons) and _place_led(scan, ps, pe):
                scan.orgs[span] = "trade-name"
            break


def _place_led(scan: Scan, ps: int, pe: int) -> bool:
    """The place opens a name: after punctuation or a function word, not inside a word."""
    before = scan.text[ps - 1:ps] if ps else ""
    return not before or not is_han(before) or before in "的与和及、由向对在"


def _short_forms(scan: Scan) -> None:
    """Undeclared short forms that the article uses: 长林云 for 长林云科技股份有限公司,
    北岭建设集团 for 北岭建设集团有限公司, 联通 for 中国联通."""
    text = scan.text
    fulls = {text[s:e] for (s, e) in scan.orgs}
    place_heads = _place_prefixes(scan)
    for full in sorted(fulls, key=lambda n: (-len(n), n)):
        if full.endswith(("分公司", "分行", "办事处")):
            continue  # a branch's short forms are its company's
        stem = full
        for ending in _COMPANY_ENDINGS:
            if stem.endswith(ending) and len(stem) > len(ending) + 1:
                stem = stem[: -len(ending)]
                break
        candidates = set()
        if stem != full:
            candidates.add(stem)
        if stem.endswith("集团") and len(stem) > 4:
            candidates.add(stem[:-2])
        # a place at the front is dropped in use: 香港长林物流集团 -> 长林物流
        head = _place_head(stem, place_heads)
        if head and stem != full and len(stem) - len(head) >= 3:
            stem = stem[len(head):]
            candidates.add(stem)
        # a brand at the front: 长林云科技 -> 长林云, 北岭环保科技集团 -> 北岭环保
        m = _INDUSTRY.search(stem, 2)
        if m and full.endswith(("公司", "集团", "会社")):
            candidates.add(stem[: m.start()])
            candidates.add(stem[: m.end()])
        if full.startswith("中国") and len(full) >= 4 and full in lexicon.words("companies.txt"):
            candidates.add(full[2:])
        if full.endswith("大学"):
            core = re.sub(r"^(国立|省立|市立|私立)", "", full[:-2])
            head = _place_head(core, place_heads)
            if head and len(core) - len(head) >= 2:
                core = core[len(head):]
            candidates.add(core[0] + "大")
        prefixes = set()
        if full.endswith(("公司", "集团", "会社")):
            # any front part of the name the article uses on its own: 拓峰重工 for
            # 拓峰重工机械有限公司; checked below for a clean right edge
            prefixes = {stem[:k] for k in range(3, len(stem))} - candidates
        for short in sorted(candidates | prefixes, key=lambda n: (-len(n), n)):
            if len(short) < 2 or short == full or short in scan.aliases or _generic(short):
                continue
            if len(short) == 2 and not full.startswith("中国") and not short.endswith("大"):
                continue
            if re.fullmatch(r"[\u4e00-\u9fff]{2,4}[省市县区]", short):
                continue  # a place, handled as government
            if short in prefixes and any(a.startswith(short) or short.startswith(a)
                                         for a, f in scan.aliases.items() if f == full):
                continue  # one short form per name is enough; keep the longest
            if _used_alone(scan, short, fulls, strict=short in prefixes):
                scan.aliases[short] = full
                scan.alias_rules[short] = "short-form"


_AFTER_NAME = set("将与和在的为向对已也还是于并及、,。:;")


def _place_prefixes(scan: Scan) -> tuple[str, ...]:
    """Place names of this text an organisation may start with, with and without the level
    (鹤原市, 鹤原); `_place_head` also tries the known places."""
    names = set()
    for (s, e) in list(scan.places):
        place = scan.text[s:e]
        names.add(place)
        if place[-1] in "省市县区州" and len(place) >= 3:
            names.add(place[:-1])
    return tuple(sorted(names, key=lambda w: (-len(w), w)))


def _place_head(name: str, local: tuple[str, ...]) -> str | None:
    """The longest place `name` opens with: one of this text's, or a known one."""
    found = [h for h in (lexicon.longest_at(name, 0, local), lexicon.longest_at(name, 0, _known_places())) if h]
    return max(found, key=len) if found else None


def _used_alone(scan: Scan, short: str, fulls: set[str], strict: bool = False) -> bool:
    """Whether `short` occurs outside the full names; `strict` also wants a clean right
    edge (punctuation, a title, a verb or particle) so that a mere front part does not count."""
    text = scan.text
    for m in occurrences(text, short):
        inside = any(text.startswith(f, m.start() - f.find(short)) for f in fulls
                     if short in f and f != short and m.start() - f.find(short) >= 0)
        if inside:
            continue
        if not strict:
            return True
        nxt = text[m.end():m.end() + 1]
        if not is_han(nxt) or nxt in _AFTER_NAME or \
                lexicon.longest_at(text, m.end(), lexicon.title_words()) or \
                lexicon.longest_at(text, m.end(), lexicon.words("name_followers.txt")):
            return True
    return False


def _all_occurrences(scan: Scan) -> None:
    """Every later occurrence of a known name or alias is a mention too."""
    text = scan.text
    names = {text[s:e] for (s, e) in scan.orgs} | set(scan.aliases)
    taken = [False] * (len(text) + 1)  # characters already inside an organisation
    for (s, e) in scan.orgs:
        for k in range(s, e):
            taken[k] = True
    for name in sorted(names, key=lambda n: (-len(n), n)):
        if len(name) < 2:
            continue
        for m in occurrences(text, name):
            if any(taken[m.start():m.end()]):
                continue  # inside or across a longer name
            scan.orgs[(m.start(), m.end())] = "repeat"
            for k in range(m.start(), m.end()):
                taken[k] = True


TITLE_SLOT_STOPS = re.compile(r"^(?:和|与|及|以及|由|在|对|向|为|是|的|了|及其|其|原|前|现任|时任|新任|兼任|担任|"
                              r"出任|会见|陪同|包括|邀请|感谢|欢迎|介绍|表示|指出|说|称)")


def _title_slot_orgs(scan: Scan) -> bool:
    """长林股份董事长钟山, 南旅投副总经理刘某: the words right before a post name the body it
    is held in, even with no ending that marks an organisation (a short name, a brand).
    Found here, then everywhere else the article uses them. Returns whether any was."""
    text = scan.text
    found = False
    for (ts, te), title in sorted(scan.titles.items()):
        if lexicon.titles().get(title, "-") != "-" or title in ("委员", "主任", "主席", "书记", "副书记", "常委"):
            continue  # 市长, 县委书记: the place says whose; a committee's post needs its committee
        if scan.span_index("orgs", "end").get(ts) is not None or scan.span_index("places", "end").get(ts) is not None \
                or scan.span_index("titles", "end").get(ts) is not None:
            continue
        start = _left_edge(scan, ts, limit=10)
        cand = text[start:ts]
        stop = TITLE_SLOT_STOPS.match(cand)
        if stop:
            start, cand = start + stop.end(), cand[stop.end():]
        if not 2 <= len(cand) <= 10 or not is_han(cand[0]) and not cand[0].isalpha():
            continue
        if cand[-1] in LEVELS or _generic(cand) or _common_word(cand) or _common_stem(scan, start, ts):
            continue
        if scan.covered(start, ts, scan.persons, scan.titles) or \
                any(s <= start and ts <= e for (s, e) in scan.places):
            continue
        if re.search(r"[的了是在]|记者|通讯员|领导|有关|相关|参加|与$", cand) or _name_like_tail(cand) or \
                re.match(r"(%s)[\u4e00-\u9fff]{2,3}$" % "|".join(COMPANY_REFS), cand) and \
                lexicon.longest_at(cand, len(re.match("|".join(COMPANY_REFS), cand).group()), lexicon.surnames()):
            continue  # 方明副总经理, 集团钟远山董事长: a name before its title
        scan.orgs[(start, ts)] = "before-title"
        found = True
    if found:
        _all_occurrences(scan)
    return found


_NAME_ENDS = ("医院", "大学", "学院", "公司", "集团", "政府", "委员会", "协会", "局", "厅", "院", "所", "中心")


INVESTOR_SLOT = re.compile(r"(?:^|(?<=[,。;、:\n]))([\u4e00-\u9fff]{2,8}?)(?:也|亦|还|将|拟|已|则|再)?(?:申请)?"
                           r"(?:以|汇出|斥资|出资|拟投资|投资|签署(?:了)?(?:高达|总额|金额|价值)?)"
                           r"(?=约|逾|超过|近|[\d一二三四五六七八九十两])")


REPRESENTED = re.compile(r"代表([\u4e00-\u9fffA-Za-z]{2,12}?)(?=与|和|同|分别|签|在|,)")
# each slot: (pattern whose group 1 is the candidate, words that may open it and are dropped,
# what the candidate may not be as a whole, what it may not hold)
SLOTS = {
    # 长宇以7.96亿美元参股, 北泥汇出1650万美元增资: who opens a clause and spends a sum
    "investor-slot": (INVESTOR_SLOT, r"除了|除|包括|其中|另外|此外|而|但|同时",
                      r"[其该本此我他她它这那各每双两]|公司|集团|企业|项目|政府|双方|总|共|累计|计划|预计|其中",
                      r"[的了是在年月日]|总$|协议|合同|涉及"),
    # 余某代表长林水泥与县政府签约: whom a signer represents
    "represented": (REPRESENTED, None, r"(双方|各方|三方|多方|[\u4e00-\u9fff]方|公司|集团|政府|企业|单位)$",
                    r"[的了是]|两国|双方|各国|两地|^[在于与和向对]"),
}


def _slot_orgs(scan: Scan) -> bool:
    """Organisations named where only an organisation can stand (SLOTS), with or without an
    ending that marks one; then everywhere else the article uses them. Returns whether any
    was found."""
    text = scan.text
    found = False
    for rule, (pattern, lead_words, not_whole, not_inside) in SLOTS.items():
        for m in pattern.finditer(text):
            s, e = m.span(1)
            cand = m.group(1)
            lead = re.match(lead_words, cand) if lead_words else None
            if lead:
                s, cand = s + lead.end(), cand[lead.end():]
            if scan.covered(s, e, scan.orgs, scan.persons, scan.titles, scan.places) or \
                    re.match(not_whole, cand) or re.search(not_inside, cand) or _generic(cand) or \
                    _common_word(cand) or _common_stem(scan, s, e):
                continue
            scan.orgs[(s, e)] = rule
            found = True
    if found:
        _all_occurrences(scan)
    return found


def _name_like_tail(cand: str) -> bool:
    """Whether a candidate ends in what reads as a personal name: a surname and one or two
    characters that are not a word of the language (长林 is a name only when jieba has no
    word for it)."""
    from .segment import pos_tokenizer
    tagger = pos_tokenizer()
    for k in (2, 3):
        tail = cand[-k:]
        if len(cand) >= k and lexicon.longest_at(tail, 0, lexicon.surnames()) and not _common_word(tail):
            freq = tagger.tokenizer.FREQ
            org_like = tail[1:] in lexicon.word_set("org_words.txt") or tail[1:].endswith(lexicon.words("org_suffixes.txt"))
            rare = (freq.get(tail) or 0) < 50 and not (k == 3 and org_like) or \
                tagger.word_tag_tab.get(tail, "").startswith("nr")
            if rare and (len(cand) == k or k == 3 or cand[:-k].endswith(_NAME_ENDS)):
                return True  # 何晓林, 集团钟远山, 第四人民医院方峰
    return False


# -- places and governments ------------------------------------------------------------

def find_places(scan: Scan) -> None:
    """Places with a level (安平市, 石门县) and known places (青岛, 湖北)."""
    text = scan.text
    known = lexicon.places()
    for m in re.finditer(r"[省市县区州]", text):
        span = _place_span(scan, m.start())
        if span is None:
            continue
        nxt = text[m.end():m.end() + 3]
        if m.group() == "区" and not re.match(r"委|政府|人民政府|长|副区长|人大|政协", nxt):
            continue  # 华东区, 产业开发区: regions and zones, not administrative places
        if nxt[:1] in ("场", "民", "值", "级", "内", "直", "面"):
            continue
        if m.group() == "市" and nxt[:1] == "政" and not nxt.startswith("政府"):
            continue  # 市政工程: municipal works, not a city
        if not scan.covered(*span, scan.persons, scan.titles):
            scan.places[span] = "level"
    names = _known_places()
    for i, ch in enumerate(text):  # the longest known name at each position: thousands of names, one pass
        if not is_han(ch):
            continue
        name = lexicon.longest_at(text, i, names)
        if name:
            span = (i, i + len(name))
            if not any(s <= span[0] and span[1] <= e for (s, e) in scan.places):
                scan.places[span] = "lexicon"


@lru_cache(maxsize=1)
def _known_places() -> tuple[str, ...]:
    return tuple(sorted(lexicon.places(), key=lambda w: (-len(w), w)))


def _place_span(scan: Scan, level_at: int) -> tuple[int, int] | None:
    """安平市: the two to four characters before a level character that can be a name."""
    start = _left_edge(scan, level_at, limit=4, stop_verbs=True)
    if 2 <= level_at - start <= 4 and all(is_han(c) for c in scan.text[start:level_at]) \
            and not scan.text[start:level_at + 1].endswith("城市"):
        return (start, level_at + 1)
    return None


def main_places(scan: Scan) -> dict[str, str]:
    """The place in context for each level: 市 -> 安平市 (the most mentioned)."""
    counts: dict[str, dict[str, int]] = {}
    for (s, e) in scan.places:
        if any(os_ <= s and e <= oe and (os_, oe) != (s, e) and oe - os_ > e - s + 3 for (os_, oe) in scan.orgs):
            continue  # 安平 inside 安平港务集团 says where a company is from, not where we are
        name = scan.text[s:e]
        level = name[-1] if name[-1] in LEVELS else lexicon.places().get(name, "")[:1]
        if level:
            full = name if name[-1] in LEVELS else name + level
            counts.setdefault(level, {}).setdefault(full, 0)
            counts[level][full] += 1
    return {lv: max(c.items(), key=lambda kv: (kv[1], -len(kv[0])))[0] for lv, c in counts.items()}


# -- titles and people -----------------------------------------------------------------

def find_titles(scan: Scan) -> None:
    text = scan.text
    words = lexicon.title_words()
    i = 0
    while i < len(text):
        w = lexicon.longest_at(text, i, words)
        if w and not any(s <= i < e for (s, e) in scan.orgs):
            scan.titles[(i, i + len(w))] = w
            i += len(w)
        else:
            i += 1


def _starts_boundary(scan: Scan, i: int) -> bool:
    text = scan.text
    if i >= len(text) or not is_han(text[i]):
        return True
    if any(s == i for (s, e) in scan.titles) or any(s == i for (s, e) in scan.orgs):
        return True
    return lexicon.longest_at(text, i, lexicon.words("name_followers.txt")) is not None


def _hard_boundary(scan: Scan, i: int) -> bool:
    text = scan.text
    return i >= len(text) or not is_han(text[i]) or any(s == i for (s, e) in scan.titles)


def _verb_follows(scan: Scan, i: int) -> bool:
    """一行, 主持, 出席 ... but not a conjunction or another name: 王立和一行 vs 王立与长林."""
    w = lexicon.longest_at(scan.text, i, lexicon.words("name_followers.txt"))
    return bool(w) and w not in ("与", "和", "同", "及", "跟", "在", "对", "为", "向")


DOTTED = re.compile(r"[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,8})+")


def dotted_name_at(scan: Scan, i: int) -> str | None:
    """约翰·史密斯: parts joined by a middle dot; the last part ends at a boundary."""
    m = DOTTED.match(scan.text, i)
    if not m:
        return None
    head, *rest = m.group().split("·")
    last = rest[-1]
    base = m.end() - len(last)
    for k in range(1, len(last) + 1):
        if k >= 2 and _starts_boundary(scan, base + k):
            last = last[:k]
            break
    return "·".join([head, *rest[:-1], last])


def _dotted_names(scan: Scan) -> set[str]:
    out = set()
    for m in DOTTED.finditer(scan.text):
        head = m.group().split("·")[0]
        # 何明与约翰·史密斯: the first part starts after the last follower word
        stops = ("与", "和", "、", "及", "同", "由") + lexicon.title_words()
        cut = max((head.rfind(w) + len(w) for w in stops if w in head), default=0)
        cut = max([cut] + [head.rfind(t[-1]) + 1 for t in lexicon.title_words()
                           if len(t) >= 2 and t[-1] == "官" and t[-1] in head])
        name = dotted_name_at(scan, m.start() + cut)
        if name and len(name.split("·")[0]) >= 1:
            out.add(name)
    return out


def name_at(scan: Scan, i: int, known: set[str]) -> str | None:
    """A personal name starting at i: a surname, then one or two given-name characters."""
    text = scan.text
    for name in sorted(known, key=lambda n: (-len(n), n)):
        if text.startswith(name, i) and _starts_boundary(scan, i + len(name)):
            return name
    dotted = dotted_name_at(scan, i)
    if dotted:
        return dotted
    sur = lexicon.longest_at(text, i, lexicon.surnames())
    if not sur:
        return None
    j = i + len(sur)
    if j >= len(text) or _hard_boundary(scan, j) or any(s == j for (s, e) in scan.orgs):
        return None
    if _starts_boundary(scan, j + 1):
        # 王立和出席: a follower word (和) may be the name's last character
        if text[j + 1:j + 2] in ("和", "与", "同", "及") and len(sur) == 1 and (
                _hard_boundary(scan, j + 2) or _verb_follows(scan, j + 2)):
            return text[i:j + 2]
        return text[i:j + 1]
    if _starts_boundary(scan, j + 2) or len(sur) == 2:
        return text[i:j + 2]
    # a longer run of Han characters: let jieba's word boundary decide
    ti = scan.token_at(i)
    tok = scan.toks[ti]
    if tok.start == i and 2 <= len(tok.word) <= 3 and tok.flag.startswith("nr"):
        return tok.word
    return text[i:j + 2]


def find_people(scan: Scan) -> None:
    text = scan.text
    known: set[str] = set()
    honorifics = lexicon.words("honorifics.txt")
    for _ in range(2):  # a second pass sees the names the first one learnt
        for (ts, te) in sorted(scan.titles):
            h = lexicon.longest_at(text, te, honorifics)
            name = name_at(scan, te + len(h or ""), known)
            if name:
                known.add(name)
            # name before title: 长林集团何晓林董事长, 何明校长
            for length in (4, 3, 2):
                s = ts - length
                if s < 0:
                    continue
                cand = text[s:ts]
                before_ok = s == 0 or text[s - 1] in PUNCT or any(e == s for (_, e) in scan.orgs) \
                    or any(e == s for (_, e) in scan.places)
                if (s, ts) in scan.places:
                    continue  # 徐州市长: the city and its mayor, not a Mr 徐州
                if before_ok and name_at(scan, s, known) == cand:
                    known.add(cand)
                    break
        known |= _dotted_names(scan)
    known |= _tagged_names(scan)
    known |= _listed_names(scan)
    known = {k for k in known if not _bad_name(k)}
    # foreign names are later called by their last part: 史密斯
    short = {k.split("·")[-1]: k for k in known if "·" in k and len(k.split("·")[-1]) >= 2}
    known -= set(short)
    for name in sorted(known | set(short), key=lambda n: (-len(n), n)):  # ties in a fixed order
        for m in occurrences(text, name):
            span = (m.start(), m.end())
            if scan.covered(*span, scan.persons, scan.orgs, scan.titles):
                continue
            scan.persons[span] = short.get(name, name)
    _title_references(scan)


LIST_INTRO = re.compile(r"(?:领导|领导同志|嘉宾|负责人|主要领导)(?=[\u4e00-\u9fff])")


def _listed_names(scan: Scan) -> set[str]:
    """市领导葛甲、方乙、左丙出席: names listed after 领导 (or 嘉宾) carry no title of their
    own; each item is a surname and one or two characters, up to the list's end."""
    text = scan.text
    out = set()
    for m in LIST_INTRO.finditer(text):
        i, items = m.end(), []
        while True:
            item = re.match(r"[\u4e00-\u9fff]{2,4}?(?=[、,。;]|及|和|等|出席|参加|陪同|见证|$)", text[i:i + 6])
            if not item:
                break
            name = item.group()
            sur = lexicon.longest_at(name, 0, lexicon.surnames())
            if not sur or not 1 <= len(name) - len(sur) <= 2 or _common_word(name) or _bad_name(name):
                break
            items.append(name)
            i += len(name)
            if text[i:i + 1] != "、":
                break
            i += 1
        if len(items) >= 2 or items and re.match(r"(出席|参加|陪同|见证)", text[i:i + 2]):
            out.update(items)
    return out


def _tagged_names(scan: Scan) -> set[str]:
    """Names jieba's model tags as people (nr), where the shape is a Chinese name: a
    surname then one or two characters, and the word is not also a common noun."""
    from .segment import pos_tokenizer
    freq = pos_tokenizer().tokenizer.FREQ
    out = set()
    for k, t in enumerate(scan.toks):
        if t.flag not in ("nr", "nrfg") or not 2 <= len(t.word) <= 4:
            continue
        # jieba's dictionary tags many common words nr (师生, 康复): trust the tag only for
        # words its model found (not in the dictionary) or rare three-character entries
        known = freq.get(t.word) or 0
        if known and not (len(t.word) == 3 and known < 30):
            continue
        sur = lexicon.longest_at(t.word, 0, lexicon.surnames())
        if not sur or len(t.word) - len(sur) not in (1, 2):
            continue
        if scan.covered(t.start, t.end, scan.orgs, scan.titles, scan.places):
            continue
        right = _hard_boundary(scan, t.end) or _verb_follows(scan, t.end)
        prev = scan.toks[k - 1] if k else None
        left = prev is None or not is_han(prev.word[-1]) or prev.flag in (
            "v", "p", "c", "u", "uj", "d", "r", "m", "title", "f", "ul") or \
            any(e == t.start for (_, e) in scan.titles)
        if not (right or (left and len(t.word) == 3)):
            continue  # a name has a clear edge: punctuation, a title, a verb, a particle
        out.add(t.word)
    return out


def _title_references(scan: Scan) -> None:
    """王书记, 李董事长: a surname and a title standing for a person named before with both."""
    text = scan.text
    full = set(scan.persons.values())
    for (ts, te), title in list(scan.titles.items()):
        if ts == 0 or scan.covered(ts - 1, ts, scan.persons, scan.orgs):
            continue
        sur = text[ts - 1]
        if ts >= 2 and is_han(text[ts - 2]) and text[ts - 2] not in "、与和及,。":
            continue
        holders = [p for p in full if p.startswith(sur) and "·" not in p and
                   re.search(re.escape(title) + re.escape(p) + "|" + re.escape(p) + re.escape(title), text)]
        if len(holders) == 1:
            scan.persons[(ts - 1, te)] = holders[0]


def _bad_name(name: str) -> bool:
    if name.endswith(("委", "会", "局", "部", "厅", "处")) and "·" not in name:
        return True
    if _common_word(name):
        return True  # 常务, 相关, 公司: words of the language, not names
    return (any(w in name for w in ("市", "县", "省", "区")) and "·" not in name) or \
        any(name.startswith(p) and len(name) - len(p) >= 2 for p in ("该", "本"))


def _common_word(name: str) -> bool:
    """A word jieba's dictionary knows as something other than a name, and knows well."""
    from .segment import pos_tokenizer
    tagger = pos_tokenizer()
    freq = tagger.tokenizer.FREQ.get(name) or 0
    flag = tagger.word_tag_tab.get(name, "")
    return freq >= 300 and not flag.startswith("nr")


# -- agreements, projects, money and dates --------------------------------------------

def find_agreements(text: str) -> list[Mention]:
    """Agreement names: 《X协议》, or the noun phrase between a signing verb and its head."""
    out = []
    heads = "|".join(AGREEMENT_HEADS)
    for m in re.finditer(r"《([^》]{2,40}?(?:%s))》" % heads, text):
        out.append(Mention(m.start(1), m.end(1), "Agreement", m.group(1), "quoted"))
    for m in re.finditer(r"(?:签署|签订|签约|签下|签定|签署了|签订了)(?:了)?([^,。;、《》\n]{0,30}?(?:%s))" % heads, text):
        s = m.start(1)
        if any(x.start <= s < x.end + 1 for x in out):
            continue
        name = m.group(1)
        out.append(Mention(s, m.end(1), "Agreement", name, "verb"))
    # the name before the verb: 举行战略合作协议签约仪式, 在合作协定上签字
    for m in re.finditer(r"([^,。;、《》\n]{2,30}?(?:%s))(?:上)?(?:签约|签字|签署|签订)" % heads, text):
        s, e = m.start(1), m.end(1)
        if any(x.start < e and s < x.end for x in out):
            continue
        cut = max((m.group(1).rfind(w) + len(w) for w in ("举行了", "举行", "在", "了", "与", "和", "的")
                   if w in m.group(1)[:-2]), default=0)
        out.append(Mention(s + cut, e, "Agreement", m.group(1)[cut:], "before-verb"))
    return out


PROJECT_VERBS = r"(?:投资建设|规划建设|投资兴建|共同建设|共同成立|联合成立|建设|建成|打造|共建|新建|设立|兴建|建立|组建|成立|落地|实施|推进)"
LIST_ITEM = re.compile(r"(?:^|\n)\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])\s*([^,。:;\n]{4,40}?)[。:;,\n]")


def find_projects(scan: Scan) -> list[Mention]:
    """Named undertakings: quoted names, what is built (建设X基地), list headings
    (一、X项目。) and the project an agreement is named after (X项目投资协议)."""
    text = scan.text
    suffixes = lexicon.words("project_suffixes.txt")
    out = []
    for m in QUOTED.finditer(text):
        inner = m.group(1)
        after = text[m.end():m.end() + 2]
        before = text[max(0, m.start() - 6):m.start()]
        if (inner.endswith(suffixes) and (re.search(PROJECT_VERBS + "$", before) or after in ("建设", "项目")
                                          or _proper_start(scan, m.start(1)))) \
                or after in ("建设", "工程", "项目"):
            if not inner.endswith(AGREEMENT_HEADS) and len(inner) >= 2:
                out.append(Mention(m.start(1), m.end(1), "Project", inner, "quoted"))
    ends = "|".join(map(re.escape, suffixes))
    for m in re.finditer(PROJECT_VERBS + r"(?:了)?([^,。;、“”「」《》\n]{3,24}?(?:%s))(?=[,。;、\n]|$|建设|等|并|及|和)" % ends, text):
        _add_named(scan, out, m.start(1), m.group(1), "verb")
    for m in LIST_ITEM.finditer(text):
        if m.group(1).endswith(suffixes):
            _add_named(scan, out, m.start(1), m.group(1), "list")
    for m in re.finditer(r"(?:签署|签订|签约|《)([^,。;、“”「」《》\n]{3,30}?项目)(?:投资|合作|建设)?(?:协议|合同)", text):
        _add_named(scan, out, m.start(1), m.group(1), "agreement-name")
    return out


def _add_named(scan: Scan, out: list[Mention], start: int, name: str, rule: str) -> None:
    """Keep a candidate project name that starts like a name, trimmed of a description."""
    trimmed = re.sub(r"^(一个|一座|一批|规模为[^的]+的|年产[^的]+的|总规划[^的]+的|了|签署|签订|《)", "", name)
    trimmed = re.sub("^" + PROJECT_VERBS, "", trimmed)
    if trimmed.endswith("项目") and trimmed[:-2].endswith(lexicon.words("project_suffixes.txt")):
        trimmed = trimmed[:-2]  # 物流基地项目 is the 物流基地
    start += len(name) - len(trimmed)
    if len(trimmed) < 4 or re.search(r"\d", trimmed[:2]) or "的" in trimmed:
        return
    if lexicon.longest_at(trimmed, 0, lexicon.words("project_generic_heads.txt")):
        return
    if rule != "list" and not _proper_start(scan, start):
        return
    if trimmed.endswith("研究院") and not re.search(r"联合|共建", scan.text[max(0, start - 4):start] + trimmed):
        return  # an institute is an organisation unless the parties set it up together
    if not any(x.start == start and x.end == start + len(trimmed) for x in out):
        out.append(Mention(start, start + len(trimmed), "Project", trimmed, rule))


def _proper_start(scan: Scan, i: int) -> bool:
    """A name opens with a proper noun: a place, an organisation, or a word jieba does not
    know; 智能制造研发中心 opens with an ordinary word and needs quotes to count."""
    from .segment import pos_tokenizer
    if any(s <= i < e for (s, e) in list(scan.orgs) + list(scan.places)):
        return True
    tok = scan.toks[scan.token_at(i)]
    if tok.flag in ("ns", "nr", "nrt", "nz", "nt", "eng", "x", "j"):
        return True
    return not pos_tokenizer().tokenizer.FREQ.get(tok.word)


def find_all(text: str) -> tuple[Scan, list[Mention]]:
    scan = Scan(text)
    # places first (organisation names start with them), with titles known so that 副市长
    # is not read as a place; titles are found again once organisations are known
    find_titles(scan)
    find_places(scan)
    scan.titles.clear()
    find_orgs(scan)
    find_titles(scan)
    if _title_slot_orgs(scan) | _slot_orgs(scan):
        scan.titles.clear()
        find_titles(scan)
    find_people(scan)
    mentions = [Mention(s, e, "Organization", text[s:e], r) for (s, e), r in scan.orgs.items()]
    mentions += [Mention(s, e, "Person", scan.persons[(s, e)], "title") for (s, e) in scan.persons]
    mentions += [Mention(s, e, "Title", w, "lexicon") for (s, e), w in scan.titles.items()]
    mentions += [Mention(s, e, "Place", text[s:e], r) for (s, e), r in scan.places.items()]
    projects = find_projects(scan)
    # a joint institute or lab the parties set up is a project, not an organisation
    made = {(p.start, p.end) for p in projects if p.rule != "quoted" and
            re.search(r"联合|产业学院|实验室", p.text)}
    mentions = [m for m in mentions if not (m.type == "Organization" and (m.start, m.end) in made)]
    mentions += find_agreements(text) + projects
    mentions += [Mention(m.start, m.end, "Money", m.text, f"{m.amount} {m.currency}")
                 for m in find_money(text)]
    mentions += [Mention(d.start, d.end, "Date", d.value, d.kind) for d in find_dates(text)]
    return scan, sorted(mentions, key=lambda m: (m.start, -m.end))
