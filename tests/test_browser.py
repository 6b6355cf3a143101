"""The page in a real browser: headless Chromium (Debian's, installed by .ci/run)."""
import os
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS
from graph.analyze import to_networkx
from graph.build import build
from graph.query import load_graph

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed")]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
                 f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=opts)
    yield driver
    driver.quit()


def _open(browser, page: Path):
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(page.as_uri())
    WebDriverWait(browser, 60).until(lambda d: d.execute_script("return document.body.dataset.drawn === 'true'"))


def test_seed_page_draws_its_nodes_and_edges_without_errors(browser, tmp_path):
    build([SEEDS], tmp_path)
    G = to_networkx(load_graph(tmp_path))
    _open(browser, tmp_path / "graph.html")
    assert browser.execute_script("return window.zhitu.nodes.length") == G.number_of_nodes()
    assert browser.execute_script("return window.zhitu.edges.length") == G.number_of_edges()
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    shot = tmp_path / "seed.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("ZHITU_SCREENSHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / "seed.png")


def test_search_box_finds_and_selects_a_node(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    build([SEEDS], tmp_path)
    _open(browser, tmp_path / "graph.html")
    box = browser.find_element(By.ID, "search")
    box.send_keys("王晓初", Keys.ENTER)
    selected = browser.execute_script("return window.zhitu.network.getSelectedNodes()")
    labels = browser.execute_script("return arguments[0].map(id => window.zhitu.nodes.get(id).label)", selected)
    assert labels == ["王晓初"]


def test_article_markup_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text(
        "3月1日，安平市人民政府与长林科技有限公司签署合作协议。长林科技有限公司总经理何明、安平市副市长郑和平"
        "代表双方签约，并说&lt;img src=x onerror=window.pwned=1&gt;&lt;script&gt;window.pwned2=1&lt;/script&gt;。",
        encoding="utf-8")
    build([folder], tmp_path / "out")
    _open(browser, tmp_path / "out" / "graph.html")
    assert browser.execute_script("return window.pwned === undefined && window.pwned2 === undefined")
    titles = browser.execute_script("return window.zhitu.edges.get().map(e => e.title).join(' ')")
    assert "<img src=x onerror=window.pwned=1>" in titles  # kept, as text
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
