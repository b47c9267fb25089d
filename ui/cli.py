"""`ratsauskunft`: one CLI whose subcommands mirror what clerks, staff and council members do.

A front end like the web app: every command calls the service (`assistant.service.Assistant`).
Whoever runs it on the store's files acts as the administration when writing (`CLI_ROLE`); the
audit log names them (`--user`). An expected failure (`RatsauskunftError`) ends as one German
line on standard error and the error's exit code, never as a traceback.
"""

from __future__ import annotations

import getpass
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from assistant.settings import Settings, settings_from_env
from assistant.types import Role, SearchFilters
from assistant.users import USER_ROLES
from ingest.types import RatsauskunftError

if TYPE_CHECKING:
    from assistant.service import Assistant

# Writing from a shell on the store's own files: the administration (reading takes --role).
CLI_ROLE = Role.ADMIN
ROLE_CHOICE = click.Choice([role.value for role in Role])
# Commands that answer one question and end: their dense queries read the store's vector snapshot
# instead of importing and opening Chroma (Assistant's `snapshot_reads`).
SNAPSHOT_COMMANDS = frozenset({"ask", "search"})


class RatsauskunftGroup(click.Group):
    """Turns our expected errors, wherever a command raises them, into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RatsauskunftError as error:
            click.echo(f"Fehler: {error}", err=True)
            ctx.exit(error.exit_code)


def _assistant(ctx: click.Context) -> Assistant:
    """Open the store and model lazily: `--help` must not load a model."""
    from assistant.service import Assistant

    if "assistant" not in ctx.obj:
        snapshot_reads = ctx.command.name in SNAPSHOT_COMMANDS
        ctx.obj["assistant"] = Assistant(ctx.obj["settings"], snapshot_reads=snapshot_reads)
    assistant: Assistant = ctx.obj["assistant"]
    return assistant


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


role_option = click.option(
    "--role",
    type=ROLE_CHOICE,
    default=Role.PUBLIC.value,
    show_default=True,
    callback=lambda ctx, param, value: Role(value),
    help="Access role to act as.",
)


def cli_user() -> str:
    """Who the audit log names for a command run in a shell: "cli:<login name>"."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


user_option = click.option(
    "--user", default=cli_user, show_default="cli:<Anmeldename>", help="Name recorded in the audit log."
)


