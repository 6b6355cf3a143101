"""`kg`: a thin command line over the pipeline. Options in, plain functions called,
the project's own exceptions turned into one-line errors in one place."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .errors import QueryError, ZhituError


class Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QueryError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(2)
        except ZhituError as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg (zhitu)")
def main():
    """知图 Zhitu: Chinese news into a knowledge graph."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for graph.ttl, graph.html and skipped.jsonl.")
@click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Drop facts whose confidence is below this.")
@click.option("--strict", is_flag=True, help="Exit 1 when any input was skipped or repaired.")
@click.option("--update", is_flag=True,
              help="Merge these documents into the graph already in DIR (re-read ones are replaced).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Processes extracting documents in parallel (default: the number of cores).")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Extract on a Dask cluster instead, e.g. tcp://HOST:8786 (workers need zhitu installed).")
def build(inputs, out_dir, min_confidence, strict, update, workers, dask_address):
    """Read articles (.txt, .jsonl or folders) and write the knowledge graph."""
    from .build import build as run_build, count_inputs
    total = count_inputs(inputs)
    if dask_address and workers:
        raise click.UsageError("give --workers or --dask, not both")
    if workers is None:  # start-up costs a second a process: small inputs stay in one
        workers = max(1, min(os.cpu_count() or 1, total // 8 or 1))
    show = sys.stderr.isatty()
    with click.progressbar(length=total, label="extracting", file=sys.stderr,
                           show_pos=True) if show else _NoBar() as bar:
        report = run_build(inputs, out_dir, min_confidence=min_confidence, update=update, workers=workers,
                           dask=dask_address,
                           progress=lambda piece: bar.update(0 if PART.search(piece.doc_id) else 1))
    click.echo(report.summary())
    click.echo(f"wrote {', '.join(str(p) for p in report.outputs)}")
    if strict and report.skipped:
        raise SystemExit(1)


PART = re.compile(r"-part(?:[2-9]|\d\d+)$")  # later parts of a split article are not new articles


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--preset", help="Run a preset: entities, positions, signings, attendees, investments ...")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default=None,
              help="Output format (default: table on a terminal, csv when piped).")
@click.option("--allow-update", is_flag=True, help="Allow SPARQL UPDATE queries.")
def query(graph_path, sparql, query_file, preset, fmt, allow_update):
    """Run a SPARQL SELECT or ASK query (or a preset) over a built graph."""
    from .query import format_rows, run_on
    from .resources import preset as preset_text
    given = [x for x in (sparql, query_file, preset) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of SPARQL, --file or --preset")
    text = sparql or (query_file.read_text(encoding="utf-8") if query_file else preset_text(preset))
    cols, rows = run_on(graph_path, text, allow_update=allow_update)
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    click.echo(format_rows(cols, rows, fmt), nl=False)


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
def validate(graph_path):
    """Check a graph against the SHACL shapes in ontology/shapes.ttl (exit 1 if it does not conform)."""
    from .query import open_graph
    from .validate import validate as check
    conforms, problems = check(open_graph(graph_path))
    if conforms:
        click.echo(f"{graph_path}: conforms")
        return
    click.echo(f"{graph_path}: {len(problems)} violation(s)")
    for line in problems:
        click.echo(f"  {line}")
    raise SystemExit(1)


@main.command("export")
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["turtle", "nt", "jsonld", "trig", "graphml", "gexf", "csv"]))
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Output file (a folder for csv: nodes.csv and relationships.csv for neo4j-admin import).")
def export_(graph_path, fmt, out):
    """Export a graph for other stores and tools."""
    from .export import export
    from .query import load_graph
    click.echo(f"wrote {export(load_graph(graph_path), fmt, out)}")


def _graph(graph_path):
    from .analyze import to_networkx
    from .query import open_graph
    return to_networkx(open_graph(graph_path))


def _emit(rows: list[dict], fmt: str | None, columns: list[str]) -> None:
    from .query import format_rows
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    click.echo(format_rows(columns, [[r.get(c, "") for c in columns] for r in rows], fmt), nl=False)


FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default=None,
                      help="Output format (default: table on a terminal, csv when piped).")


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--org", help="Only signings with this party (name or alias).")
@click.option("--person", help="Only signings this person signed or attended.")
@click.option("--since", help="Earliest date (ISO, e.g. 2023 or 2023-06-01).")
@click.option("--until", help="Latest date (ISO).")
@FORMAT
def signings(graph_path, org, person, since, until, fmt):
    """Who signed what: agreement, date, parties, signers for each party, attendees."""
    from .explore import signings_table
    rows = signings_table(_graph(graph_path), org=org, person=person, since=since, until=until)
    _emit(rows, fmt, ["doc", "agreement", "date", "parties", "signers", "attendees"])


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, help="Entities to list overall and per type.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampling and communities.")
@FORMAT
def analyze(graph_path, top, seed, fmt):
    """Degree, PageRank, betweenness, Leiden communities and the top entities per type."""
    from .analyze import analyze as measure
    result = measure(_graph(graph_path), top=top, seed=seed)
    if fmt == "json":
        import json
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    cols = ["name", "type", "degree", "pagerank", "betweenness", "community"]
    click.echo(f"{result['nodes']} nodes, {result['edges']} edges, {len(result['communities'])} largest "
               f"communities shown (modularity {result.get('modularity', 0)}); betweenness "
               f"{'sampled' if result['betweenness_sampled'] else 'exact'}")
    click.echo("\ntop entities:")
    _emit(result["top"], fmt, cols)
    for t, rows in result["top_by_type"].items():
        click.echo(f"\ntop {t}:")
        _emit(rows, fmt, cols)


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.argument("a")
@click.argument("b")
@click.option("--limit", default=5, show_default=True, help="Most chains to show.")
def path(graph_path, a, b, limit):
    """The shortest chains linking two entities, each hop with its relation and evidence."""
    from .explore import paths
    found = paths(_graph(graph_path), a, b, limit)
    if not found:
        raise ZhituError(f"{a} and {b} are not connected")
    for k, chain in enumerate(found, 1):
        click.echo(f"chain {k} ({len(chain)} hop{'s' if len(chain) > 1 else ''}):")
        for hop in chain:
            evidence = " ".join(hop["evidence"].split())[:80]
            click.echo(f"  {hop['from']} —{hop['relation']}— {hop['to']}   [{hop['doc']}] {evidence}")


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The HTML file to write.")
@click.option("--ego", help="Show only the neighbourhood of this entity.")
@click.option("--depth", default=2, show_default=True, help="Hops around --ego.")
@click.option("--type", "types", multiple=True,
              type=click.Choice(["Person", "Organization", "Project", "Place", "Agreement"]),
              help="Keep only these types (repeatable).")
@click.option("--since", help="Only relations dated on or after (ISO).")
@click.option("--until", help="Only relations dated on or before (ISO).")
@click.option("--max-nodes", default=5000, show_default=True, help="Above this, show the most central nodes.")
def render(graph_path, out, ego, depth, types, since, until, max_nodes):
    """Write the interactive page for the graph, one neighbourhood, some types or a period."""
    from .build import atomic_write
    from .explore import subgraph
    from .render import html
    H = subgraph(_graph(graph_path), ego=ego, depth=depth, types=types, since=since, until=until)
    with atomic_write(out) as fh:
        fh.write(html(H, max_nodes=max_nodes))
    click.echo(f"wrote {out} ({H.number_of_nodes()} nodes, {H.number_of_edges()} edges)")


@main.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--show", default=10, show_default=True, help="Misses to print per field.")
@click.option("--min-confidence", default=0.0, type=click.FloatRange(0, 1),
              help="Drop facts below this confidence before scoring.")
def eval_(corpus, show, min_confidence):
    """Score extraction on a folder of NAME.txt + NAME.gold.json (docs/gold-format.md)."""
    from .evaluate import evaluate, report
    click.echo(report(evaluate(corpus, min_confidence=min_confidence), show), nl=False)


@main.command()
def presets():
    """List the preset queries."""
    from .resources import presets as found
    for name, path in found().items():
        first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        click.echo(f"{name:<14}{first}")


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://HOST:8890/sparql-graph-crud-auth.")
@click.option("--graph", "graph_iri", metavar="IRI", help="The named graph to replace (default: the default graph).")
def push(graph_path, endpoint, graph_iri):
    """Load a built graph into a SPARQL server. Credentials, where needed, come from
    ZHITU_SPARQL_USER and ZHITU_SPARQL_PASSWORD, never from the command line."""
    from .push import push as run_push
    click.echo(run_push(graph_path, endpoint, graph_iri).summary())
