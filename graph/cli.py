"""`kg`: a thin command line over the pipeline. Options in, plain functions called,
the project's own exceptions turned into one-line errors in one place."""
from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .errors import QueryError, ZhituError


class Group(click.Group):
    """Turns the project's exceptions into one line and the documented exit status, in one
    place: 1 a negative answer, 2 usage or an unreadable input or unwritable output, 3 work
    that could not finish, 130 interrupted."""

    def invoke(self, ctx):
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # ill-typed literals: validate reports them
        try:
            return super().invoke(ctx)
        except ZhituError as err:
            _fail(ctx, str(err), err.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted; outputs not yet in place were discarded", 130)
        except BrokenPipeError:  # `kg query ... | head`: the reader has all it wanted
            sys.stderr.close()
            ctx.exit(0)
        except OSError as err:
            from .outputs import output_error
            failure = output_error(err, err.filename or "output")
            _fail(ctx, str(failure), failure.exit_code)


def _say(text: str = "", nl: bool = True, err: bool = False) -> None:
    """click.echo, with control characters escaped where the output is a terminal (a
    document id can hold an escape sequence)."""
    from .query import safe_text
    stream = sys.stderr if err else sys.stdout
    if stream.isatty():
        text = "\n".join(safe_text(line) for line in str(text).split("\n"))
    click.echo(text, nl=nl, err=err)


def _fail(ctx, message: str, code: int):
    from .query import safe_text
    click.echo(f"Error: {safe_text(' '.join(message.split()))}", err=True)
    ctx.exit(code)


WAIT = click.option("--wait", type=click.FloatRange(0), default=0.0, show_default=True, metavar="SECONDS",
                    help="If another kg command is writing the folder, wait this long for it.")
FORCE = click.option("--force", is_flag=True, help="Replace the output file even if zhitu did not write it.")


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
@WAIT
@click.option("--allow-empty", is_flag=True,
              help="Write the graph even when no article could be read (by default nothing is replaced).")
def build(inputs, out_dir, min_confidence, strict, update, workers, dask_address, wait, allow_empty):
    """Read articles (.txt, .jsonl or folders) and write the knowledge graph.

    DIR must be new, empty or a folder kg build wrote (it keeps a manifest, zhitu.json);
    only the files the tool wrote are replaced."""
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
                           dask=dask_address, wait=wait, allow_empty=allow_empty,
                           progress=lambda piece: bar.update(0 if PART.search(piece.doc_id) else 1))
    _say(report.summary())
    _say(f"wrote {', '.join(str(p) for p in report.outputs)}")
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
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=300.0, show_default=True,
              help="Seconds the query may run.")
@click.option("--allow-update", is_flag=True,
              help="Allow SPARQL UPDATE: the change is written to the build's store, graph.ttl and page.")
@click.option("--allow-network", is_flag=True,
              help="Allow SERVICE and LOAD, which make the store send requests to the addresses they name.")
@WAIT
def query(graph_path, sparql, query_file, preset, fmt, timeout, allow_update, allow_network, wait):
    """Run a SPARQL query (or a preset) over a built graph, under a time limit.

    SELECT, ASK, CONSTRUCT and DESCRIBE stream their rows; an UPDATE needs --allow-update."""
    from .query import check_query, stream_on, terminal_width, update_on, write_rows
    from .resources import preset as preset_text
    given = [x for x in (sparql, query_file, preset) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of SPARQL, --file or --preset")
    text = sparql or (_query_file(query_file) if query_file else preset_text(preset))
    if check_query(text, allow_update, allow_network) == "UPDATE":
        done = update_on(graph_path, text, allow_network=allow_network, timeout=timeout, wait=wait)
        _say(done.summary())
        _say("note: extractions.jsonl is unchanged, so a later `kg build --update` rebuilds without this edit",
                   err=True)
        return
    answer = stream_on(graph_path, text, allow_network=allow_network, timeout=timeout)
    out = sys.stdout
    terminal = out.isatty()
    fmt = fmt or ("table" if terminal else "csv")
    write_rows(out, answer.columns, answer.rows, fmt, width=terminal_width(), terminal=terminal)


MAX_QUERY_BYTES = 1 << 20


def _query_file(path: Path) -> str:
    with open(path, "rb") as fh:
        data = fh.read(MAX_QUERY_BYTES + 1)
    if len(data) > MAX_QUERY_BYTES:
        raise QueryError(f"{path}: larger than 1 MB; not a query")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not a UTF-8 text file; a query file holds SPARQL text") from None


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
def validate(graph_path):
    """Check a graph against the SHACL shapes in ontology/shapes.ttl (exit 1 if it does not conform)."""
    from .query import open_graph
    from .validate import validate as check
    conforms, problems = check(open_graph(graph_path))
    if conforms:
        _say(f"{graph_path}: conforms")
        return
    _say(f"{graph_path}: {len(problems)} violation(s)")
    for line in problems:
        _say(f"  {line}")
    raise SystemExit(1)


@main.command("export")
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["turtle", "nt", "jsonld", "trig", "graphml", "gexf", "csv"]))
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Output file (a folder for csv: nodes.csv and relationships.csv for neo4j-admin import).")
@FORCE
def export_(graph_path, fmt, out, force):
    """Export a graph for other stores and tools."""
    from .export import export
    from .query import load_graph
    _say(f"wrote {export(load_graph(graph_path), fmt, out, force=force)}")