@click.group(cls=RatsauskunftGroup)
@click.option("--store", envvar="RATSAUSKUNFT_STORE", default=None, help="Index directory (default ./data).")
@click.option("--verbose", "-v", is_flag=True, help="Show log messages.")
@click.pass_context
def main(ctx: click.Context, store: str | None, verbose: bool) -> None:
    """Ratsauskunft – Fragen an Ratsdokumente, mit Belegen."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    ctx.ensure_object(dict)
    ctx.obj["settings"] = settings_from_env(store)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@user_option
@click.option(
    "--status",
    type=click.Choice(("öffentlich", "nichtöffentlich")),
    default=None,
    help="Status for documents of this run that state none (kept in FILE.meta.json).",
)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], user: str, status: str | None) -> None:
    """Index files and folders (txt, html, pdf, docx)."""
    from tqdm import tqdm

    from ingest.pipeline import FAILED, collect_files

    assistant = _assistant(ctx)
    total = len(collect_files(paths))
    with tqdm(total=total, unit="Datei", disable=not sys.stderr.isatty()) as bar:

        def progress(result: Any) -> None:
            bar.update(1)
            if result.outcome == FAILED:
                bar.write(f"Fehler: {result.message}")

        report = assistant.ingest(
            list(paths),
            role=CLI_ROLE,
            user=user,
            on_progress=progress,
            on_wait=lambda note: bar.write(note, file=sys.stderr),
            status_if_missing=status or "",
        )
    click.echo(report.summary())
    _echo_non_public(report.non_public)
    for failure in report.failed:
        click.echo(f"  ✗ {failure.path}: {failure.message}", err=True)
    if report.failed:
        ctx.exit(1)


@main.command()
@click.argument("doc_id")
@user_option
@click.pass_context
def remove(ctx: click.Context, doc_id: str, user: str) -> None:
    """Remove a document from the index."""
    if _assistant(ctx).remove(doc_id, role=CLI_ROLE, user=user):
        click.echo(f"{doc_id} entfernt.")
    else:
        click.echo(f"{doc_id}: nicht im Index.", err=True)
        ctx.exit(1)


def _echo_non_public(counts: dict[str, int]) -> None:
    from ingest.pipeline import non_public_text
    from ingest.types import NO_STATUS_REASON

    if counts:
        click.echo(f"{non_public_text(counts)}: nur für angemeldete Ratsmitglieder und Verwaltung sichtbar.")
    if counts.get(NO_STATUS_REASON):
        click.echo(
            "  Sind sie öffentlich? Erneut indexieren mit `ratsauskunft ingest --status öffentlich PFAD`."
        )


def _hint_non_public(ctx: click.Context, role: str) -> None:
    """The public role sees fewer documents than the store holds: say so, on stderr, once."""
    from ingest.pipeline import non_public_text

    text = non_public_text(_assistant(ctx).non_public_counts()) if role == "public" else ""
    if text:
        click.echo(f"Hinweis: {text} und fehlt bei --role public.", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--role",
    type=ROLE_CHOICE,
    default=Role.ADMIN.value,
    show_default=True,
    callback=lambda ctx, param, value: Role(value),
)
@click.pass_context
def documents(ctx: click.Context, as_json: bool, role: Role) -> None:
    """List indexed documents with their metadata."""
    docs = _assistant(ctx).documents(role=role)
    if as_json:
        _dump({"documents": [d.to_json() for d in docs]})
        return
    for doc in docs:
        click.echo(f"{doc.doc_id:40} {doc.reference:14} {doc.status or 'ohne Status':16} {doc.title[:70]}")
    click.echo(f"{len(docs)} Dokumente")


@main.command()
@click.argument("query")
@click.option("--k", default=10, show_default=True)
@click.option("--committee", default="", help="Gremium (substring).")
@click.option("--type", "doc_type", default="", help="Vorlage-Art.")
@click.option("--body", default="", help="Körperschaft (substring).")
@click.option("--year", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
@role_option
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    k: int,
    committee: str,
    doc_type: str,
    body: str,
    year: int | None,
    as_json: bool,
    role: Role,
) -> None:
    """Ranked passages for QUERY."""
    filters = SearchFilters(committee=committee, doc_type=doc_type, body=body, year_from=year, year_to=year)
    hits = _assistant(ctx).search(query, k=k, filters=filters, role=role)
    _hint_non_public(ctx, role)
    if as_json:
        _dump({"hits": [h.to_json() for h in hits]})
        return
    if not hits:
        click.echo("Keine Treffer.")
    for rank, hit in enumerate(hits, 1):
        click.echo(
            f"{rank}. {hit.reference or hit.doc_id} – {hit.title} ({hit.date}) [{hit.section}] {hit.score:.3f}"
        )
        click.echo(f"   {hit.snippet}")


@main.command()
@click.argument("question")
@click.option(
    "--history-json", type=click.Path(exists=True, path_type=Path), help="JSON list of earlier questions."
)
@click.option("--json", "as_json", is_flag=True)
@role_option
@click.pass_context
def ask(ctx: click.Context, question: str, history_json: Path | None, as_json: bool, role: Role) -> None:
    """Answer QUESTION from the documents, with citations."""
    history = json.loads(history_json.read_text(encoding="utf-8")) if history_json else []
    answer = _assistant(ctx).ask(question, history=history, role=role)
    _hint_non_public(ctx, role)
    if as_json:
        _dump(answer.to_json())
        return
    click.echo(answer.text)
    for citation in answer.citations:
        quote = " ".join(citation.quote.split())
        click.echo(f"  [{citation.n}] {citation.reference or citation.doc_id} ({citation.section}): {quote}")
    for hit in answer.related:
        click.echo(f"  vielleicht relevant: {hit.reference or hit.doc_id} – {hit.title}")


LEDGER_COLUMNS = (
    "organisation",
    "kind",
    "amount",
    "period",
    "years",
    "payer",
    "purpose",
    "reference",
    "doc_id",
)


@main.command()
@click.option("--body", default="", help="Only rows of this Körperschaft (substring).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV to standard output.")
@role_option
@click.pass_context
def ledger(ctx: click.Context, body: str, as_csv: bool, role: Role) -> None:
    """Memberships and what is paid for them, from all visible documents."""
    import csv

    rows = _assistant(ctx).ledger(role=role, body=body)
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=LEDGER_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return
    for row in rows:
        click.echo(
            f"{row['organisation'][:45]:45} {row['kind'][:20]:20} {row['amount']:>16} {row['period']:9}"
            f" {row['years']:10} {row['reference']}"
        )


@main.command(name="eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--baselines", is_flag=True, help="Also score dense-only and BM25-only retrieval.")
@click.pass_context
def evaluate(ctx: click.Context, folder: Path, as_json: bool, baselines: bool) -> None:
    """Score retrieval and answers on a question set (DIR/docs, DIR/questions.jsonl)."""
    from assistant.eval_run import run_eval

    report = run_eval(folder, settings_of(ctx), baselines=baselines)
    if as_json:
        _dump(report)
        return
    from assistant.eval_run import render_report

    click.echo(render_report(report))


@main.command(name="import-oparl")
@click.argument("url")
@click.option("--since", default=None, help="Only papers modified since (2024-01-31 or ISO timestamp).")
@click.option("--body", "body_id", default=None, help="Only this Body (id URL or its last part).")
@click.option("--delay", default=0.5, show_default=True, help="Seconds between requests.")
@click.option("--timeout", default=30.0, show_default=True)
@click.option("--retries", default=3, show_default=True)
@click.option("--user", default="oparl")
@click.pass_context
def import_oparl_command(
    ctx: click.Context,
    url: str,
    since: str | None,
    body_id: str | None,
    delay: float,
    timeout: float,
    retries: int,
    user: str,
) -> None:
    """Import papers and meetings from an OParl 1.0/1.1 endpoint (incremental, resumable)."""
    from tqdm import tqdm

    from ingest.oparl import OParlError

    assistant = _assistant(ctx)
    with tqdm(unit="Objekt", disable=not sys.stderr.isatty()) as bar:

        def progress(line: str) -> None:
            bar.update(1)
            if not line.endswith("importiert"):
                bar.write(line)

        try:
            report = assistant.import_oparl(
                url,
                role=CLI_ROLE,
                user=user,
                since=since,
                body_id=body_id,
                delay=delay,
                timeout=timeout,
                retries=retries,
                max_file_bytes=settings_of(ctx).max_download_bytes,
                on_progress=progress,
            )
        except OParlError as error:
            raise OParlError(error.for_the_user()) from error
    click.echo(report.summary())
    for message in report.errors:
        click.echo(f"  ✗ {message}", err=True)
    if report.failed:
        ctx.exit(1)


AUDIT_ACTIONS = {
    "add": "hinzugefügt",
    "update": "aktualisiert",
    "correct": "korrigiert",
    "remove": "entfernt",
}


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--doc", "doc_id", default="", help="Only entries about this document id.")
@click.option("--user", default="", help="Only entries by this user.")
@click.pass_context
def audit(ctx: click.Context, as_json: bool, doc_id: str, user: str) -> None:
    """Who added, updated, corrected or removed which document, oldest first."""
    entries = [
        e
        for e in _assistant(ctx).audit_log(role=CLI_ROLE)
        if (not doc_id or e["doc_id"] == doc_id) and (not user or e["user"] == user)
    ]
    if as_json:
        _dump({"audit": entries})
        return
    for entry in entries:
        action = AUDIT_ACTIONS.get(entry["action"], entry["action"])
        detail = " ".join((entry["detail"] or "").split())
        click.echo(
            f"{entry['at']}  {entry['user']:<20} {action:<12} {entry['doc_id']}  {detail[:80]}".rstrip()
        )
    click.echo(f"{len(entries)} Einträge")


# --- users of the web app ------------------------------------------------------------------------


def _user_store(ctx: click.Context) -> Any:
    from assistant.users import UserStore

    return UserStore(settings_of(ctx).users_path)


def _checked_password(value: str) -> str:
    from assistant.users import UserError, check_password

    try:
        check_password(value)
    except UserError as error:
        raise click.UsageError(str(error)) from error
    return value


@main.group()
def users() -> None:
    """Who may sign in to the web app: names, roles (member, clerk, admin) and passwords.

    Users live in STORE/users.json (or RATSAUSKUNFT_USERS) with argon2 password hashes; a
    running app sees changes at once.
    """


@users.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in USER_ROLES]), required=True)
@click.option("--replace", is_flag=True, help="Give an existing user a new role and password.")
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, replace: bool) -> None:
    """Add user NAME; the password is asked for twice and never shown."""
    from assistant.users import ROLE_NAMES, UserError, check_name

    store = _user_store(ctx)
    name = check_name(name)
    if store.get(name) is not None and not replace:
        raise UserError(f"Benutzer „{name}“ gibt es schon (ändern mit --replace).")
    password = click.prompt(
        "Passwort",
        hide_input=True,
        confirmation_prompt="Passwort wiederholen",
        value_proc=_checked_password,
    )
    user = store.add(name, role, password, replace=replace)
    click.echo(f"Benutzer „{user.name}“ ({ROLE_NAMES[user.role]}) gespeichert in {store.path}.")


@users.command(name="list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def users_list(ctx: click.Context, as_json: bool) -> None:
    """List users with their roles (never their password hashes)."""
    listed = _user_store(ctx).users()
    if as_json:
        _dump({"users": [{"name": u.name, "role": u.role, "created_at": u.created_at} for u in listed]})
        return
    for user in listed:
        click.echo(f"{user.name:<30} {user.role:<8} {user.role_name:<16} seit {user.created_at}")
    click.echo(f"{len(listed)} Benutzer")


@users.command(name="remove")
@click.argument("name")
@click.pass_context
def users_remove(ctx: click.Context, name: str) -> None:
    """Remove user NAME; a session of theirs in the app loses its rights with the next click."""
    from assistant.tokens import TokenStore

    removed = _user_store(ctx).remove(name)
    TokenStore(_user_store(ctx)).revoke(name)
    if not removed:
        click.echo(f"Benutzer „{name}“ gibt es nicht.", err=True)
        ctx.exit(1)
    click.echo(f"Benutzer „{name}“ entfernt.")


@users.command(name="token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke the token instead of making a new one.")
@click.pass_context
def users_token(ctx: click.Context, name: str, revoke: bool) -> None:
    """A personal API token for NAME (MCP clients act with NAME's role); shown only now.

    A new token replaces the user's earlier one; removing the user revokes it too.
    """
    from assistant.tokens import TokenStore
    from assistant.users import UserError

    tokens = TokenStore(_user_store(ctx))
    try:
        if revoke:
            if not tokens.revoke(name):
                click.echo(f"Benutzer „{name}“ hat keinen Zugangsschlüssel.", err=True)
                ctx.exit(1)
            click.echo(f"Zugangsschlüssel von „{name}“ widerrufen.")
            return
        token = tokens.issue(name)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(token)
    click.echo(
        "Zugangsschlüssel – wird nur jetzt angezeigt. Im MCP-Client als "
        "`Authorization: Bearer …` oder RATSAUSKUNFT_TOKEN angeben.",
        err=True,
    )


def settings_of(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7860, show_default=True, type=int)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Start the web app: chat, search, ledger and (for clerks) documents."""
    from assistant.access import access_from_settings
    from ui.app import build_app, session_guard

    settings = settings_of(ctx)
    access = access_from_settings(settings)
    known_users = access.users.users()
    if not known_users:
        click.echo(
            "Noch keine Benutzer: anmelden kann sich niemand. Anlegen mit "
            "`ratsauskunft users add NAME --role clerk`.",
            err=True,
        )
    if not settings.allow_anonymous:
        click.echo("Zugriff ohne Anmeldung ist abgeschaltet (RATSAUSKUNFT_ANONYMOUS=0).", err=True)
    import uvicorn

    from assistant.tokens import TokenStore
    from ui.api import api_router
    from ui.mcp import build_server, web_app

    tokens = TokenStore(access.users)
    demo = build_app(_assistant(ctx), access)
    server = build_server(_assistant(ctx), access, tokens)
    app = web_app(
        demo,
        server,
        api_router(_assistant(ctx), access, tokens),
        host,
        server_name=host,
        server_port=port,
        # Twice the limit: up to there the app itself rejects a file with a German message;
        # beyond it Gradio refuses the upload before it reaches the disk.
        max_file_size=2 * settings.max_upload_bytes,
        footer_links=["api"],
        app_kwargs={"middleware": [session_guard(access, settings.max_upload_bytes)]},
    )
    click.echo(
        f"Ratsauskunft läuft unter http://{host}:{port}/, JSON unter /api, MCP unter /mcp (Beenden mit Strg+C)"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command(name="mcp")
@click.pass_context
def mcp_stdio(ctx: click.Context) -> None:
    """MCP server on stdin/stdout for desktop assistants; RATSAUSKUNFT_TOKEN acts as that user."""
    from contextlib import redirect_stdout

    import anyio

    from assistant.access import access_from_settings
    from assistant.tokens import TokenStore
    from ui.mcp import build_server, stdio_token_from_env

    access = access_from_settings(settings_of(ctx))
    with redirect_stdout(sys.stderr):  # standard output carries the protocol only
        assistant = _assistant(ctx)
    server = build_server(assistant, access, TokenStore(access.users), stdio_token_from_env())
    anyio.run(server.run_stdio_async)


if __name__ == "__main__":
    main()
