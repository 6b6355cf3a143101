"""Time until a page of N nodes is usable in headless Chromium (drawn and answering clicks).

    python bench/page_load.py [NODES ...]
"""
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from graph.render import html

sizes = [int(a) for a in sys.argv[1:]] or [1000, 5000]
opts = webdriver.ChromeOptions()
opts.binary_location = shutil.which("chromium")
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1280,900"):
    opts.add_argument(flag)
driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")), options=opts)
rng = random.Random(0)
try:
    for n in sizes:
        G = nx.MultiDiGraph()
        for i in range(n):
            G.add_node(f"n{i}", label=f"实体{i}", type=["Person", "Organization", "Project"][i % 3], aliases=[])
        for i in range(1, n):
            for _ in range(2):
                G.add_edge(f"n{i}", f"n{rng.randrange(i)}", kind="party", label="签署", evidence="证据", fact="f", date="")
        t0 = time.perf_counter()
        page = html(G, max_nodes=max(sizes))
        built = time.perf_counter() - t0
        path = Path(tempfile.mkdtemp()) / "page.html"
        path.write_text(page, encoding="utf-8")
        t0 = time.perf_counter()
        driver.get(path.as_uri())
        WebDriverWait(driver, 600).until(lambda d: d.execute_script("return document.body.dataset.drawn === 'true'"))
        driver.execute_script("window.zhitu.network.selectNodes(['n1'])")  # answers at once
        usable = time.perf_counter() - t0
        print(f"{n:,} nodes, {G.number_of_edges():,} edges: page built in {built:.1f} s, usable in Chromium after {usable:.1f} s")
finally:
    driver.quit()
