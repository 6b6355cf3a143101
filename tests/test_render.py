"""The page treats article text as data: nothing from an article runs."""
from conftest import extract_text
from graph.analyze import centrality, to_networkx
from graph.rdf import to_graph
from graph.render import html


def test_markup_in_an_article_cannot_break_out_of_the_data():
    # entities survive markup stripping as the very characters an attacker wants
    text = "长林科技有限公司董事长何明出席，并说&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;。"
    g = to_graph([extract_text(text)])
    page = html(to_networkx(g))
    body = page.split("const DATA = ", 1)[1].split(";\nconst nodes", 1)[0]
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in body  # the text is there, as data
    assert "<" not in body and ">" not in body  # every < and > escaped inside the JSON
    ours = page.rsplit("<script>", 1)[1]
    assert "innerHTML" not in ours and "textContent" in ours


def test_summary_measures_on_seed(seed_graph):
    stats = centrality(to_networkx(seed_graph))
    assert stats["nodes"] > 10 and stats["edges"] > 10
    top_labels = [label for label, _, _ in stats["top"][:5]]
    assert "中国联通" in top_labels
