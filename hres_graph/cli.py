"""The `hres` command line (also `python -m hres_graph`). Each command is a thin wrapper.

Exit codes: 0 success; 1 the data does not conform or a check failed; 2 bad input, query or
configuration; 3 store or internal error. See README, "Exit codes".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .config import load_settings
from .errors import ConfigError, HresError
from .namespaces import PREFIXES
from .validation.report import FORMATS as REPORT_FORMATS
from .validation.report import LANGUAGES as REPORT_LANGUAGES

FORMATS = ("table", "csv", "tsv", "json")


def _exit_with(exc: HresError):
    """An HresError as its message and exit code instead of a traceback."""
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HresError as exc:
            _exit_with(exc)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hres")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML settings file (else HRES_CONFIG; environment HRES_* overrides it).",
)
@click.option(
    "--data-root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding raw/ and curated/ (default ../shared/data).",
)
@click.option("--var-dir", type=click.Path(file_okay=False, path_type=Path), help="Where built stores live.")
@click.pass_context
def main(ctx, config, data_root, var_dir):
    """HRES Graph: human rights and election standards as a knowledge graph."""
    ctx.obj = lambda: load_settings(config, data_root=data_root, var_dir=var_dir)


@main.command()
@click.option("--source", "sources", multiple=True, help="Build only these sources (repeatable).")
@click.option("--progress/--no-progress", default=None, help="Row progress on stderr (default: when a terminal).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Also write the build report (JSON).")
@click.pass_obj
def build(settings, sources, progress, report):
    """Build the graph into a new store and make it current when everything loaded."""
    from .build.pipeline import build as run_build

    resolved = settings()
    result = run_build(
        resolved, only=list(sources) or None, progress=sys.stderr.isatty() if progress is None else progress
    )
    print_build_summary(result)
    _print_data_checks(result.store)
    if resolved.backend == "sparql":
        from .store.publish import publish

        click.echo(f"Publishing to {resolved.sparql_query_url} …", err=True)
        publish(resolved)
    if report:
        report.write_text(result.to_json(), encoding="utf-8")


@main.command("import")
@click.argument("source")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--validate",
    "validate_first",
    is_flag=True,
    help="PATH is a contributed file: check it against shapes/ and load it into graph/contrib-SOURCE "
    "only if it conforms.",
)
@click.option("--format", "fmt", type=click.Choice(("text", "json", "turtle")), default="text", show_default=True)
@click.option("--lang", type=click.Choice(("en", "fr", "es")), default="en", show_default=True)
@click.option(
    "--allow-warnings", is_flag=True, help="With --validate: import when there are warnings but no violations."
)
@click.option("--force", is_flag=True, help="Import even when the source would lose more than half its triples.")
@click.pass_obj
def import_(settings, source, path, validate_first, fmt, lang, allow_warnings, force):
    """Replace one source's named graph in the current store with PATH (atomic)."""

    if validate_first:
        from .validation.contributions import import_validated

        outcome = import_validated(settings(), path, source, lang=lang, fmt=fmt, allow_warnings=allow_warnings)
        print_build_summary(outcome.result)
        return
    from .build.replace import import_source

    print_build_summary(import_source(settings(), source, path, force=force))


