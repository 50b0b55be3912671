"""`presswatch`: a thin command line over `indexer.app.PressWatch`."""

from __future__ import annotations

import dataclasses
import functools
import json
import shlex
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from .app import PressWatch
from .consolidate import ConsolidationReport
from .config import Settings
from .errors import PressWatchError, RecordError
from .pipeline import IngestReport
from .search import SearchQuery, SearchResult, highlight_parts, highlight_text

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def settings_options(command):
    """--home, --index and --es-url, shared by every command that needs settings."""

    @click.option("--home", type=click.Path(path_type=Path), envvar="PRESSWATCH_HOME",
                  help="State folder (inbox, processed/, failed/, local Elasticsearch). [PRESSWATCH_HOME]")
    @click.option("--index", envvar="PRESSWATCH_INDEX", help="Index alias. [PRESSWATCH_INDEX, default articles]")
    @click.option("--es-url", envvar="ES_URL", help="Use this Elasticsearch instead of the local one. [ES_URL]")
    @functools.wraps(command)
    def wrapper(*args, home, index, es_url, **kwargs):
        overrides = {"home": home.expanduser().absolute() if home else None, "index": index, "es_url": es_url}
        return command(*args, app=PressWatch(Settings.from_env(**overrides)), **kwargs)

    return wrapper


class PressWatchGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PressWatchError as exc:
            raise click.ClickException(str(exc)) from exc


def web_options(command):
    """--host, --port and --no-auth of the web UI (defaults: PRESSWATCH_WEB_HOST/PORT)."""
    command = click.option("--no-auth", is_flag=True,
                           help="Serve beyond 127.0.0.1 without a password (PRESSWATCH_WEB_PASSWORD).")(command)
    command = click.option("--port", type=int, help="Port of the web UI. [PRESSWATCH_WEB_PORT, default 8800]")(command)
    return click.option("--host", help="Address the web UI binds to. [PRESSWATCH_WEB_HOST, default 127.0.0.1]")(command)


@click.group(cls=PressWatchGroup)
@click.version_option(package_name="presswatch")
def main():
    """PressWatch: news articles -> who was mentioned, who said what, which outlets carried it."""


# -- Elasticsearch ---------------------------------------------------------------------------
@main.group()
def es():
    """The local Elasticsearch node (installed from Maven Central, run as a child process)."""


@es.command("start")
@settings_options
def es_start(app: PressWatch):
    """Install (once) and start the local node, security on; wait until it is ready.

    Example: presswatch es start
    """
    _require_embedded(app)
    with console.status("starting Elasticsearch..."):
        status = app.node.start()
    console.print(f"Elasticsearch {status.version} is {status.health} at {status.url}")
    console.print(f"credentials: {app.settings.credentials_file}  (for other clients: "
                  'eval "$(presswatch es env)")')


@es.command("stop")
@settings_options
def es_stop(app: PressWatch):
    """Stop the local node started by `es start` or `up`.

    Example: presswatch es stop
    """
    _require_embedded(app)
    console.print("stopped" if app.node.stop() else "the local node was not running")


@es.command("status")
@settings_options
def es_status(app: PressWatch):
    """Say whether Elasticsearch answers; exit 1 when it does not.

    Example: presswatch es status
    """
    status = app.node.status() if app.settings.embedded else None
    if status is None:
        running = app.store.ping()
        console.print(f"{app.settings.url}: {'up' if running else 'not answering'}")
    else:
        running = status.running
        console.print(f"{status.url}: " + (f"Elasticsearch {status.version}, {status.health}"
                                           if running else "not running"))
    sys.exit(0 if running else 1)


