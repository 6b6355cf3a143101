"""networkx graph -> a self-contained interactive HTML page (pyvis + vis-network).

The page loads nothing from the network: vis-network's script and stylesheet are inlined
from the copy pyvis ships, and the template is our own (pyvis's pulls Bootstrap from a CDN).
Article text is untrusted: it reaches the page only as JSON data and is shown through
textContent, never innerHTML."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .analyze import centrality

STYLE = {
    "Person": {"name": "人物 Person", "color": "#e4572e", "shape": "dot"},
    "Organization": {"name": "机构 Organization", "color": "#2e86ab", "shape": "box"},
    "Project": {"name": "项目 Project", "color": "#59a96a", "shape": "diamond"},
    "Place": {"name": "地点 Place", "color": "#9b5de5", "shape": "triangle"},
    "Agreement": {"name": "协议 Agreement", "color": "#f4a259", "shape": "star"},
    "Other": {"name": "其他 Other", "color": "#999999", "shape": "dot"},
}
PHYSICS_LIMIT = 1000  # above this many nodes the layout is computed in Python, physics off


def _vis_assets() -> tuple[str, str]:
    import pyvis
    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return ((base / "vis-network.min.js").read_text(encoding="utf-8"),
            (base / "vis-network.css").read_text(encoding="utf-8"))


def build_network(G: nx.MultiDiGraph, *, seed: int = 0, max_nodes: int | None = None,
                  stats: dict | None = None) -> tuple[Network, str]:
    """A pyvis Network for G; its node and edge lists are filled directly (add_node is
    quadratic). Returns the network and a note for the page ('' when nothing is hidden).
    `stats` is analyze.centrality(G), when the caller has it already."""
    stats = stats or centrality(G)
    pr = stats["pagerank"]
    note = ""
    nodes = list(G.nodes)
    if max_nodes and len(nodes) > max_nodes:
        nodes = sorted(nodes, key=lambda n: -pr.get(n, 0))[:max_nodes]
        note = f"showing the {max_nodes} most central of {G.number_of_nodes()} nodes (PageRank)"
        G = G.subgraph(nodes).copy()  # a view filters every edge on every access
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    big = G.number_of_nodes() > PHYSICS_LIMIT
    pos = _layout(G, seed) if big else {}
    top = max(pr.values()) if pr else 1
    for n, data in G.nodes(data=True):
        t = data.get("type", "Other")
        style = STYLE.get(t, STYLE["Other"])
        node = {"id": n, "label": data.get("label", n), "group": t, "shape": style["shape"],
                "color": style["color"], "title": _tooltip_node(G, n),
                "size": 10 + 30 * (pr.get(n, 0) / top if top else 0),
                "aliases": data.get("aliases", [])}
        if big:
            node.update(x=float(pos[n][0] * 3000), y=float(pos[n][1] * 3000), physics=False)
        net.nodes.append(node)
    for i, (a, b, data) in enumerate(G.edges(data=True)):
        net.edges.append({"id": i, "from": a, "to": b, "label": data.get("label", ""),
                          "title": " ".join(data.get("evidence", "").split()) + "\n" + _source(data),
                          "arrows": "to",
                          "date": data.get("date", ""), "font": {"size": 10}})
    net.node_ids = [n["id"] for n in net.nodes]
    return net, note


def _layout(G: nx.MultiDiGraph, seed: int) -> dict:
    """Positions computed in Python (igraph's Fruchterman-Reingold) so that a big page needs
    no physics in the browser."""
    import random

    import igraph as ig

    from .analyze import _igraph
    H, nodes = _igraph(G)
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = H.layout_fruchterman_reingold(niter=300)
    finally:
        ig.set_random_number_generator(random)
    return {n: (x / 50.0, y / 50.0) for n, (x, y) in zip(nodes, coords.coords)}


def _tooltip_node(G, n) -> str:
    data = G.nodes[n]
    lines = [f"{data.get('label', n)} ({data.get('type', '')})"]
    for _, _, e in list(G.in_edges(n, data=True))[:3] + list(G.out_edges(n, data=True))[:3]:
        if e.get("evidence"):
            lines.append(f"{e['label']}: {' '.join(e['evidence'].split())[:160]}")
            lines.append("  " + _source(e))
    return "\n".join(lines)


def _source(e: dict) -> str:
    """The document an edge was read from: id, title, date, url."""
    parts = [e.get("doc", ""), e.get("title", ""), e.get("doc_date", ""), e.get("url", "")]
    return "《" + " · ".join(p for p in parts if p) + "》"


def html(G: nx.MultiDiGraph, *, seed: int = 0, max_nodes: int | None = None, stats: dict | None = None) -> str:
    net, note = build_network(G, seed=seed, max_nodes=max_nodes, stats=stats)
    physics = len(net.nodes) <= PHYSICS_LIMIT
    options = {"physics": {"enabled": physics, "stabilization": {"iterations": 200}},
               "interaction": {"hover": True, "tooltipDelay": 150},
               "edges": {"smooth": False, "color": {"inherit": False, "color": "#888"}},
               "nodes": {"font": {"face": "Noto Sans CJK SC, sans-serif"}}}
    data = {"nodes": net.nodes, "edges": net.edges, "options": options, "note": note,
            "types": {k: {"name": v["name"], "color": v["color"]} for k, v in STYLE.items()
                      if any(n["group"] == k for n in net.nodes)}}
    js, css = _vis_assets()
    template = resources.files("graph").joinpath("templates", "page.html").read_text(encoding="utf-8")
    page = template.replace("/*VIS_CSS*/", css)
    page = page.replace("/*DATA*/", _safe_json(data))
    return page.replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))


def _safe_json(data) -> str:
    """JSON that cannot close the <script> it sits in, whatever the article says."""
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