@main.command()
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Read the query from a regular file (- for standard input).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A named query's parameter (repeatable), bound as a typed RDF term.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries of queries/ and exit.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def query(settings, sparql, query_file, params, list_queries, fmt):
    """Run SPARQL (text, -f FILE, or - for stdin) or a named query (NAME --param k=v) on the current store.

    The query runs in a confined query worker, as at the endpoint (server/oneshot.py)."""
    from server import oneshot

    from .queries import catalogue, is_named_query, named_query
    from .store import results

    if list_queries:
        for q in catalogue().values():
            names = " ".join(f"{p.name}={p.type}" for p in q.parameters)
            click.echo(f"{q.tag + '/' + q.name:48} {names:40} {q.title}")
        return
    if sparql and is_named_query(sparql):
        named = named_query(sparql)
        values = dict(p.partition("=")[::2] for p in params)
        bindings = named.bindings_text(values)
        outcome = oneshot.run(
            settings(),
            named.text,
            bindings=bindings,
            columns=named.columns,
            check=lambda select: named.check_resources(values, select),  # an IRI naming nothing: exit 2
        )
    else:
        if params:
            raise click.UsageError("--param goes with a named query (hres query --list shows them)")
        text = _query_text(query_file, sparql, oneshot.MAX_TEXT_BYTES)
        if not text.strip():
            raise click.UsageError("give a query as an argument, with -f FILE, or on standard input")
        outcome = oneshot.run(settings(), text)
    if outcome.cut:
        click.echo(f"warning: the answer was cut ({outcome.cut})", err=True)
    if outcome.turtle is not None:
        click.echo(outcome.turtle)
        return
    result = outcome.result
    writer = {"csv": results.to_csv, "tsv": results.to_tsv, "json": results.to_json}.get(fmt)
    click.echo(writer(result) if writer else results.to_table(result, PREFIXES), nl=fmt == "table")


def _query_text(path: Path | None, sparql: str | None, limit: int) -> str:
    """The query from -f (a regular file only: a FIFO or a device could block for ever), from
    standard input, or the argument; at most `limit` bytes."""
    if path is not None and str(path) != "-":
        import os
        import stat

        try:  # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then sees what was opened
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="-f") from None
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise click.BadParameter(
                    f"{path} is not a regular file (a FIFO, device or socket could block "
                    "or never end); save the query to a file, or pipe it to -f -",
                    param_hint="-f",
                )
            os.set_blocking(fd, True)
            data = stream.read(limit + 1)
    elif path is not None or sparql in (None, "-"):
        data = sys.stdin.buffer.read(limit + 1)
    else:
        return sparql
    if len(data) > limit:
        raise click.BadParameter(f"the query is longer than {limit:,} bytes", param_hint="-f")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.BadParameter(
            f"the query is not UTF-8 ({exc.reason} at byte {exc.start})", param_hint="-f"
        ) from None


@main.command()
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.pass_obj
def stats(settings, fmt):
    """Triples per named graph and instances per class."""
    print_stats(settings(), as_json=fmt == "json")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("nquads", "trig", "turtle", "ntriples", "jsonld")),
    default="nquads",
    show_default=True,
)
@click.option("--graph", help="One named graph (IRI or source id); required for single-graph formats.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout).")
@click.pass_obj
def export(settings, fmt, graph, output):
    """Dump the whole graph (N-Quads, TriG) or one named graph (Turtle, N-Triples, JSON-LD)."""
    from .store.export import export as run_export

    run_export(settings(), fmt, graph, output)


@main.command()
@click.option("--reasoner/--no-reasoner", default=True, help="Run HermiT (needs Java) as well as the checks.")
@click.pass_obj
def check(settings, reasoner):
    """Check the ontology (it parses, every term is annotated, HermiT finds it consistent) and the built data."""
    from .quality.check import run_checks

    problems = run_checks(reasoner=reasoner, echo=click.echo, settings=settings())
    sys.exit(1 if problems else 0)


def _print_data_checks(store_path: Path) -> None:
    """The data QC checks (queries/qc, scope data) over the store just built, as `hres check` prints them."""
    from .quality.check import run_data_checks
    from .store.oxigraph import OxigraphStore

    click.echo("Data checks (queries/qc; `hres check` shows the rows):", err=True)
    run_data_checks(OxigraphStore(store_path), echo=lambda line: click.echo(line, err=True), shown=0)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="HTTP threads (waitress).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Query worker processes over the read-only store (default: HRES_QUERY_WORKERS or 2).",
)
@click.option(
    "--timeout",
    "query_timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds before a query is stopped (default: HRES_QUERY_TIMEOUT or 10).",
)
@click.pass_obj
def serve(settings, host, port, threads, workers, query_timeout):
    """Serve the SPARQL endpoint with a production WSGI server (waitress).

    Other settings come from HRES_* environment variables; see server/README.md.
    """
    from server import create_app
    from server.front import serve as serve_front

    overrides = {"QUERY_WORKERS": workers, "QUERY_TIMEOUT": query_timeout}
    app = create_app({k: v for k, v in overrides.items() if v is not None}, settings=settings())
    limits, pool = app.extensions["hres.limits"], app.extensions["hres"].pool
    click.echo(
        f"HRES Graph {__version__}: SPARQL endpoint at http://{host}:{port}/sparql "
        f"({pool.size} query workers, long lane {pool.long_limit or 'off'}, timeout {limits.query_timeout:g} s, "
        f"row cap {limits.row_cap}, updates {'ON (sandbox)' if app.config['UPDATE_TOKEN'] else 'off'})",
        err=True,
    )
    try:
        serve_front(app, host=host, port=port, threads=threads)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="another server is using that port: choose one with --port (make run PORT=…)",
        ) from None
    finally:
        app.extensions["hres"].close()