def _graph(graph_path):
    from .analyze import to_networkx
    from .query import open_graph
    return to_networkx(open_graph(graph_path))


def _emit(rows: list[dict], fmt: str | None, columns: list[str]) -> None:
    from .query import terminal_width, write_rows
    terminal = sys.stdout.isatty()
    fmt = fmt or ("table" if terminal else "csv")
    write_rows(sys.stdout, columns, ([_cell(r.get(c, "")) for c in columns] for r in rows), fmt,
               width=terminal_width(), terminal=terminal)


def _cell(value) -> str:
    return "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


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
        _say(json.dumps(result, ensure_ascii=False, indent=1))
        return
    cols = ["name", "type", "degree", "pagerank", "betweenness", "community"]
    _say(f"{result['nodes']} nodes, {result['edges']} edges, {len(result['communities'])} largest "
               f"communities shown (modularity {result.get('modularity', 0)}); betweenness "
               f"{'sampled' if result['betweenness_sampled'] else 'exact'}")
    _say("\ntop entities:")
    _emit(result["top"], fmt, cols)
    for t, rows in result["top_by_type"].items():
        _say(f"\ntop {t}:")
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
        _say(f"chain {k} ({len(chain)} hop{'s' if len(chain) > 1 else ''}):")
        for hop in chain:
            evidence = " ".join(hop["evidence"].split())[:80]
            _say(f"  {hop['from']} —{hop['relation']}— {hop['to']}   [{hop['doc']}] {evidence}")


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
@FORCE
def render(graph_path, out, ego, depth, types, since, until, max_nodes, force):
    """Write the interactive page for the graph, one neighbourhood, some types or a period."""
    from .explore import subgraph
    from .outputs import atomic_write, check_file
    from .render import html
    check_file(out, force)
    H = subgraph(_graph(graph_path), ego=ego, depth=depth, types=types, since=since, until=until)
    with atomic_write(out) as fh:
        fh.write(html(H, max_nodes=max_nodes))
    _say(f"wrote {out} ({H.number_of_nodes()} nodes, {H.number_of_edges()} edges)")


@main.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--show", default=10, show_default=True, help="Misses to print per article (0: the scores alone).")
@click.option("--min-confidence", default=0.0, type=click.FloatRange(0, 1),
              help="Drop facts below this confidence before scoring.")
def eval_(corpus, show, min_confidence):
    """Score extraction on a folder of NAME.txt + NAME.gold.json (docs/gold-format.md)."""
    from .evaluate import evaluate, report
    click.echo(report(evaluate(corpus, min_confidence=min_confidence), show, colour=sys.stdout.isatty()), nl=False)


@main.command()
def presets():
    """List the preset queries."""
    from .resources import presets as found
    for name, path in found().items():
        first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        _say(f"{name:<14}{first}")


@main.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://HOST:8890/sparql-graph-crud-auth.")
@click.option("--graph", "graph_iri", metavar="IRI", help="The named graph to replace (default: the default graph).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=600.0, show_default=True,
              help="Seconds the whole push may take.")
def push(graph_path, endpoint, graph_iri, timeout):
    """Load a built graph into a SPARQL server. Credentials, where needed, come from
    ZHITU_SPARQL_USER and ZHITU_SPARQL_PASSWORD, never from the command line."""
    from .push import check_endpoint, push as run_push
    check_endpoint(endpoint)  # before the graph is read: a URL with a password is refused at once
    _say(run_push(graph_path, endpoint, graph_iri, timeout=timeout).summary())
