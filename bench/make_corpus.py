"""Generate N news articles of the development corpus's kinds (signing ceremonies, investment
agreements, financing rounds, appointments, meetings) with fresh, randomly composed names.

    python bench/make_corpus.py 4000 --out /tmp/corpus.jsonl [--seed 1]

The output is a JSONL corpus (id, title, date, text) that `kg build` reads. Names are composed
from syllables and the project's own lexicons, never taken from the development corpus, so the
benchmark measures the extractor on text it was not tuned on.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰文斌晓峰海燕宏辉鹏飞雪梅"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
SYLLABLES = "瑞鼎华泰嘉恒盛远弘信达丰睿宸越拓联创科润启航海峰云溪川澜宇辰熙晟旭岳昊泓骏铭锦璟煜朗诚德康耀腾麒"
INDUSTRIES = ["新能源", "智能制造", "生物医药", "半导体", "数字科技", "新材料", "物流", "环保科技",
              "汽车零部件", "储能", "光电", "信息技术", "现代农业", "文旅"]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"]
PROJECTS = ["产业园", "生产基地", "研发中心", "智能工厂", "总部基地", "数据中心", "产业基地"]
CITIES = ["合肥", "成都", "武汉", "西安", "长沙", "郑州", "南昌", "贵阳", "昆明", "南宁", "济南",
          "福州", "太原", "兰州", "无锡", "苏州", "宁波", "温州", "佛山", "东莞", "常州", "徐州"]
CITY_TITLES = [("市委书记", "市委"), ("市长", "市人民政府"), ("副市长", "市人民政府"),
               ("常务副市长", "市人民政府")]
COMPANY_TITLES = ["董事长", "总经理", "总裁", "副总裁", "首席执行官"]
ROUNDS = ["A轮", "B轮", "C轮", "Pre-A轮", "战略"]


class Names:
    """Fresh names, each used once per corpus, so entity counts grow with the corpus."""

    def __init__(self, rng: random.Random):
        self.rng, self.seen = rng, set()

    def _fresh(self, make) -> str:
        for _ in range(1000):
            name = make()
            if name not in self.seen:
                self.seen.add(name)
                return name
        raise RuntimeError("ran out of fresh names")

    def person(self) -> str:
        r = self.rng
        return self._fresh(lambda: r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2)))))

    def company(self) -> tuple[str, str]:
        r = self.rng
        short = self._fresh(lambda: "".join(r.choice(SYLLABLES) for _ in range(r.choice((2, 3)))))
        return f"{short}{r.choice(INDUSTRIES)}{r.choice(SUFFIXES)}", short


def signing(rng: random.Random, names: Names, n: int) -> tuple[str, str]:
    city = rng.choice(CITIES)
    (company, short), (partner, _) = names.company(), names.company()
    project = f"{short}{rng.choice(INDUSTRIES)}{rng.choice(PROJECTS)}"
    (t1, _), (t2, _) = rng.sample(CITY_TITLES, 2)
    p1, p2, p3, p4, p5 = (names.person() for _ in range(5))
    amount = rng.choice((5, 12, 20, 35, 50, 80, 120))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    title = f"{project}项目签约落户{city}"
    text = (f"{month}月{day}日，{city}市人民政府与{company}在{city}举行"
            f"{project}项目签约仪式。{city}{t1}{p1}，{company}董事长{p2}出席签约仪式并见证签约。\n"
            f"{city}{t2}{p3}与{company}总裁{p4}分别代表双方签署《{project}项目投资协议》。"
            f"根据协议，{company}将投资{amount}亿元建设{project}，预计达产后年产值超过{amount * 2}亿元。\n"
            f"同日，{company}还与{partner}签署战略合作协议，{partner}{rng.choice(COMPANY_TITLES)}{p5}代表公司签约。"
            f"双方将在技术研发、市场拓展等方面开展合作。")
    return title, text


def appointment(rng: random.Random, names: Names, n: int) -> tuple[str, str]:
    company, _ = names.company()
    p1, p2 = names.person(), names.person()
    t1, t2 = rng.sample(COMPANY_TITLES, 2)
    title = f"{company}发布人事任命公告"
    text = (f"{company}今日发布公告，董事会同意聘任{p1}为公司{t1}，任期三年。"
            f"{p1}此前在行业内从事管理工作二十余年。\n"
            f"公告同时披露，{p2}因工作调整不再担任公司{t2}职务。公司董事会对其任职期间的贡献表示感谢。")
    return title, text


def financing(rng: random.Random, names: Names, n: int) -> tuple[str, str]:
    (company, _), (lead, _), (other, _) = names.company(), names.company(), names.company()
    ceo = names.person()
    amount = rng.choice((1, 2, 3, 5, 8))
    rnd = rng.choice(ROUNDS)
    title = f"{company}完成{amount}亿元{rnd}融资"
    text = (f"{company}宣布完成{amount}亿元{rnd}融资，由{lead}领投，{other}跟投。"
            f"{company}首席执行官{ceo}表示，本轮融资将主要用于产品研发和产能扩张。\n"
            f"该公司成立于{rng.randint(2012, 2022)}年，专注于{rng.choice(INDUSTRIES)}领域。")
    return title, text


def meeting(rng: random.Random, names: Names, n: int) -> tuple[str, str]:
    city = rng.choice(CITIES)
    company, _ = names.company()
    p1, p2, p3 = names.person(), names.person(), names.person()
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    title = f"{city}市长会见{company}客人"
    text = (f"{month}月{day}日，{city}市长{p1}会见了{company}董事长{p2}一行。"
            f"双方就深化合作、推进项目建设等事宜进行了深入交流。\n"
            f"{city}副市长{p3}参加会见。")
    return title, text


KINDS = (signing, signing, appointment, financing, meeting)


def articles(n: int, seed: int = 1):
    rng = random.Random(seed)
    names = Names(rng)
    for i in range(n):
        title, text = rng.choice(KINDS)(rng, names, i)
        yield {"id": f"bench-{i:07d}", "title": title, "date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               "text": text}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in articles(args.n, args.seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {args.n} articles to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