@main.command()
def sources():
    """List the registered sources, their default paths and licences."""
    from .importers import IMPORTERS

    for source in IMPORTERS.values():
        click.echo(f"{source.id:24} {source.default_path:48} {source.license}")


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json, or turtle (the standard SHACL validation report).",
)
@click.option(
    "--lang", type=click.Choice(REPORT_LANGUAGES), default="en", show_default=True, help="Language of the messages."
)
@click.option("--allow-warnings", is_flag=True, help="Conform (exit 0) when there are warnings but no violations.")
@click.option(
    "--with-store",
    is_flag=True,
    help="Also read context from the current store (recommendations your file assesses, ratifications).",
)
@click.option(
    "--shapes",
    "shapes_path",
    type=click.Path(exists=True, path_type=Path),
    help="Shapes file or folder to use instead of shapes/.",
)
@click.pass_obj
def validate_command(obj, files, fmt, lang, allow_warnings, with_store, shapes_path):
    """Check contributed FILES (Turtle, N-Triples, JSON-LD, RDF/XML or a CSV template) against the shapes.

    Exit code 0 when the files conform, 1 when they do not, 2 on bad input.
    """
    from .validation.contributions import validate_files

    try:  # as the group does: the command is also invoked on its own (tests, CliRunner)
        settings = (obj() if callable(obj) else load_settings()) if with_store else None
        report = validate_files(
            list(files), include_store=with_store, settings=settings, allow_warnings=allow_warnings, shapes=shapes_path
        )
    except HresError as exc:
        _exit_with(exc)
    click.echo(report.render(fmt, lang), nl=False)
    if fmt != "text":
        click.echo(f"{', '.join(report.sources)}: {report.summary()}", err=True)
    sys.exit(0 if report.conforms else 1)


# --- what a person reads after a build, an import or `hres stats` ----------------------------------


def print_build_summary(result) -> None:
    click.echo(f"Built {result.store.name} (dataset version {result.version}) in {result.seconds:.1f} s")
    for s in result.sources:
        click.echo(f"  {s.id:24} {s.triples:>10,} triples  {s.seconds:6.1f} s")
        for note in s.notes:
            click.echo(f"      note: {note}")
    unresolved = [(s.id, name, places) for s in result.sources for name, places in s.unresolved.items()]
    click.echo(f"Unresolved names: {len(unresolved)}" + ("" if unresolved else " (none)"))
    for source_id, name, places in unresolved:
        click.echo(f"  {source_id:24} {name!r}  e.g. {', '.join(places[:3])}")


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def print_stats(settings, *, as_json: bool = False) -> None:
    from .store.oxigraph import open_store

    store = open_store(settings)
    graphs = store.triple_counts()
    classes = store.query(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class"
    )
    if as_json:
        click.echo(json.dumps({"graphs": graphs, "classes": {str(c): int(n) for c, n in classes.rows}}, indent=2))
        return
    click.echo(f"{'named graph':56} {'triples':>10}")
    for graph, n in sorted(graphs.items()):
        click.echo(f"{_short(graph):56} {n:>10,}")
    click.echo(f"{'total':56} {sum(graphs.values()):>10,}\n")
    click.echo(f"{'class':56} {'instances':>10}")
    for cls, n in classes.rows:
        click.echo(f"{_short(str(cls)):56} {int(n):>10,}")
