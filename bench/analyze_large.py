"""How long `kg analyze` takes on a large graph (issue 5: 100,000 nodes, 300,000 edges in 30 s).

    python bench/analyze_large.py [NODES] [EDGES]
"""
import random
import sys
import time

import networkx as nx

from graph.analyze import analyze

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
m = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
rng = random.Random(0)
types = ["Person", "Organization", "Project", "Place", "Agreement"]
G = nx.MultiDiGraph()
for i in range(n):
    G.add_node(i, label=f"n{i}", type=types[i % 5], aliases=[])
for _ in range(m):  # preferential-ish attachment: a few hubs, a long tail
    a = rng.randrange(n)
    b = int(rng.paretovariate(1.2)) % n if rng.random() < 0.3 else rng.randrange(n)
    G.add_edge(a, b, kind="party", label="签署", evidence="", fact="", date="")
started = time.perf_counter()
result = analyze(G, top=10, seed=0)
took = time.perf_counter() - started
print(f"analyze: {n:,} nodes, {m:,} edges -> {took:.1f} s "
      f"(betweenness {'sampled' if result['betweenness_sampled'] else 'exact'}, "
      f"{len(result['communities'])} largest communities, modularity {result['modularity']})")