@es.command("env")
@settings_options
def es_env(app: PressWatch):
    """Print the connection as shell lines: ES_URL, ES_USERNAME/ES_PASSWORD or ES_API_KEY, ES_CA_CERTS.

    They are the variables PressWatch reads, so scripts, curl and other clients reach the same cluster.

    Example: eval "$(presswatch es env)" && curl -u "$ES_USERNAME:$ES_PASSWORD" "$ES_URL/_cluster/health"
    """
    connection = app.node.connection() if app.settings.embedded else app.settings.connection()
    for name, value in connection.env().items():
        click.echo(f"export {name}={shlex.quote(value)}" if value is not None else f"unset {name}")


def _stop_on_sigterm() -> None:
    """SIGTERM stops a command as Ctrl-C does: files in flight are given back, workers stopped."""

    def interrupt(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _require_embedded(app: PressWatch) -> None:
    if not app.settings.embedded:
        raise click.ClickException(f"ES_URL is set ({app.settings.url}): the local node is not used")


# -- ingest and enrich -----------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--no-prefect", is_flag=True, help="Run the library directly, without a Prefect flow run.")
@click.option("--no-consolidate", is_flag=True,
              help="Leave the entity consolidation for later (`presswatch entities consolidate`).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@settings_options
def ingest(app: PressWatch, paths: tuple[Path, ...], no_prefect: bool, no_consolidate: bool, as_json: bool):
    """Ingest the inbox once (or the given files and folders, which are not moved).

    Example: presswatch ingest            # what is in the inbox
    Example: presswatch ingest seeds/     # a folder, indexed in place
    """
    app.ensure_elasticsearch()
    _stop_on_sigterm()
    try:
        result = _ingest(app, paths, no_prefect, consolidate=not no_consolidate)
    except KeyboardInterrupt:
        console.print("stopped: unfinished files were given back to the inbox")
        sys.exit(130)
    finally:
        app.close()  # the NLP workers stop with the command
    if as_json:
        out.print_json(data=result)
    else:
        _print_ingest(result)
    if any(f["status"] == "failed" for f in result["files"]):
        sys.exit(1)


def _ingest(app: PressWatch, paths: tuple[Path, ...], no_prefect: bool, *, consolidate: bool = True) -> dict:
    if no_prefect:
        with _progress_bar() as on_progress:
            report = (app.ingest_paths(list(paths), on_progress=on_progress) if paths
                      else app.ingest_inbox(on_progress=on_progress))
        result = report.to_dict()
        if report.articles and consolidate:
            result["consolidation"] = app.consolidate().to_dict()
        return result
    from flows.ingest import flow_parameters, ingest_inbox, ingest_paths, presswatch
    from flows.watch import prefect_server

    with prefect_server(app.settings, start=False):  # the running `presswatch up` server, if any
        where = flow_parameters(app.settings)
        try:
            return (ingest_paths([str(p) for p in paths], **where, consolidate=consolidate) if paths
                    else ingest_inbox(**where, consolidate=consolidate))
        finally:
            presswatch(app.settings).close()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@settings_options
def enrich(app: PressWatch, paths: tuple[Path, ...]):
    """Print, one JSON line per article, the document that ingest would index. No Elasticsearch needed.

    Example: presswatch enrich seeds/khamenei-hosts-hamas-delegation.txt | jq .quotes
    """
    failures = []

    def on_error(error: RecordError) -> None:
        failures.append(error)
        console.print(f"[red]error[/]: {error}")

    for document in app.enrich_paths(list(paths), on_error=on_error):
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    sys.exit(1 if failures else 0)


# -- the watcher -----------------------------------------------------------------------------
@main.command()
@click.option("--sweep", default=300.0, show_default=True,
              help="Seconds between scheduled sweep runs of the inbox (the file watcher is immediate).")
@click.option("--keep-es", is_flag=True, help="Leave the local Elasticsearch running on exit.")
@click.option("--no-web", is_flag=True, help="Do not serve the web UI.")
@web_options
@settings_options
def up(app: PressWatch, sweep: float, keep_es: bool, no_web: bool, host: str | None, port: int | None,
       no_auth: bool):
    """Start Elasticsearch, Prefect and the web UI, then index whatever lands in the inbox, until Ctrl-C.

    Example: presswatch up    # then open http://127.0.0.1:8800 and: cp seeds/*.txt .presswatch/inbox/
    """
    from flows.watch import prefect_server, serve_and_watch

    from .web.server import web_server

    web = None if no_web else web_server(app, host=host, port=port, allow_open=no_auth)  # the port first: fail early
    started_es = app.settings.embedded and not app.node.status().running
    _stop_on_sigterm()
    try:
        with console.status("starting Elasticsearch..."):
            app.ensure_elasticsearch()
        with prefect_server(app.settings) as api_url:
            console.print(f"Elasticsearch: {app.settings.url}  index: {app.settings.index}")
            console.print(f"Prefect: {api_url.removesuffix('/api')}  (deployments ingest-inbox/inbox-sweep, "
                          f"consolidate-entities/entities-schedule)")
            if web is not None:
                web.start()
                console.print(f"Web UI: [bold]{web.url}[/]")
            console.print(f"Watching [bold]{app.settings.inbox}[/] (Ctrl-C to stop)")
            serve_and_watch(app.settings, sweep_seconds=sweep, on_report=_print_ingest)
    except KeyboardInterrupt:
        pass
    finally:
        _shut_down(web.stop if web is not None else None, app.node.stop if started_es and not keep_es else None)
        console.print("stopped")


def _shut_down(*steps: Callable[[], object] | None) -> None:
    """Each step in turn; a second Ctrl-C during one cuts it short but still runs the others."""
    for step in steps:
        if step is None:
            continue
        try:
            step()
        except KeyboardInterrupt:
            continue


@main.command()
@web_options
@settings_options
def serve(app: PressWatch, host: str | None, port: int | None, no_auth: bool):
    """Serve the web UI alone, against the configured index (any Elasticsearch), until Ctrl-C.

    Example: presswatch serve --port 8801
    Example: PRESSWATCH_WEB_PASSWORD=s3cret presswatch serve --host 0.0.0.0
    """
    from .web.server import web_server

    web = web_server(app, host=host, port=port, allow_open=no_auth)
    if not app.store.ping():
        console.print(f"[yellow]warning[/]: Elasticsearch at {app.settings.url} does not answer yet "
                      f"(`presswatch es start`?); pages say so until it does")
    console.print(f"Web UI: [bold]{web.url}[/]  index: {app.settings.index}  (Ctrl-C to stop)")
    web.run()


# -- search ----------------------------------------------------------------------------------
@main.command()
@click.argument("text", required=False)
@click.option("--person", multiple=True, help="Articles mentioning this person (repeatable).")
@click.option("--org", multiple=True, help="Articles mentioning this organisation (repeatable).")
@click.option("--outlet", multiple=True, help="Articles published by this outlet (repeatable: any of them).")
@click.option("--speaker", multiple=True, help="Quotes by this speaker; TEXT then searches their quotes.")
@click.option("--place", multiple=True, help="Articles mentioning this place (repeatable).")
@click.option("--cited", multiple=True, help="Articles citing this outlet (repeatable).")
@click.option("--from", "date_from", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Only quotes attributed with at least this confidence (0-1) count, for --speaker and the speakers facet.")
@click.option("--size", default=10, show_default=True, help="Hits to show.")
@click.option("--json", "as_json", is_flag=True, help="Print hits and facets as JSON.")
@settings_options
def search(app: PressWatch, text, person, org, outlet, speaker, place, cited, date_from, date_to, min_confidence,
           size, as_json):
    """Full-text and faceted search; prints hits and the top persons, organisations, outlets, speakers.

    Example: presswatch search --person "Ismail Haniyeh"
    Example: presswatch search --speaker "Ali Khamenei" conspiracy
    Example: presswatch search --speaker "Donald Trump" --min-confidence 0.7
    Example: presswatch search --place Gaza --from 2017-01-01 --to 2017-06-30
    """
    query = SearchQuery(text=text, persons=person, organizations=org, outlets=outlet, speakers=speaker,
                        locations=place, cited_outlets=cited, date_from=date_from, date_to=date_to,
                        min_confidence=min_confidence, size=size)
    result = app.search(query)
    if as_json:  # highlights as text with <em> marks, as they have always been printed
        data = dataclasses.asdict(result)
        for hit in data["hits"]:
            hit["highlights"] = [highlight_text(f) for f in hit["highlights"]]
            for q in hit["quotes"]:
                if "highlight" in q:
                    q["highlight"] = highlight_text(q["highlight"])
        out.print_json(data=data)
    else:
        _print_search(result)


# -- entities --------------------------------------------------------------------------------
@main.group()
def entities():
    """One entry per real-world entity: browse, consolidate and curate the entity index.

    Curation commands write your registry ($PRESSWATCH_HOME/registry.yaml), so they survive a
    re-ingest, and update the index at once.
    """


@entities.command("consolidate")
@click.option("--full", is_flag=True, help="Re-resolve every article, not only those concerned.")
@click.option("--no-prefect", is_flag=True, help="Run the library directly, without a Prefect flow run.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@settings_options
def entities_consolidate(app: PressWatch, full: bool, no_prefect: bool, as_json: bool):
    """Re-resolve entities across the corpus and update the articles and entities that changed.

    Runs as the Prefect flow `consolidate-entities` (also after every ingest, and on a schedule
    under `presswatch up`).

    Example: presswatch entities consolidate
    """
    app.ensure_elasticsearch()
    if no_prefect:
        report = app.consolidate(full=full)
    else:
        from flows.ingest import consolidate_entities, flow_parameters
        from flows.watch import prefect_server

        with prefect_server(app.settings, start=False):
            report = ConsolidationReport(**consolidate_entities(**flow_parameters(app.settings), full=full))
    _print_consolidation(report, as_json)


@entities.command("apply")
@settings_options
def entities_apply(app: PressWatch):
    """Apply the registry to every indexed article (no NLP is re-run): `consolidate --full`.

    Example: presswatch entities apply    # after editing $PRESSWATCH_HOME/registry.yaml
    """
    _print_consolidation(app.consolidate(full=True), False)


@entities.command("list")
@click.argument("text", required=False)
@click.option("--label", type=click.Choice(["PERSON", "ORG", "LOC"], case_sensitive=False))
@click.option("--top", default=30, show_default=True, help="How many entities to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the entities as JSON.")
@settings_options
def entities_list(app: PressWatch, text: str | None, label: str | None, top: int, as_json: bool):
    """Entities by article count, with their aliases; TEXT filters on names and aliases.

    Example: presswatch entities list --label PERSON --top 20 obama
    """
    found = app.list_entities(label=label, text=text, top=top)
    if as_json:
        out.print_json(json.dumps(found))
        return
    table = Table("entity", "label", "articles", "aliases (articles)", "id")
    for e in found:
        aliases = ", ".join(f"{a['name']} ({a['count']})" for a in e.get("aliases") or [] if a["name"] != e["name"])
        table.add_row(e["name"], e["label"] + (f"/{e['kind']}" if e.get("kind") else ""), str(e["article_count"]),
                      aliases[:200], e["id"])
    out.print(table)


@entities.command("show")
@click.argument("name")
@settings_options
def entities_show(app: PressWatch, name: str):
    """One entity: its id, label, aliases, roles, article count and dates, as JSON.

    Example: presswatch entities show "Barack Obama"
    """
    entity = app.find_entity(name)
    if entity is None:
        raise click.ClickException(f"no entity named {name!r} (try `presswatch entities list {name}`)")
    out.print_json(json.dumps(entity))


@entities.command("merge")
@click.argument("names", nargs=-1, required=True)
@click.option("--into", "into", required=True, help="The entity (or new canonical name) to merge them into.")
@settings_options
def entities_merge(app: PressWatch, names: tuple[str, ...], into: str):
    """Merge entities into one.

    Example: presswatch entities merge "Bibi" "B. Netanyahu" --into "Benjamin Netanyahu"
    """
    _print_consolidation(app.merge_entities(list(names), into), False)


@entities.command("split")
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@settings_options
def entities_split(app: PressWatch, name: str, aliases: tuple[str, ...]):
    """Keep these aliases apart from the entity: each becomes an entity of its own.

    Example: presswatch entities split "George W. Bush" "George Bush"
    """
    _print_consolidation(app.split_entity(name, list(aliases)), False)


@entities.command("rename")
@click.argument("name")
@click.argument("new_name")
@settings_options
def entities_rename(app: PressWatch, name: str, new_name: str):
    """Give an entity a new canonical name.

    Example: presswatch entities rename "Islamic State of Iraq" "Islamic State"
    """
    _print_consolidation(app.rename_entity(name, new_name), False)


@entities.command("relabel")
@click.argument("name")
@click.argument("label", type=click.Choice(["PERSON", "ORG", "LOC"], case_sensitive=False))
@settings_options
def entities_relabel(app: PressWatch, name: str, label: str):
    """Correct an entity's type.

    Example: presswatch entities relabel "Hezbollah" ORG
    """
    _print_consolidation(app.relabel_entity(name, label), False)


@entities.command("drop")
@click.argument("name")
@click.option("--label", type=click.Choice(["PERSON", "ORG", "LOC"], case_sensitive=False),
              help="Only when it has this label.")
@settings_options
def entities_drop(app: PressWatch, name: str, label: str | None):
    """Not an entity: remove it from the facets (the articles keep their text).

    Example: presswatch entities drop "Getty Images"
    """
    _print_consolidation(app.drop_entity(name, label.upper() if label else None), False)


def _print_consolidation(report, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
    elif report.skipped:
        console.print("entities are up to date (nothing ingested or edited since the last consolidation)")
    else:
        console.print(f"{report.entities} entities from {report.surfaces} names; {report.changed_surfaces} names "
                      f"changed entity; {report.articles_updated} of {report.articles_checked} articles checked "
                      f"updated; {report.entities_written} entities written, {report.entities_deleted} removed "
                      f"in {report.seconds:.1f}s" + (f"; {len(report.failed)} failed" if report.failed else ""))
    if report.failed:
        for doc_id, reason in list(report.failed.items())[:20]:
            console.print(f"  {doc_id}: {reason}")
        sys.exit(1)


# -- kibana ----------------------------------------------------------------------------------
@main.group()
def kibana():
    """Kibana's saved objects for PressWatch: data views, a dashboard, a quotes table."""


@kibana.command("import")
@click.option("--url", help="Kibana's address. [PRESSWATCH_KIBANA_URL, default http://127.0.0.1:5601]")
@click.option("--username", help="A Kibana user allowed to import (e.g. elastic). "
                                 "[PRESSWATCH_KIBANA_USERNAME, default ES_USERNAME]")
@click.option("--password", help="Its password. [PRESSWATCH_KIBANA_PASSWORD, default ES_PASSWORD]")
@settings_options
def kibana_import(app: PressWatch, url: str | None, username: str | None, password: str | None):
    """Import the data views (on the index alias, time field published_at) and the PressWatch dashboard
    into an existing Kibana; a second import replaces the first.

    Example: presswatch kibana import --url http://127.0.0.1:5601 --username elastic
    """
    from .kibana import import_saved_objects, saved_objects

    s = app.settings
    report = import_saved_objects(url or s.kibana_url, saved_objects(s.index), username=username or s.kibana_username,
                                  password=password or s.kibana_password)
    if not report.success:
        for error in report.errors:
            console.print(f"[red]error[/]: {error.get('type')} {error.get('id')}: {error.get('error')}")
        sys.exit(1)
    console.print(f"imported {report.count} saved objects; dashboard: {report.dashboard_url}")


# -- status ----------------------------------------------------------------------------------
@main.command()
@settings_options
def status(app: PressWatch):
    """Where things are: Elasticsearch, the index, the inbox and its folders.

    Example: presswatch status
    """
    running = app.store.ping()
    rows = [("Elasticsearch", f"{app.settings.url} ({'up' if running else 'down'})"),
            ("index", f"{app.settings.index}: {app.store.count() if running else '?'} documents")]
    for label, folder in (("inbox", app.settings.inbox), ("processed", app.settings.processed_dir),
                          ("failed", app.settings.failed_dir)):
        files = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
        rows.append((label, f"{folder} ({files} files)"))
    for label, value in rows:
        click.echo(f"{label:<14} {value}")


# -- output ----------------------------------------------------------------------------------
class _progress_bar:
    """A rich progress bar (articles, rate, ETA by bytes) fed by the pipeline's progress callback."""

    def __enter__(self):
        self.bar = Progress(TextColumn("{task.fields[articles]} articles"), BarColumn(),
                            TaskProgressColumn(), TextColumn("{task.fields[rate]:.1f}/s"),
                            TimeRemainingColumn(), console=console, transient=True)
        self.task = self.bar.add_task("ingest", total=None, articles=0, rate=0.0)
        self.bar.__enter__()
        return self

    def __call__(self, p) -> None:
        rate = p.articles / p.elapsed if p.elapsed else 0.0
        self.bar.update(self.task, total=p.bytes_total or None, completed=p.bytes_done,
                        articles=p.articles, rate=rate)

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)


def _print_ingest(result: dict | IngestReport) -> None:
    if isinstance(result, IngestReport):
        result = result.to_dict()
    files = result["files"]
    console.print(f"indexed {result['articles']} article(s) from {len(files)} file(s)")
    for f in files:
        if f["status"] == "failed":
            console.print(f"  [red]failed[/] {f['name']}: {f['reason']}")
        elif f["status"] == "released":
            console.print(f"  [yellow]returned to the inbox[/] {f['name']}: {f['reason']}")
        elif f["errors"]:
            console.print(f"  [yellow]{f['failed_records']} record(s) failed[/] in {f['name']}: "
                          f"record {f['errors'][0]['record']}: {f['errors'][0]['reason']}")
        for w in f.get("warnings", [])[:3]:
            where = f" record {w['record']}:" if w.get("record") else ""
            console.print(f"  [yellow]warning[/] {f['name']}:{where} {w['warning']}")


def _print_search(result: SearchResult) -> None:
    out.print(f"[bold]{result.total}[/] article(s) ({result.took_ms} ms)")
    for hit in result.hits:
        out.print(f"\n[bold]{hit.title}[/]  [dim]{hit.outlet or ''} {(hit.published_at or '')[:10]}[/]")
        if hit.url:
            out.print(f"  [dim]{hit.url}[/]")
        for quote in hit.quotes:
            confidence = f", {quote['confidence']:.2f}" if quote.get("confidence") is not None else ""
            out.print(f"  [green]{quote.get('speaker')}[/] ({quote.get('cue') or quote.get('kind')}{confidence}): "
                      f"\u201c{escape(quote.get('text') or '')}\u201d")
        for fragment in hit.highlights:
            snippet = Text("  …")
            for text, marked in highlight_parts(fragment):
                snippet.append(text, style="bold yellow" if marked else None)
            out.print(snippet + Text("…"))
    table = Table(title="facets", show_lines=False)
    for name in ("persons", "organizations", "outlets", "speakers"):
        table.add_column(name)
    columns = [[f"{v.value} ({v.count})" for v in result.facets[name]]
               for name in ("persons", "organizations", "outlets")]
    columns.append([f"{v.value} ({v.quotes} quotes, {v.count} art.)" for v in result.facets["speakers"]])
    for row in range(max((len(c) for c in columns), default=0)):
        table.add_row(*[c[row] if row < len(c) else "" for c in columns])
    out.print(table)
