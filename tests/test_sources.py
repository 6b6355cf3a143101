import json
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT
from graph.sources import read_inputs


def test_jsonl_documents_with_metadata(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "a1", "text": "11月2日，安平市人民政府与长林科技有限公司签署合作协议。", "date": "2019-11-05",
         "title": "签约", "url": "https://example.org/a1"},
        "not json",
        {"id": "a2", "title": "no text"},
        {"id": "a1", "text": "重复的编号。"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x
                              for x in lines), encoding="utf-8")
    problems = []
    docs = list(read_inputs([path], problems))
    assert [d.id for d in docs] == ["a1"]
    assert docs[0].date == "2019-11-05" and docs[0].url == "https://example.org/a1"
    reasons = sorted(p.reason for p in problems)
    assert any("not JSON" in r for r in reasons) and any("no 'text'" in r for r in reasons)
    assert any("duplicate" in r for r in reasons)
    assert {p.line for p in problems if p.line} == {2, 3}


def test_jsonl_date_gives_signing_year(tmp_path):
    from graph.extract import extract
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"id": "x", "date": "2019-11-05",
                                "text": "11月2日，安平市人民政府与长林科技有限公司签署合作协议。"},
                               ensure_ascii=False), encoding="utf-8")
    [doc] = read_inputs([path], [])
    [s] = [f for f in extract(doc).facts if type(f).__name__ == "Signing"]
    assert s.date == "2019-11-02"


def test_folder_is_read_recursively_and_txt_id_is_the_stem(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("长林科技有限公司董事长何明出席。", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert [d.id for d in read_inputs([tmp_path], [])] == ["story"]


@pytest.mark.slow
def test_wheel_ships_ontology_presets_and_lexicons(tmp_path):
    """An installed (not editable) package must find ontology/ and its presets."""
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {res.stderr[-300:]}")
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for preset in ("entities", "positions", "signings", "attendees", "investments"):
        assert f"graph/ontology/queries/{preset}.rq" in names
    assert "graph/ontology/zhitu.ttl" in names and "graph/lexicons/titles.tsv" in names
    assert "graph/templates/page.html" in names
