import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT
from graph.cli import main

SHARED = ROOT.parent / "shared"


def _write(folder, name, text, gold):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def test_eval_scores_a_small_corpus(tmp_path):
    text = ("3月1日，安平市人民政府与长林科技有限公司签署战略合作协议。"
            "长林科技有限公司副总裁吴江、安平市副市长郑和平代表双方签约。")
    gold = {"id": "a", "entities": {"Person": [["吴江"], ["郑和平"]],
                                    "Organization": [["长林科技有限公司"], ["安平市人民政府", "安平市"]]},
            "positions": [{"person": "吴江", "title": ["副总裁"], "org": ["长林科技有限公司"]},
                          {"person": "郑和平", "title": ["副市长"], "org": ["安平市人民政府"]}],
            "signings": [{"agreement": ["战略合作协议"], "date": "--03-01", "place": [],
                          "parties": [["长林科技有限公司"], ["安平市人民政府"]],
                          "signers": [{"person": "吴江", "for": ["长林科技有限公司"]},
                                      {"person": "郑和平", "for": ["安平市人民政府"]}],
                          "attendees": []}],
            "investments": [{"investor": ["长林科技有限公司"], "amount": 100, "currency": "CNY", "target": []}]}
    _write(tmp_path, "a", text, gold)
    res = CliRunner().invoke(main, ["eval", str(tmp_path), "--show", "5"])
    assert res.exit_code == 0, res.output
    assert re.search(r"signers\s+1\.000\s+1\.000\s+1\.000", res.output)
    assert re.search(r"investments\s+\S+\s+0\.000", res.output)  # the gold investment is missed
    # the miss is shown under its article, marked, with the sentence it stands in
    assert re.search(r"^a$\n(?:.*\n)*?  - missing investments\s+长林科技有限公司 100 CNY\n\s+│ .*长林科技有限公司", res.output, re.M)


def test_eval_needs_gold_files(tmp_path):
    res = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert res.exit_code == 1 and "no NAME.gold.json" in res.output


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").is_file(), reason="shared/ scorer not beside the repo")
def test_eval_agrees_with_the_reference_scorer(tmp_path):
    kg = shutil.which("kg")
    if kg is None:
        pytest.skip("kg is not installed on PATH")
    corpus = SHARED / "corpus" / "dev"
    ref = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(corpus), "--kg", kg],
                         capture_output=True, text=True, check=True).stdout
    ours = CliRunner().invoke(main, ["eval", str(corpus), "--show", "0"]).output
    table = lambda out: re.findall(r"^(\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.M)
    ref_rows = {r[0]: r[1:] for r in table(ref)}
    for field, values in {r[0]: r[1:] for r in table(ours)}.items():
        assert ref_rows[field] == values, field
