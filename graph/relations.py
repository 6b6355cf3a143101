"""From mentions to facts: positions held, signings (parties, signers, attendees),
investments. Rules read the sentence around the mentions; each fact names its rule."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from . import lexicon
from .mentions import COMPANY_REFS, LEVELS, Scan

COMPANY_ENDS = ("公司", "集团", "会社")
from .model import Investment, Mention, Position, Signer, Signing, Span
from .numbers import find_dates, find_money, stated_year, with_year

SENTENCE_END = re.compile(r"[。!?;\n]")
SIGN_VERB = re.compile(r"签署|签订|签约|签字|签下|订立|签定")
FUTURE = re.compile(r"(将于|将在|拟于|拟|计划于|计划|有望|即将|将要|准备|尚未|未能|将)[^,。]{0,12}$")
ATTEND_VERB = re.compile(r"出席|见证|参加|主持|到场|主礼|在场|列席|共同见证")
INVEST_VERB = re.compile(r"(?<!总)(?<!融资)(投资|投入|增资|出资|领投|跟投|追加投资|注资|认购|投建)")
NOT_INVEST = re.compile(r"营收|营业收入|收入|产值|利润|净利|市值|估值|注册资本|销售额|总额|生产总值|融资|"
                        r"实际利用外资|合同外资")


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.end() - start > 1:
            out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


@dataclass
class Context:
    """What relation rules need to know about one document."""
    scan: Scan
    mentions: list[Mention]
    canon: dict[str, str]  # surface org name -> canonical org name
    places: dict[str, str]  # level -> main place (安平市)
    year: str | None  # the article's date (or year), for days named without a year

    @property
    def text(self) -> str:
        return self.scan.text

    @cached_property
    def _by_type(self) -> dict[str, tuple[list[int], list[Mention]]]:
        groups: dict[str, list[Mention]] = {}
        for m in sorted(self.mentions, key=lambda m: (m.start, m.end)):
            groups.setdefault(m.type, []).append(m)
        return {t: ([m.start for m in ms], ms) for t, ms in groups.items()}

    def within(self, start: int, end: int, type_: str) -> list[Mention]:
        """Mentions of a type lying inside text[start:end] (binary search: long texts stay fast)."""
        starts, ms = self._by_type.get(type_, ([], []))
        out = []
        for k in range(bisect_left(starts, start), bisect_left(starts, end)):
            if ms[k].end <= end:
                out.append(ms[k])
        return out

    @cached_property
    def org_spans(self) -> list[tuple[int, int]]:
        return sorted((m.start, m.end) for m in self.mentions if m.type == "Organization")

    def org_name(self, surface: str) -> str:
        return self.canon.get(surface, surface)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])


# -- organisations named by place and level ------------------------------------------

def gov_name(surface: str, places: dict[str, str]) -> str | None:
    """The canonical name of a government body or of a place standing for one."""
    m = re.fullmatch(r"(中共)?([\u4e00-\u9fff]{0,6}?)([省市县区州])(人民政府|政府|委|人大常委会|政协)?", surface)
    known = lexicon.places()
    if not m:
        if surface in known and known[surface] in ("市", "省"):
            return surface + known[surface] + "人民政府"
        return None
    _, place, level, body = m.groups()
    if level == "州" and len(place) == 1:  # 徐州, 苏州: cities (prefectures have longer names: 恩施州)
        place, level = place + "州", "市"
    if level == "区" and re.search(r"(经开|高新|开发|保税|自贸|工业|产业|园|新)$", place):
        return None  # 经开区, 高新区: development zones, not governments
    if not place:
        place = places.get(level, "")[:-1] if places.get(level) else ""
        if not place:
            return None
    if body in (None, "人民政府", "政府"):
        return f"{place}{level}人民政府"
    return f"{place}{level}{body}"


def _same_place(title: str, before: str | None, places: dict[str, str]) -> str | None:
    """鹤原市委常委、副市长: a government post named after a body of a place is held in that
    place's government (鹤原市人民政府), not in the article's main city."""
    kind = lexicon.titles().get(title, "-")
    if not before or not kind.startswith("gov:"):
        return None
    level = kind[4:]
    m = re.match(r"(?:中共)?([\u4e00-\u9fff]{2,8}?" + level + ")", before)
    if m:
        return gov_name(m.group(1), places)
    if re.fullmatch(r"(?:中共)?" + level + "委", before):  # 州委副书记、州长: the 州's government
        return gov_name(level + "政府", places) or level + "政府"
    return None


def implied_org(title: str, places: dict[str, str]) -> str | None:
    kind = lexicon.titles().get(title, "-")
    if kind.startswith("gov:"):
        level = kind[4:]
        if places.get(level):
            return places[level] + "人民政府" if places[level].endswith(level) else None
    return None


def politburo(title: str, org: str) -> str:
    """A post named after a body inside the organisation written before it (the Politburo's
    委员, written 政治局委员 after 中共中央) is held in that body."""
    body = re.match(r"政治局", title)
    if body and org in ("中共中央", "中央", "中共"):
        return "中共中央" + body.group()
    return org


def committee_title(title: str, surface: str | None, org: str) -> str:
    """书记 of 安平市委 is written 市委书记; 常委 of it 市委常委 (the form the press uses)."""
    if title not in ("书记", "副书记", "常委", "常务副书记"):
        return title
    for body in ("党工委", "党委", "党组"):
        if org.endswith(body):
            return body + title
    m = re.search(r"([省市县区州])委$", org)
    if m:
        return m.group(1) + "委" + title
    return title


# -- positions ---------------------------------------------------------------------------

def _ending_at(scan: Scan, kind: str, i: int) -> tuple[int, int] | None:
    """The longest span of `kind` (orgs, titles, places) ending at i."""
    s = scan.span_index(kind, "end").get(i)
    return (s, i) if s is not None else None


def _starting_at(scan: Scan, kind: str, i: int) -> tuple[int, int] | None:
    """The longest span of `kind` starting at i."""
    e = scan.span_index(kind, "start").get(i)
    return (i, e) if e is not None else None


def _org_ending_at(ctx: Context, i: int) -> tuple[tuple[int, int], str] | None:
    span = _ending_at(ctx.scan, "orgs", i)
    if span:
        return span, ctx.text[span[0]:span[1]]
    span = _ending_at(ctx.scan, "places", i)
    if span:
        return span, ctx.text[span[0]:span[1]]
    return None


def _resolve_org(ctx: Context, surface: str, at: int | None = None) -> str:
    if surface in COMPANY_REFS and at is not None and not surface.startswith("本"):
        # 该公司, 公司: the company named last before this point
        before = [m for m in ctx.mentions if m.type == "Organization" and m.end <= at
                  and m.text not in COMPANY_REFS and ctx.org_name(m.text).endswith(COMPANY_ENDS)]
        if before:
            return ctx.org_name(before[-1].text)
    return _resolve_surface(ctx, surface)


def _committee_name(surface: str) -> str:
    """平川区区委 is 平川区委: the level written twice."""
    return re.sub(r"([省市县区州])\1委$", r"\1委", surface)


def _resolve_surface(ctx: Context, surface: str) -> str:
    surface = _committee_name(surface)
    gov = gov_name(surface, ctx.places)
    if gov and (surface not in ctx.canon or surface[-1] in LEVELS or surface.endswith(("政府", "委"))):
        return gov
    return ctx.org_name(surface)


def _title_chain_left(ctx: Context, i: int) -> tuple[list[tuple[str | None, list[str]]], int]:
    """Segments [ORG] TITLE(兼TITLE)* (、 segment)* ending at i: 市委副书记、市长 -> two."""
    text, segments = ctx.text, []
    while True:
        titles = []
        while True:
            span = _ending_at(ctx.scan, "titles", i)
            if not span:
                break
            titles.insert(0, ctx.scan.titles[span])
            i = span[0]
            if i > 0 and text[i - 1] in "兼" and _ending_at(ctx.scan, "titles", i - 1):
                i -= 1
        if not titles:
            break
        org = _org_ending_at(ctx, i)
        if org:
            i = org[0][0]
        segments.insert(0, ((org[1], org[0][0]) if org else None, titles))
        if i > 0 and text[i - 1] == "、" and _ending_at(ctx.scan, "titles", i - 1):
            i -= 1
            continue
        if org and i > 0 and text[i - 1] == "," and _ending_at(ctx.scan, "titles", i - 1) and \
                _org_led(ctx, i - 1):
            i -= 1  # 甲公司总经理、党组成员,乙公司总经理某某: one person's posts in two bodies
            continue
        break
    return segments, i


def _org_led(ctx: Context, i: int) -> bool:
    """Whether the post chain ending at i begins with an organisation (and so is not the
    tail of another person's phrase: 市委书记某某,市长某某 has a name before its comma)."""
    while True:
        span = _ending_at(ctx.scan, "titles", i)
        if not span:
            return _org_ending_at(ctx, i) is not None
        i = span[0]
        if i > 0 and ctx.text[i - 1] in "、兼" and _ending_at(ctx.scan, "titles", i - 1):
            i -= 1


def _title_chain_right(ctx: Context, i: int) -> list[str]:
    titles = []
    while True:
        span = _starting_at(ctx.scan, "titles", i)
        if not span:
            break
        titles.append(ctx.scan.titles[span])
        i = span[1]
        if ctx.text[i:i + 1] in ("兼", "、") and _starting_at(ctx.scan, "titles", i + 1):
            i += 1
            continue
        break
    return titles


def positions(ctx: Context) -> list[Position]:
    out: list[Position] = []
    text = ctx.text
    carried: tuple[int, str | None] = (-1, None)  # (end of last phrase, its organisation)
    honorifics = lexicon.words("honorifics.txt")
    for (ps, pe) in sorted(ctx.scan.persons):
        person = ctx.scan.persons[(ps, pe)]
        h = next((h for h in honorifics if text.endswith(h, 0, ps)), "")
        segments, start = _title_chain_left(ctx, ps - len(h))
        rule = "org-title-name"
        if not segments:
            titles = _title_chain_right(ctx, pe)
            if not titles:
                continue
            org = _org_ending_at(ctx, ps)
            segments = [((org[1], org[0][0]) if org else None, titles)]
            start = org[0][0] if org else ps
            rule = "org-name-title"
        # an organisation carries over a list: 长林云董事长何明、总裁欧阳新 (or a comma)
        if carried[0] >= 0 and 0 <= start - carried[0] <= 1 and text[carried[0]:start] in ("、", "", ","):
            inherited = carried[1]
            if inherited and text[carried[0]:start] == ",":
                inherited = re.sub(r"(党委|党组|党工委)$", "", inherited) or None
        else:
            inherited = None
        last_org = None
        for named, titles in segments:
            surface, at = named if named else (None, None)
            for title in titles:
                org = _resolve_org(ctx, surface, at) if surface else (
                    _same_place(title, last_org or inherited, ctx.places) or implied_org(title, ctx.places)
                    or _institution(last_org, title) or inherited)
                if org:
                    org = politburo(title, org)
                    title = committee_title(title, surface, org)
                    out.append(Position(person, title, org, _sentence_span(ctx, ps), rule,
                                        0.9 if surface else 0.7))
            if surface:
                last_org = _resolve_org(ctx, surface, at)
        if last_org:
            # 大学党委书记甲、校长乙: the post after the committee's is the university's
            last_org = re.sub(r"(党委|党组|党工委)$", "", last_org) if not re.search(
                r"[省市县区州]委$", last_org) else last_org
        end = pe
        if rule == "org-name-title":
            end = pe + sum(len(t) for t in segments[0][1])
        carried = (end, last_org or inherited)
    return _unique(out + appointments(ctx))


APPOINT_AFTER = re.compile(r"[^,。;]{0,12}?(当选为|当选|出任|担任|调任|升任|转任)")
APPOINT_BEFORE = re.compile(r"(任命|聘任|聘请|推选|选举|提名|委任)$")
FORMER = re.compile(r"(原|此前|不再|曾|前|曾经|已不再)$")


def appointments(ctx: Context) -> list[Position]:
    """Personnel news: 任命甲为长林集团党委书记, 乙当选为公司董事长, 丙调任某局副主任.
    Former posts (原任, 此前任, 不再担任) are not positions."""
    out = []
    text = ctx.text
    for (ps, pe), person in sorted(ctx.scan.persons.items()):
        targets = []
        if APPOINT_BEFORE.search(text[max(0, ps - 4):ps]) and text[pe:pe + 1] == "为":
            targets.append(pe + 1)
        m = APPOINT_AFTER.match(text, pe)
        if m and not FORMER.search(text[pe:m.start(1)]):
            targets.append(m.end())
        for at in targets:
            org = _starting_at(ctx.scan, "orgs", at)
            surface = text[org[0]:org[1]] if org else None
            titles = _title_chain_right(ctx, org[1] if org else at)
            name = _resolve_org(ctx, surface, org[0]) if surface else None
            for title in titles:
                holder = name or implied_org(title, ctx.places)
                if holder:
                    out.append(Position(person, committee_title(title, surface, holder),
                                        holder, _sentence_span(ctx, ps), "appointment", 0.75))
    return out


def _institution(org: str | None, title: str) -> str | None:
    """琅州大学党委常委、副校长: a post outside the party committee is held in the institution."""
    if org and not title.startswith("党") and title not in ("书记", "副书记", "常委") and \
            not re.search(r"[省市县区州]委$", org):
        return re.sub(r"(党委|党组|党工委)$", "", org) or org
    return org


def _unique(items):
    seen, out = set(), []
    for it in items:
        key = tuple(v for k, v in vars(it).items() if k not in ("evidence", "confidence", "rule"))
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


def _sentence_span(ctx: Context, i: int) -> Span:
    for s, e in sentences(ctx.text):
        if s <= i < e:
            return ctx.span(s, e)
    return ctx.span(i, i + 1)


# -- signings ----------------------------------------------------------------------------

@dataclass
class Draft:
    agreement: str
    date: str | None
    place: str | None
    parties: list[str]
    signers: list[Signer]
    attendees: list[str]
    evidence: Span
    rule: str


def _orgs_in(ctx: Context, s: int, e: int) -> list[str]:
    """Organisations named in text[s:e], outermost only (not 琅州大学 inside 琅州大学化学院)."""
    out = []
    found = ctx.within(s, e, "Organization")
    for m in found:
        if any(o is not m and o.start <= m.start and m.end <= o.end for o in found):
            continue
        name = _resolve_org(ctx, m.text, m.start)
        if name not in out:
            out.append(name)
    return out


COLLECTIVE = re.compile(r"集中签约|签约仪式|签约活动|签约大会|项目签约")
HOST = re.compile(r"([\u4e00-\u9fff]{2,8}?[省市县区州])(?:在[^,。]{0,12}?)?(?:举行|举办|召开)[^,。]{0,40}?签约")
LISTED = re.compile(r"总投资(?:约|达)?")


def _collective(ctx: Context, drafts: list[Draft], lead: str | None) -> list[Draft]:
    """A collective signing lists its projects (总投资5.8亿元的甲公司某某项目, 总投资…的乙公司…):
    each is an agreement between the host (the place that holds the ceremony, as written)
    and the company the project is named after."""
    text = ctx.text
    if not COLLECTIVE.search(text):
        return []
    host_m = HOST.search(text)
    if host_m is None:
        return []
    host = host_m.group(1)
    s0, e0 = next(((a, b) for a, b in sentences(text) if a <= host_m.start() < b), (0, 0))
    when = [d.value for d in find_dates(text[s0:e0])]  # the ceremony's day
    lead = when[0] if when else lead
    taken = {p for d in drafts for p in d.parties}
    out = []
    for m in LISTED.finditer(text):
        money = next(iter(find_money(text[m.end():m.end() + 16])), None)
        if money is None or money.start:
            continue
        at = m.end() + money.end
        named = NAMED_PROJECT.match(text, at)
        org = _org_at(ctx, named.end()) if named else None
        if org is None:
            continue
        company = _resolve_org(ctx, org.text, org.start)
        if company in taken or _receives(ctx, company):
            continue
        project = re.match(r"[^,。;、]{0,40}?项目", text[org.end:])
        s, e = next(((a, b) for a, b in sentences(text) if a <= m.start() < b), (m.start(), m.end()))
        date = lead
        out.append(Draft(project.group() if project else "项目协议", with_year(date, ctx.year) if date else None,
                         None, [host, company], [], [], ctx.span(s, e), "collective"))
        taken.add(company)
    return out


def _lead_date(ctx: Context) -> str | None:
    # a header's 发布时间 2024-03-28 is when the page went up, not when anything was signed
    dates = [d for d in find_dates(ctx.text[:300]) if d.kind not in ("year_end", "iso")
             and not re.search(r"(发布|发稿|更新|来源)[时间日期]*[:：]?\s*$", ctx.text[max(0, d.start - 8):d.start])]
    return dates[0].value if dates else None


def _place(ctx: Context, s: int, e: int) -> str | None:
    m = re.search(r"(?:在|于)([\u4e00-\u9fff]{2,12}?)(?:举行|举办|签署|签订|签约|正式|共同|隆重)", ctx.text[s:e])
    if m:
        return m.group(1)
    return None


def signings(ctx: Context, positions_: list[Position]) -> list[Signing]:
    text = ctx.text
    drafts: list[Draft] = []
    lead = _lead_date(ctx)
    agreements = [m for m in ctx.mentions if m.type == "Agreement"]
    for s, e in sentences(text):
        sent = text[s:e]
        verbs = [m for m in SIGN_VERB.finditer(sent)]
        if not verbs:
            continue
        named = [a for a in agreements if s <= a.start < e]
        for a in named:
            before = text[s:a.start]
            verb = list(SIGN_VERB.finditer(before))
            anchor = verb[-1].start() + s if verb else a.start
            passive = re.match(r"[^,。]{0,6}?(签署|签订|签约|签字)", text[a.end:e])
            if verb and FUTURE.search(text[s:anchor]) or (not verb and not passive):
                continue
            if passive and FUTURE.search(text[a.end:a.end + passive.end()]):
                continue
            name = _clean_agreement(a.text)
            if any(d.agreement == name and d.evidence.start == s for d in drafts):
                continue
            if drafts and name in AGREEMENT_WORDS:
                continue  # 在协议上签字, 该协议由甲签署: the agreement already read
            clause_start = max(text.rfind(c, s, anchor) for c in (",", "。")) + 1 if verb else s
            inside = _orgs_in(ctx, a.start, a.end)  # 签署甲与乙战略合作框架协议: the name holds the parties
            if inside:
                name = _clean_agreement(text[max(m.end for m in ctx.within(a.start, a.end, "Organization")):a.end])
            parties = inside if len(inside) >= 2 else \
                _orgs_in(ctx, max(s, clause_start if clause_start > s else s), a.start) + inside
            if len(parties) < 2:
                parties = _orgs_in(ctx, s, a.start) or parties
            parties += [p for p in _place_parties(ctx, s, a.start) if p not in parties]
            if len(parties) < 2 and "双方" in sent and drafts:
                parties = list(drafts[-1].parties)
            dates = [d for d in find_dates(sent)]
            date = dates[0].value if dates else lead
            year = ctx.year or stated_year(sent)
            for group in _pairs(ctx, s, anchor, parties):
                if any(d.agreement == name and set(d.parties) == set(group) for d in drafts):
                    continue
                drafts.append(Draft(name or "协议", with_year(date, year) if date else None,
                                    _place(ctx, s, e), group, [], [], ctx.span(s, e), "sign-verb"))
        _signers(ctx, drafts, s, e, positions_)
        _subject_signers(ctx, drafts, s, e, positions_)
    drafts += _collective(ctx, drafts, lead)
    _attendees(ctx, drafts)
    for d in drafts:
        d.parties = list(dict.fromkeys(_as_party(ctx, p, d.parties) for p in d.parties))
        d.signers = [Signer(x.person, _as_party(ctx, x.party, d.parties) if x.party else None) for x in d.signers]
    return [Signing(d.agreement, d.date, d.place, tuple(d.parties), tuple(d.signers),
                    tuple(a for a in d.attendees if a not in {x.person for x in d.signers}),
                    d.evidence, d.rule, 0.8 if d.parties else 0.5) for d in drafts]


def _as_party(ctx: Context, org: str, parties: list[str]) -> str:
    """The body that is bound by an agreement, for an organisation read beside a signer or
    a party: a company's party committee (集团党委) signs for the company; a county's party
    committee (县委) for the county's government when that is a party."""
    m = re.fullmatch(r"(?:中共)?(.+?)(党委|党组|党工委)", org)
    if m and len(m.group(1)) >= 2:
        return m.group(1)
    m = re.fullmatch(r"(?:中共)?(.+?[省市县区州])委", org)
    if m:
        gov = gov_name(m.group(1), ctx.places)
        if gov and gov in parties:
            return gov
    return org


AGREEMENT_WORDS = ("协议", "合同", "协定", "备忘录", "协议书", "合同书", "该协议", "上述协议", "此协议")


def _clean_agreement(name: str) -> str:
    name = re.sub(r"[“”\"「」《》]", "", name)
    name = re.sub(r"^(了|双方|三方|共建|价值)", "", name)
    # 四战略合作协议, 两份合同, 价值150亿元的战略合作框架协议: a count or an amount is not a name
    name = re.sub(r"^[^的]{0,14}?[\d一二三四五六七八九十两百千万亿.]+(?:份|项|个|亿元|万元|元)?的?", "", name) \
        if re.match(r"[\d一二三四五六七八九十两]", name) else name
    return name


def _place_parties(ctx: Context, s: int, e: int) -> list[str]:
    """平川县与长林矿业签订: a city or county joined to another party by 与/和 stands for its
    government (GUIDE); named as the article names it unless its government's full name
    appears too."""
    text, out = ctx.text, []
    for m in ctx.within(s, e, "Place"):
        if any(o.start <= m.start and m.end <= o.end for o in ctx.within(s, e, "Organization")):
            continue
        after = text[m.end:m.end + 2]
        if not re.match(r"与|和|同|签|在|,|、|正式|共同|举行|分别", after):
            continue  # 与台湾某某公司: the place opens a name it is part of
        if not (re.match(r"(与|和|同)", after) or re.search(r"(与|和|同)$", text[max(s, m.start - 1):m.start])):
            continue
        if m.text[-1] not in LEVELS and lexicon.places().get(m.text) not in ("市", "省", "县", "州"):
            continue
        gov = gov_name(m.text, ctx.places)
        out.append(gov if gov and gov in text else m.text)
    return out


def _pairs(ctx: Context, s: int, anchor: int, parties: list[str]) -> list[list[str]]:
    """甲与乙、丙与丁分别签署: two agreements, one a pair; 甲分别与乙、丙签订: one with each;
    otherwise one agreement of all the parties."""
    clause = ctx.text[s:anchor]
    if "分别" not in clause or len(parties) < 3:
        return [parties]
    orgs = [m for m in ctx.within(s, anchor, "Organization")
            if not any(o is not m and o.start <= m.start and m.end <= o.end
                       for o in ctx.within(s, anchor, "Organization"))]
    names = [_resolve_org(ctx, m.text, m.start) for m in orgs]
    joins = [ctx.text[a.end:b.start] for a, b in zip(orgs, orgs[1:])]
    if re.search(r"分别(与|和|同)", clause) and joins and re.match(r"(代表)?分别(与|和|同)", joins[0].strip()):
        return [[names[0], n] for n in names[1:]]  # 周某代表甲分别与乙、丙签订
    if len(names) % 2 == 0 and all(j in ("与", "和", "同") for j in joins[0::2]) and \
            all(j in ("、", ",", "及", "以及") for j in joins[1::2]):
        return [names[k:k + 2] for k in range(0, len(names), 2)]
    return [parties]


def _signers(ctx: Context, drafts: list[Draft], s: int, e: int, positions_: list[Position]) -> None:
    text = ctx.text
    for m in re.finditer(r"代表([^。;]{0,60}?)(签约|签署|签字|签订)", text[s:e]):
        at = s + m.start()
        if FUTURE.search(text[max(s, at - 8):at]) and "将" in text[max(s, at - 3):at]:
            continue
        if ATTEND_VERB.search(m.group(1)):
            continue  # 师生代表参加签约仪式: representatives attending, not signing
        clause_start = max(text.rfind(c, s, at) for c in ("。", ",", ";")) + 1
        clause_start = max(clause_start, s)
        # signers are the people of this clause (a list may run over a comma)
        people = [p for p in ctx.within(s, at, "Person")]
        if not people:
            continue
        local = [p for p in people if p.start >= clause_start] or people
        target = m.group(1)
        draft = _which_agreement(ctx, drafts, s, e)
        if draft is None:
            continue
        named = _orgs_in(ctx, at, at + m.end() - m.start())
        for o in _outermost(ctx.within(at, at + m.end() - m.start(), "Organization")):
            counterpart = _resolve_org(ctx, o.text, o.start)
            if len(draft.parties) < 2 and re.search(r"(?:与|和|同)$", text[max(at, o.start - 2):o.start]) and \
                    counterpart not in draft.parties:
                draft.parties.append(counterpart)  # 代表甲与乙签约: 乙 is a party too
        for k, p in enumerate(local):
            if named and not re.match(r"(双方|三方|各方|多方)", target):
                # 分别代表省政府和集团签约: signers pair with the parties named, in order
                party = named[k] if len(named) == len(local) else named[0]
            else:
                party = _party_of(p.text, draft.parties, positions_, ctx, p.start, clause_start)
                if party is None and k < len(draft.parties) and re.search(r"分别|双方|三方", target + text[at - 3:at]):
                    party = draft.parties[k]
            if party and party not in draft.parties:
                draft.parties.append(party)
            if not any(x.person == p.text for x in draft.signers):
                draft.signers.append(Signer(p.text, party))


SUBJECT_TAIL = re.compile(r"(?:分别|共同|正式|一起|代表(?:双方|各方|三方|[^,。;]{0,24}?)|在[^,。;]{0,16}?上|,|、)*")


def _subject_signers(ctx: Context, drafts: list[Draft], s: int, e: int, positions_: list[Position]) -> None:
    """People who are the subject of a signing verb sign: 甲与乙签署协议, 协议由甲和乙签署,
    甲、乙分别代表双方在协议上签字. Each signs for the body of the post written beside them."""
    text = ctx.text
    for v in SIGN_VERB.finditer(text, s, e):
        vs = v.start()
        if FUTURE.search(text[max(s, vs - 12):vs]):
            continue
        start = max([s] + [text.rfind(c, s, vs) + 1 for c in ("。", ";")] +
                    [text.rfind("由", s, vs) + 1 if "由" in text[s:vs] else s])
        people = ctx.within(start, vs, "Person")
        if not people or ATTEND_VERB.search(text[start:vs]) or \
                not SUBJECT_TAIL.fullmatch(text[people[-1].end:vs]):
            continue
        draft = _which_agreement(ctx, drafts, s, e)
        if draft is None:
            continue
        # the subject is the run of people joined by 与/和/、 (with their posts) before the verb
        run = [people[-1]]
        for p in reversed(people[:-1]):
            between = text[p.end:run[0].start]
            if re.search(r"[,。;]", between) or not re.search(r"[与和、同及]", between):
                break
            run.insert(0, p)
        for k, p in enumerate(run):
            if any(x.person == p.text for x in draft.signers) or _byline(ctx, p.start):
                continue
            party = _party_of(p.text, draft.parties, positions_, ctx, p.start, start)
            if party is None and len(run) == len(draft.parties) and re.search(r"分别|双方|各方", text[start:vs]):
                party = draft.parties[k]
            draft.signers.append(Signer(p.text, party))


def _party_of(person, parties, positions_, ctx, at, clause_start) -> str | None:
    # the organisation written next to the signer in this sentence wins, party or not yet
    for pos in positions_:
        if pos.person == person and pos.evidence.start <= at < pos.evidence.end and \
                not pos.org.endswith(("党委", "党组", "党工委")) and not re.search(r"[省市县区州]委$", pos.org):
            return pos.org
    for pos in positions_:
        if pos.person == person and pos.org in parties:
            return pos.org
    return None


def _which_agreement(ctx: Context, drafts: list[Draft], s: int, e: int) -> Draft | None:
    sent = ctx.text[s:e]
    for d in reversed(drafts):
        if d.agreement and d.agreement in sent:
            return d
    before = [d for d in drafts if d.evidence.start <= s]
    return before[-1] if before else (drafts[0] if drafts else None)


def _attendees(ctx: Context, drafts: list[Draft]) -> None:
    if not drafts:
        return
    text = ctx.text
    for s, e in sentences(text):
        sent = text[s:e]
        verbs = list(ATTEND_VERB.finditer(sent))
        if not verbs or re.search(r"参加会见|出席会见|参加座谈|出席座谈", sent) and "签" not in sent:
            continue
        if not re.search(r"签|仪式|活动|典礼", sent) and (
                re.search(r"会见|会谈|座谈|会议|论坛|宴|晚会|开幕|考察|调研", sent) or
                not re.search(r"(出席|参加|见证|到场)[。!]?$", sent.strip())):
            continue  # 市领导甲、乙出席。 in a signing's article: present at the signing
        people = [p for p in ctx.within(s, e, "Person")]
        hosts = []
        for v in verbs:
            vs = s + v.start()
            if v.group() == "主持":
                hosts += [p for p in people if abs(p.start - vs) < 25]
        chosen = [p for p in people if p.start < s + verbs[-1].start()] + hosts
        # those who sign in this very sentence (before 代表) are not its attendees
        sign_at = [s + m.start() for m in re.finditer(r"代表(?!出席|参加|参会|列席|等)", sent)]  # 项目代表出席: a noun
        signing_here = [p for p in chosen if any(p.start < a and not ATTEND_VERB.search(text[p.end:a])
                                                  for a in sign_at)]
        chosen = [p for p in chosen if p not in signing_here and not _byline(ctx, p.start)]
        draft = _which_agreement(ctx, drafts, s, e)
        # a ceremony attended is attended for every agreement signed at it; a witness of
        # one signing (…代表双方签约，X见证) only of that one
        specific = sign_at or (SIGN_VERB.search(sent) and re.search(r"协议|合同|备忘录", sent))
        targets = [draft] if specific else drafts
        for d in targets:
            signers = {x.person for x in d.signers}
            for p in chosen:
                if p.text not in d.attendees and p.text not in signers:
                    d.attendees.append(p.text)


def _byline(ctx: Context, at: int) -> bool:
    """记者 X, 通讯员 Y, 文/X: the reporter, not someone at the signing."""
    return bool(re.search(r"(记者|通讯员|摄影|实习生|编辑|文|图)[\s/:]*$", ctx.text[max(0, at - 6):at]))


# -- investments -------------------------------------------------------------------------

def investments(ctx: Context, signings_: list[Signing] = ()) -> list[Investment]:
    out, last = [], None  # last: (investor, offset) of the latest investment clause
    text = ctx.text
    for s, e in sentences(text):
        for money in find_money(text[s:e]):
            ms = s + money.start
            # a clause is a few dozen characters; a window keeps run-on text linear
            clause_start = max(max(text.rfind(c, s, ms) for c in (",", ";", "、")) + 1, s, ms - 120)
            head = text[clause_start:ms]
            named_project = NAMED_PROJECT.match(text, s + money.end)
            if "总投资" in head and named_project and _org_at(ctx, named_project.end()):
                # 总投资5.8亿元的长城市政工程油脂深加工项目: the company the project is named after
                org = _org_at(ctx, named_project.end())
                investor, rule = _resolve_org(ctx, org.text, org.start), "project-of"
                target_from = named_project.end()
            elif "总投资" in head:
                investor, rule = _total_investor(ctx, s, e, ms, head, last, signings_), "total-by"
                target_from = clause_start
            elif FINANCING.match(text, s + money.end):
                investor, rule = _funder(ctx, s + money.end, e) or _round_lead(ctx), "financing"
                target_from = s + money.end
                if _converted(text, ms):
                    continue  # 6亿美元(约46.8亿港元): the figure the article leads with counts
            elif ACQUIRE.match(text, s + money.end):
                investor, rule = _investor(ctx, s, clause_start, ms), "acquisition"
                target_from = s + money.end
            else:
                verb = _invest_verb(ctx, clause_start, head)
                if verb is None or NOT_INVEST.search(head[max(verb - 2, 0):]):
                    continue
                vs = clause_start + verb
                investor, rule = _investor(ctx, s, clause_start, vs), "invest-verb"
                if "其中" in head and not ctx.within(clause_start, vs, "Organization"):
                    continue  # 其中固定资产投资: a part of a total, unless someone's share
                target_from = s + money.end
            if investor is None or _receives(ctx, investor):
                continue
            last = (investor, s)
            target = _target(ctx, target_from, e, clause_start, ms)
            if any(i.investor == investor and i.amount == money.amount and i.currency == money.currency
                   for i in out):
                continue  # the headline's figure again in the body
            out.append(Investment(investor, money.amount, money.currency, target,
                                  ctx.span(s, e), rule, 0.6 if rule == "total-by" else 0.8))
    return _unique(out)


# what follows an amount raised: 6亿美元(约46.8亿港元)新一轮融资, 22亿元的B轮融资
FINANCING = re.compile(r"(?:\s*[(（][^()（）]{0,24}[)）])?\s*(?:的)?\s*(?:新一?轮|[A-Za-z]\+?\d*\s*轮|"
                       r"Pre-?[A-Za-z]+\+?\s*轮|天使轮|种子轮|首轮|战略|股权|新)?\s*融资")
# what follows the price of a purchase: 以11亿美元收购, 以5.65亿美元的价格买下
ACQUIRE = re.compile(r"(?:\s*[(（][^()（）]{0,24}[)）])?(?:的(?:价格|代价|对价)|现金|,?相当人民币[\d.]+[亿万]?元)?\s*"
                     r"(?:收购|并购|买下|购买|购入|认购|入股|增持|参股|增资|投资(?!额|总额|规模|者|人|方)|设立|"
                     r",?\s*在[^,。]{0,10}?设立|的投资(?:意向书|协议|合同))")
LEAD = re.compile(r"(?:的)?(?:联合|共同|独家)?领投")


NAMED_PROJECT = re.compile(r"(?:人民币)?的")


def _org_at(ctx: Context, at: int) -> Mention | None:
    found = [m for m in ctx.within(at, at + 40, "Organization") if m.start == at]
    return max(found, key=lambda m: m.end) if found else None


def _receives(ctx: Context, org: str) -> bool:
    """A development zone or its committee: in investment news the place that receives the
    money, never its investor (GUIDE). (A city may invest: 某市出资3亿元 into a fund.)"""
    return bool(re.search(r"(管委会|党工委|开发区|经开区|高新区|保税区|自贸区|园区|新区)$", org))


def _round_lead(ctx: Context) -> str | None:
    """The investor a financing round is credited to: the first of those named as leading it
    (由甲领投, 获得甲、乙和丙的联合领投) anywhere in the article."""
    for m in LEAD.finditer(ctx.text):
        named = _list_before(ctx, m.start())
        if named:
            return _resolve_org(ctx, named[0].text, named[0].start)
    return None


def _list_before(ctx: Context, at: int) -> list[Mention]:
    """The organisations listed right before `at` (甲、乙和丙), in the order written."""
    orgs = _outermost(ctx.within(max(0, at - 80), at, "Organization"))
    out: list[Mention] = []
    end = at
    for o in reversed(orgs):
        gap = ctx.text[o.end:end]
        if not out and not re.fullmatch(r"\s*(?:等|等机构|等多家机构)?\s*", gap):
            return []
        if out and not re.fullmatch(r"\s*(?:、|,|和|及|与|以及|还有)\s*", gap):
            break
        out.insert(0, o)
        end = o.start
    return out


def _outermost(found: list[Mention]) -> list[Mention]:
    return [m for m in found if not any(o is not m and o.start <= m.start and m.end <= o.end for o in found)]


def _converted(text: str, at: int) -> bool:
    """An amount written in brackets after another: (约46.8亿港元)."""
    return bool(re.search(r"[(（]\s*(?:约|约合|折合|相当于|合)?\s*$", text[max(0, at - 6):at]))


def _invest_verb(ctx: Context, clause_start: int, head: str) -> int | None:
    """Offset in `head` of its last investment verb that is not part of a name."""
    found = None
    for v in INVEST_VERB.finditer(head):
        at = clause_start + v.start()
        if not _inside(ctx.org_spans, at):  # 华岳电力投资集团 is a name
            found = v.start()
    return found


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` falls in one of the sorted, rarely nested spans."""
    k = bisect_left(spans, (at + 1, -1))
    return any(s <= at < e for s, e in spans[max(0, k - 8):k])


def _total_investor(ctx, s, e, ms, head, last, signings_) -> str | None:
    """Who stands behind a 总投资: named with 由, the subject of an investment earlier in
    the sentence, or (for 项目总投资 right after) the latest investor or the company
    that signed the latest investment agreement."""
    found = _builder(ctx, s, e)
    if found:
        return found
    verb = _invest_verb(ctx, s, ctx.text[s:ms])
    if verb is not None and "总投资" not in ctx.text[s + verb - 1:s + verb + 2]:
        found = _investor(ctx, s, s, s + verb)
        if found:
            return found
    if re.search(r"(协议|合同|合作|签约)[^,。]{0,6}总投资", head):
        # 甲与四市签约，协议涉及总投资约1000亿元: one company behind the whole total
        here = [g for g in signings_ if g.evidence.start <= s < g.evidence.end + 200] or \
            [g for g in signings_ if g.evidence.start < s][-1:]
        parties = {p for g in here for p in g.parties}
        companies = {p for p in parties if gov_name(p, ctx.places) is None
                     and not re.search(r"(政府|委员会|管委会|[省市县区州]委)$", p)}
        # only a company that signs with several others stands behind the whole total
        return companies.pop() if len(companies) == 1 and len(parties) >= 3 else None
    if not re.match(r"\s*(项目)?总投资", head):
        return None
    # 甲县与乙公司签订某项目合同,总投资19.8亿元: the one company of the clauses before
    part = max(ctx.text.rfind(c, s, ms) for c in (";", "。")) + 1
    companies = {_resolve_org(ctx, m.text, m.start) for m in _outermost(ctx.within(max(s, part), ms, "Organization"))}
    companies = {c for c in companies if gov_name(c, ctx.places) is None and not _receives(ctx, c)
                 and not re.search(r"(政府|[省市县区州]委)$", c)}
    if len(companies) == 1 and SIGN_VERB.search(ctx.text, max(s, part), ms):
        return companies.pop()
    if ctx.within(s, e, "Organization"):
        return None
    signed = [g for g in signings_ if g.evidence.start < s and "投资" in g.agreement]
    if signed and (last is None or signed[-1].evidence.start >= last[1]):
        companies = [p for p in signed[-1].parties if p.endswith(COMPANY_ENDS)]
        return companies[0] if companies else None
    return last[0] if last else None


def _funder(ctx: Context, after: int, e: int) -> str | None:
    """1.2亿元B轮融资,由禾曦资本独家投资: the money raised comes from the one named with 由."""
    m = re.search(r"由([^,。]{2,30}?)(?:独家|领|共同)?(?:投资|领投|出资|注资)", ctx.text[after:e])
    if not m:
        return None
    orgs = ctx.within(after + m.start(1), after + m.end(1), "Organization")
    return _resolve_org(ctx, orgs[0].text, orgs[0].start) if orgs else None


def _investor(ctx: Context, s: int, clause_start: int, verb_at: int) -> str | None:
    """The subject of the clause: its first organisation not governed by 向/对/与."""
    text = ctx.text
    for lo in (clause_start, s):
        orgs = [m for m in ctx.within(lo, verb_at, "Organization")
                if text[max(m.start - 1, 0)] not in "向对与和同在于到" and not _receives(ctx, m.text)]
        if orgs:
            pick = orgs[0] if lo == clause_start else orgs[-1]
            return _resolve_org(ctx, pick.text, pick.start)
    return None


def _builder(ctx: Context, after: int, e: int) -> str | None:
    """项目总投资约100亿元，由北岭建设集团投资建设: the total has a named investor."""
    m = re.search(r"由([^,。]{2,30}?)(?:投资|出资|独资|全额投资)", ctx.text[after:e])
    if not m:
        return None
    orgs = ctx.within(after + m.start(1), after + m.end(1), "Organization")
    return _resolve_org(ctx, orgs[0].text) if orgs else None


def _target(ctx: Context, after: int, e: int, clause_start: int, verb_at: int) -> str | None:
    projects = [m for m in ctx.within(after, e, "Project")]
    if projects:
        return projects[0].text
    orgs = [m for m in ctx.within(clause_start, e, "Organization") if m.start > verb_at - 12]
    m = re.search(r"向([^,。]{2,20}?)(增资|投资|注资)", ctx.text[clause_start:e])
    if m and orgs:
        return _resolve_org(ctx, orgs[0].text)
    places = [m for m in ctx.within(after, e, "Place")]
    return places[0].text if places else None
