"""The Gradio app: chat with citations, search, ledger of memberships with a chart, decisions, and
documents for clerks.

Handlers are thin: each one calls the `Assistant` (or `parse` for an upload preview) and turns
its result into HTML or a table. They take the role (and, where they write, the user name for
the audit log) as arguments; `build_app` binds them to the session of the signed-in user, which
the server keeps per browser tab (ui.account.bind_session), so the role of a request comes from
the session alone. Without signing in a visitor acts as the public role, or – with anonymous
access switched off (Settings.allow_anonymous) – sees nothing but the sign-in form.

Named API endpoints for `gradio_client` (stateless, role "public"; refused when anonymous access
is switched off):
- `/ask`: question, optional history (list of earlier questions) → Answer.to_json()
- `/search`: query, optional k → {"hits": [Hit.to_json(), …]}
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
from starlette.middleware import Middleware

from assistant.access import (
    SESSION_SECONDS,
    Access,
    LoginError,
    Session,
    access_from_settings,
    may_edit,
)
from assistant.service import Assistant
from assistant.types import AnswerJson, LedgerRow, Role, SearchFilters, SearchJson
from ingest.german.references import is_reference, select_by_reference
from ingest.parsing import SUPPORTED_SUFFIXES, parse
from ingest.pipeline import ADDED, FAILED, SKIPPED, UPDATED, FileResult
from ingest.types import (
    EDITABLE_FIELDS,
    FIELD_LABELS,
    NON_PUBLIC_STATUS,
    PUBLIC_STATUS,
    Document,
    RatsauskunftError,
)
from ingest.uploads import (
    UploadLimits,
    accept_upload,
    remove_abandoned_uploads,
    safe_file_name,
    size_text,
)
from ui import render, tables
from ui.account import (
    COOKIE_NEEDED_TEXT,
    SessionCookies,
    account_text,
    bind_session,
    client_address,
    cookie_secret,
)

log = logging.getLogger(__name__)

API_ROLE = Role.PUBLIC
API_MAX_HITS = 50
API_CLOSED_TEXT = "Der Zugriff ohne Anmeldung ist abgeschaltet; die Schnittstelle steht nicht zur Verfügung."
# Written to the audit log when a handler is called directly rather than through a session.
DIRECT_USER = "web"
ALL = ("alle", "")
FAILED_ANSWER_TEXT = "Bei der Beantwortung ist ein Fehler aufgetreten. Bitte versuchen Sie es noch einmal."
GENERIC_EXAMPLES = (
    "Was kostet die Mitgliedschaft in der Metropolregion?",
    "In welchen Vereinen und Gesellschaften ist der Landkreis Mitglied?",
    "Welche Zuschüsse werden jährlich gezahlt?",
)
MAX_DOCUMENT_EXAMPLES = 3
OUTCOME_TEXT = {
    ADDED: "hinzugefügt",
    UPDATED: "aktualisiert",
    SKIPPED: "unverändert",
    FAILED: "fehlgeschlagen",
}
UPLOADS_FOLDER = "uploads"
# The correction form's labels where they say more than the field's name.
FORM_LABELS = {"date": "Datum (JJJJ-MM-TT)"}


def reference_only(query: str) -> bool:
    """A query that is nothing but a document number, like "2015/179"."""
    return is_reference(query)


def example_questions(public_documents: list[Document]) -> list[str]:
    """Fixed examples plus one per recent public document; never built from non-public documents."""
    recent = sorted(
        (d for d in public_documents if d.reference and d.is_public), key=lambda d: d.date, reverse=True
    )
    derived = [f"Worum geht es in Vorlage {d.reference}?" for d in recent[:MAX_DOCUMENT_EXAMPLES]]
    return [*GENERIC_EXAMPLES, *derived]


class Handlers:
    """Every UI action as a method over the Assistant; the role (and the user name of whoever
    writes) always comes in as an argument – in the app from the session, see `bind_session`."""

    def __init__(self, assistant: Assistant, access: Access | None = None) -> None:
        self.assistant = assistant
        self.access = access or access_from_settings(assistant.settings)
        self.export_folder = Path(tempfile.mkdtemp(prefix="ratsauskunft-export-"))  # owner-only (0700)
        weakref.finalize(self, shutil.rmtree, self.export_folder, ignore_errors=True)  # also at exit
        self.uploads_folder = assistant.settings.store / UPLOADS_FOLDER
        self.upload_limits = UploadLimits(max_bytes=assistant.settings.max_upload_bytes)

    # --- role and shared choices ---------------------------------------------------------------

    def filter_choices(self, role: Role) -> dict[str, list[tuple[str, str]]]:
        docs = self.assistant.documents(role)
        committees = sorted({c for d in docs for c in d.committees if c})
        doc_types = sorted({d.doc_type for d in docs if d.doc_type})
        years = sorted({str(d.year) for d in docs if d.year}, reverse=True)
        bodies = sorted({d.body for d in docs if d.body})
        return {
            "committee": [ALL, *((c, c) for c in committees)],
            "doc_type": [ALL, *((t, t) for t in doc_types)],
            "year": [ALL, *((y, y) for y in years)],
            "body": [ALL, *((b, b) for b in bodies)],
        }

    def examples(self) -> list[list[str]]:
        return [[q] for q in example_questions(self.assistant.documents(Role.PUBLIC))]

    # --- chat ----------------------------------------------------------------------------------

    @staticmethod
    def start_turn(question: str, turns: list[dict[str, Any]]) -> tuple[Any, Any, Any]:
        """Show the question with a "Suche…" placeholder at once; the answer follows in finish_turn."""
        question = (question or "").strip()
        if not question:
            return gr.skip(), gr.skip(), gr.skip()
        turns = [*turns, {"question": question, "answer": None}]
        return turns, render.transcript_html(turns), ""

    def finish_turn(self, turns: list[dict[str, Any]], role: Role) -> tuple[Any, Any]:
        if not turns or turns[-1]["answer"] is not None:
            return gr.skip(), gr.skip()
        history = [turn["question"] for turn in turns[:-1]]
        try:
            answer: dict[str, Any] = dict(
                self.assistant.ask(turns[-1]["question"], history=history, role=role).to_json()
            )
        except Exception:  # the page must never stay at "Suche…"; the traceback goes to the log
            log.exception("answering %r failed", turns[-1]["question"])
            answer = {"answer": FAILED_ANSWER_TEXT, "citations": [], "failed": True}
        turns = [*turns[:-1], {"question": turns[-1]["question"], "answer": answer}]
        return turns, render.transcript_html(turns)

    @staticmethod
    def new_conversation() -> tuple[list[dict[str, Any]], str, str]:
        return [], render.transcript_html([]), render.message_html(render.NO_DOCUMENT_TEXT)

    def open_passage(self, role: Role, evt: gr.EventData) -> str:
        """A click on a citation or hit; the document is checked against the role again here."""
        doc = self.assistant.document(str(getattr(evt, "doc", "")), role=role)
        if doc is None:
            return render.message_html("Dieses Dokument ist nicht (mehr) verfügbar.")
        return render.document_html(doc, _offset(getattr(evt, "start", 0)), _offset(getattr(evt, "end", 0)))

    # --- search --------------------------------------------------------------------------------

    def search(
        self, query: str, committee: str, doc_type: str, year: str, body: str, role: Role
    ) -> tuple[str, Any]:
        query = (query or "").strip()
        if not query:
            return render.message_html(
                "Bitte einen Suchbegriff oder eine Vorlagennummer eingeben."
            ), gr.skip()
        if reference_only(query):
            matches = select_by_reference([query], self.assistant.documents(role), lambda d: d.reference)
            if matches:
                note = f"Vorlage {matches[0].reference} geöffnet."
                return render.message_html(note), render.document_html(matches[0])
            return render.message_html(f"Keine Vorlage mit der Nummer {query} gefunden."), gr.skip()
        filters = SearchFilters(
            committee=committee or "",
            doc_type=doc_type or "",
            body=body or "",
            year_from=int(year) if (year or "").isdigit() else None,
            year_to=int(year) if (year or "").isdigit() else None,
        )
        hits = self.assistant.search(query, k=10, filters=filters, role=role)
        return render.hits_html(hits, f"{len(hits)} Treffer" if hits else ""), gr.skip()

    # --- ledger --------------------------------------------------------------------------------

    def ledger(self, body: str, role: Role) -> tuple[Any, pd.DataFrame, Any, str, list[LedgerRow]]:
        """The ledger table, its chart, the totals, the CSV file and the rows behind the table."""
        rows = self.assistant.ledger(role=role, body=body or "")
        csv_path = tables.write_ledger_csv(rows, self.export_folder)
        return (
            tables.right_aligned(tables.ledger_frame(rows), tables.LEDGER_NUMBER_COLUMNS),
            tables.ledger_chart_frame(rows),
            tables.right_aligned(tables.ledger_totals(rows), tables.TOTAL_NUMBER_COLUMNS),
            str(csv_path),
            rows,
        )

    def ledger_bodies(self, role: Role) -> list[tuple[str, str]]:
        rows = self.assistant.ledger(role=role)
        names = sorted({str(r.get(k) or "") for r in rows for k in ("body", "payer")} - {""})
        return [ALL, *((n, n) for n in names)]

    def open_ledger_row(self, rows: list[LedgerRow], role: Role, evt: gr.SelectData) -> Any:
        """A click on a ledger row: the passage its amount or membership was read from."""
        shown = ["" if value is None else str(value) for value in evt.row_value or []]
        row = next((r for r in rows if [str(cell) for cell in tables.ledger_cells(r)] == shown), None)
        if row is None:
            return gr.skip()
        doc = self.assistant.document(str(row["doc_id"]), role=role)
        if doc is None:
            return render.message_html("Dieses Dokument ist nicht (mehr) verfügbar.")
        return render.document_html(doc, int(row["start"]), int(row["end"]))

    # --- decisions -----------------------------------------------------------------------------

    def decisions(
        self, committee: str, year: str, outcome: str, role: Role
    ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
        """The decisions `role` may see under the filters, and the rows behind the table."""
        rows = self.assistant.decisions(
            role=role,
            committee=committee or "",
            year=int(year) if (year or "").isdigit() else None,
            outcome=outcome or "",
        )
        return tables.decisions_frame(rows), rows

    def open_decision(self, rows: list[dict[str, Any]], role: Role, evt: gr.SelectData) -> Any:
        """A click on a decision: its passage, or for a Beratungsfolge step the line naming it."""
        shown = ["" if value is None else str(value) for value in evt.row_value or []]
        row = next((r for r in rows if tables.decision_cells(r) == shown), None)
        if row is None:
            return gr.skip()
        doc = self.assistant.document(str(row["doc_id"]), role=role)
        if doc is None:
            return render.message_html("Dieses Dokument ist nicht (mehr) verfügbar.")
        start, end = int(row["start"]), int(row["end"])
        if end <= start:
            start, end = _line_naming(doc.text, str(row["committee"]), str(row["outcome"]))
        return render.document_html(doc, start, end)

    # --- documents (clerks) --------------------------------------------------------------------

    def preview_uploads(
        self, files: list[str] | None, role: Role
    ) -> tuple[pd.DataFrame, list[dict[str, Any]], str]:
        """Check each uploaded file, keep it in the store's uploads folder and read its metadata,
        so the clerk can correct it before indexing."""
        if not may_edit(role):
            return (
                tables.preview_frame([]),
                [],
                render.message_html("Nur die Verwaltung kann Dokumente hinzufügen."),
            )
        remove_abandoned_uploads(
            self.uploads_folder, {d.source for d in self.assistant.documents(Role.ADMIN)}
        )
        rows: list[list[str]] = []
        uploads: list[dict[str, Any]] = []
        seen: set[str] = set()
        for name in files or []:
            source = Path(name)
            stored, doc, problem = self.accept(source, seen)
            shown = stored.name if stored else source.name
            row = tables.preview_row(shown, doc, "nicht möglich" if problem else "")
            rows.append(row)
            uploads.append(
                {
                    "path": str(stored or source),
                    "parsed_row": row,
                    "ready": doc is not None,
                    "problem": problem,
                }
            )
        return tables.preview_frame(rows), uploads, render.upload_note_html(uploads)

    def accept(self, source: Path, seen: set[str]) -> tuple[Path | None, Document | None, str]:
        """The stored copy of an upload and its parsed document, or the reason it was refused."""
        try:
            name = safe_file_name(source.name)
            if name in seen:
                return None, None, f"{name}: kommt in dieser Auswahl doppelt vor."
            seen.add(name)
            stored = accept_upload(source, source.name, self.uploads_folder, self.upload_limits)
        except RatsauskunftError as error:
            return None, None, str(error)
        try:
            return stored, parse(stored, limits=self.assistant.settings.document_limits), ""
        except RatsauskunftError as error:
            stored.unlink(missing_ok=True)
            return None, None, str(error)

    def index_uploads(
        self,
        table: pd.DataFrame | None,
        uploads: list[dict[str, Any]],
        role: Role,
        user: str = DIRECT_USER,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio reads the progress tracker from the default
    ) -> tuple[str, list[dict[str, Any]], Any, Any, Any]:
        """Index the previewed files with the clerk's corrections; the preview is emptied afterwards."""
        if not may_edit(role):
            message = render.message_html("Nur die Verwaltung kann Dokumente hinzufügen.")
            return message, uploads, gr.skip(), gr.skip(), gr.skip()
        ready = [u for u in uploads if u["ready"]]
        if not ready:
            message = render.message_html("Keine Datei zum Indexieren ausgewählt.")
            return message, uploads, gr.skip(), gr.skip(), gr.skip()
        edited = {str(row[0]): list(row) for row in (table.values.tolist() if table is not None else [])}
        lines: list[tuple[str, str, bool]] = []
        for position, upload in enumerate(ready):
            name = Path(upload["path"]).name
            progress((position, len(ready)), desc=f"{name} wird indexiert …")
            overrides = tables.corrections(upload["parsed_row"], edited.get(name, upload["parsed_row"]))
            lines.append(self.index_one(Path(upload["path"]), overrides, role, user))
        progress((len(ready), len(ready)), desc="fertig")
        failed = [u for u in uploads if not u["ready"]]
        lines += [(Path(u["path"]).name, u["problem"], False) for u in failed]
        return render.upload_results_html(lines), [], tables.preview_frame([]), None, ""

    def index_one(
        self, path: Path, overrides: dict[str, Any], role: Role, user: str
    ) -> tuple[str, str, bool]:
        """Index one file with the clerk's corrections (a correction alone counts as a new version)."""
        try:
            result: FileResult = self.assistant.ingest_one(
                path, role=role, user=user, overrides=overrides or None
            )
        except RatsauskunftError as error:
            return path.name, str(error), False
        if result.outcome == FAILED:
            return path.name, result.message, False
        text = f"{OUTCOME_TEXT.get(result.outcome, result.outcome)} als {result.doc_id}"
        if result.outcome == SKIPPED and result.message and result.message != OUTCOME_TEXT[SKIPPED]:
            text = f"{text}: {result.message}"
        return path.name, text, True

    def document_list(self, role: Role) -> tuple[pd.DataFrame, Any]:
        docs = self.assistant.documents(role) if may_edit(role) else []
        choices = [(render.label(d.reference, d.title, d.doc_id)[:90], d.doc_id) for d in docs]
        return tables.documents_frame(docs), gr.Dropdown(choices=choices, value=None)

    def remove_document(self, doc_id: str | None, role: Role, user: str = DIRECT_USER) -> str:
        if not may_edit(role):
            return render.message_html("Nur die Verwaltung kann Dokumente entfernen.")
        if not doc_id:
            return render.message_html("Bitte zuerst ein Dokument auswählen.")
        try:
            removed = self.assistant.remove(doc_id, role=role, user=user)
        except RatsauskunftError as error:  # another writer holds the store
            return render.message_html(str(error))
        if removed:
            return render.message_html(f"{doc_id} wurde aus dem Index entfernt.")
        return render.message_html(f"{doc_id} ist nicht im Index.")

    def load_metadata(self, doc_id: str | None, role: Role) -> tuple[str, ...]:
        """The correction form's values: the document's `EDITABLE_FIELDS`, in their order."""
        doc = self.assistant.document(doc_id or "", role=role) if may_edit(role) else None
        return tuple(getattr(doc, name) if doc else "" for name in EDITABLE_FIELDS)

    def save_metadata(
        self,
        doc_id: str | None,
        reference: str,
        title: str,
        status: str,
        doc_type: str,
        date: str,
        body: str,
        role: Role,
        user: str = DIRECT_USER,
    ) -> str:
        """Save the correction form; its fields come between `doc_id` and `role`, in `EDITABLE_FIELDS` order."""
        if not may_edit(role):
            return render.message_html("Nur die Verwaltung kann Angaben ändern.")
        doc = self.assistant.document(doc_id or "", role=role)
        if doc is None:
            return render.message_html("Bitte zuerst ein Dokument auswählen.")
        form = (reference, title, status or "", doc_type, date, body)
        try:
            changed = self.assistant.correct_metadata(
                doc.doc_id, dict(zip(EDITABLE_FIELDS, form, strict=True)), role=role, user=user
            )
        except RatsauskunftError as error:
            return render.message_html(str(error))
        if not changed:
            return render.message_html("Keine Änderungen.")
        return render.message_html(f"Angaben zu {doc.doc_id} gespeichert.")

    # --- programmatic API ----------------------------------------------------------------------

    def api_ask(self, question: str, history: list[str] | None = None) -> AnswerJson:
        """Answer a question from the public documents.

        history: earlier questions of the same conversation, oldest first.
        Returns Answer.to_json(): answer, citations, abstained, related, ledger_rows.
        """
        role = self._api_role()
        return self.assistant.ask(question, history=[str(h) for h in history or []], role=role).to_json()

    def api_search(self, query: str, k: int = 10) -> SearchJson:
        """Ranked passages of the public documents for a query: {"hits": [Hit.to_json(), ...]}."""
        hits = self.assistant.search(query, k=max(1, min(int(k), API_MAX_HITS)), role=self._api_role())
        return {"hits": [h.to_json() for h in hits]}

    def _api_role(self) -> Role:
        """The API knows no sessions: it acts as the public role, and only while anonymous access is on."""
        if not self.access.allow_anonymous:
            raise gr.Error(API_CLOSED_TEXT)
        return API_ROLE


def _line_naming(text: str, *words: str) -> tuple[int, int]:
    """The span of the first line that names all `words` (a Beratungsfolge step: its committee and
    Beschlussart), else of the first line naming the first word; (0, 0) when none does."""
    for wanted in (words, words[:1]):
        start = 0
        for line in text.split("\n"):
            if wanted and all(word.lower() in line.lower() for word in wanted if word):
                return start, start + len(line)
            start += len(line) + 1
    return 0, 0


def _offset(value: Any) -> int:
    """A character offset sent by the page; anything else counts as 0."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _panel(elem_id: str, value: str, js: str, max_height: int | None = None) -> gr.HTML:
    """An HTML panel with the app's styles; `js` makes its clickable passages or its scrolling work."""
    return gr.HTML(
        value,
        elem_id=elem_id,
        js_on_load=js,
        css_template=render.CSS,
        max_height=max_height,
        autoscroll=max_height is not None,
        padding=True,
    )


def _correction_form() -> dict[str, Any]:
    """The inputs of a clerk's correction, one per editable field: number and Betreff on one row,
    the others on the next; the status offers its two canonical values."""
    label = {name: FORM_LABELS.get(name, FIELD_LABELS[name]) for name in EDITABLE_FIELDS}
    form: dict[str, Any] = {}
    with gr.Row():
        form["reference"] = gr.Textbox(label=label["reference"])
        form["title"] = gr.Textbox(label=label["title"], scale=3)
    with gr.Row():
        for name in EDITABLE_FIELDS:
            if name == "status":
                form[name] = gr.Dropdown(
                    [PUBLIC_STATUS, NON_PUBLIC_STATUS], label=label[name], allow_custom_value=True
                )
            elif name not in form:
                form[name] = gr.Textbox(label=label[name])
    return form


def build_app(assistant: Assistant, access: Access | None = None) -> gr.Blocks:
    """The whole app over one Assistant; launch it with `demo.launch(...)`."""
    h = Handlers(assistant, access)
    access = h.access
    anonymous = access.anonymous
    empty_document = render.message_html(render.NO_DOCUMENT_TEXT)
    private: dict[str, Any] = {"api_visibility": "private"}

    def bound(method: Any) -> Any:
        return bind_session(method, access)

    # Gradio's cache holds uploaded files (possibly non-public) and exports: cleared hourly.
    with gr.Blocks(title="Ratsauskunft", delete_cache=(3600, 3600)) as demo:
        session = gr.State(None, time_to_live=SESSION_SECONDS)
        with gr.Row(equal_height=True):
            gr.Markdown("# Ratsauskunft\nFragen an die Ratsdokumente – jede Aussage mit Beleg.")
            with gr.Column(scale=0, min_width=320, elem_id="account"):
                account_note = gr.Markdown(account_text(anonymous), elem_id="account-note")
                logout_button = gr.Button("Abmelden", size="sm", visible=False, elem_id="logout-button")
                with gr.Accordion("Anmelden", open=anonymous.role is None, elem_id="login") as login_box:
                    login_name = gr.Textbox(label="Benutzername", max_lines=1, elem_id="login-name")
                    login_password = gr.Textbox(
                        label="Passwort", type="password", max_lines=1, elem_id="login-password"
                    )
                    login_button = gr.Button("Anmelden", variant="primary", elem_id="login-button")
                    login_message = gr.Markdown("", elem_id="login-message")

        with gr.Column(visible=anonymous.role is not None, elem_id="main") as main, gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                turns = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        transcript = _panel(
                            "transcript",
                            render.transcript_html([]),
                            render.OPEN_PASSAGE_JS,
                            max_height=620,
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                label="Frage",
                                placeholder="z. B. Was kostet die Mitgliedschaft in der Metropolregion?",
                                elem_id="question",
                                scale=5,
                            )
                            ask_button = gr.Button("Fragen", variant="primary", elem_id="ask-button", scale=1)
                        examples = gr.Dataset(
                            components=[question],
                            samples=h.examples() if anonymous.role else generic_examples(),
                            label="Beispielfragen",
                            elem_id="examples",
                        )
                        new_chat = gr.Button("Neues Gespräch", size="sm", elem_id="new-chat")
                    with gr.Column(scale=2):
                        gr.Markdown("**Textstelle im Dokument**")
                        chat_document = _panel("chat-document", empty_document, render.SCROLL_TO_PASSAGE_JS)

            with gr.Tab("Suche", id="search"), gr.Row():
                with gr.Column(scale=3):
                    with gr.Row(equal_height=True):
                        query = gr.Textbox(
                            label="Suchbegriff oder Vorlagennummer",
                            placeholder="z. B. Zuschuss Allianz oder 2015/179",
                            elem_id="search-query",
                            scale=5,
                        )
                        search_button = gr.Button(
                            "Suchen", variant="primary", elem_id="search-button", scale=1
                        )
                    with gr.Row():
                        committee = gr.Dropdown([ALL], value="", label="Gremium", elem_id="filter-committee")
                        doc_type = gr.Dropdown([ALL], value="", label="Vorlage-Art", elem_id="filter-type")
                        year = gr.Dropdown([ALL], value="", label="Jahr", elem_id="filter-year")
                        body = gr.Dropdown([ALL], value="", label="Körperschaft", elem_id="filter-body")
                    results = _panel("search-results", "", render.OPEN_PASSAGE_JS)
                with gr.Column(scale=2):
                    gr.Markdown("**Dokument**")
                    search_document = _panel("search-document", empty_document, render.SCROLL_TO_PASSAGE_JS)

            with gr.Tab("Beteiligungen", id="ledger"):
                gr.Markdown(
                    "Mitgliedschaften, Zuschüsse und Beiträge aus den Dokumenten. Sortieren über das Menü ⋮ "
                    "im Spaltenkopf; ein Klick auf eine Zeile zeigt die Fundstelle im Dokument."
                )
                ledger_rows = gr.State([])
                with gr.Row(equal_height=True):
                    ledger_body = gr.Dropdown([ALL], value="", label="Körperschaft", elem_id="ledger-body")
                    ledger_csv = gr.DownloadButton("CSV herunterladen", elem_id="ledger-csv")
                ledger_chart = gr.BarPlot(
                    tables.ledger_chart_frame([]),
                    x=tables.CHART_ORGANISATION,
                    y=tables.CHART_VALUE,
                    tooltip=[tables.CHART_ORGANISATION, tables.CHART_YEAR, tables.CHART_AMOUNT],
                    x_title="Organisation",
                    y_title="Betrag in €",
                    y_axis_format="~s",
                    y_lim=[0, None],  # bars start at zero, so their heights compare
                    sort="-y",
                    height=320,
                    label="Beträge je Organisation und Jahr in Euro",
                    caption="Gleiche Beträge aus mehreren Dokumenten zählen einmal; Mitgliedschaften ohne "
                    "Betrag und andere Währungen stehen nur in der Tabelle.",
                    elem_id="ledger-chart",
                )
                ledger_table = gr.DataFrame(
                    label="Beteiligungen",
                    interactive=False,
                    wrap=True,
                    column_widths=tables.LEDGER_DISPLAY_WIDTHS,
                    max_height=420,
                    elem_id="ledger-table",
                )
                with gr.Row():
                    ledger_totals = gr.DataFrame(
                        label="Summen je Körperschaft und Jahr",
                        interactive=False,
                        elem_id="ledger-totals",
                    )
                    with gr.Column():
                        gr.Markdown("**Fundstelle**")
                        ledger_document = _panel(
                            "ledger-document", empty_document, render.SCROLL_TO_PASSAGE_JS
                        )

            with gr.Tab("Beschlüsse", id="decisions"):
                gr.Markdown(
                    "Beschlüsse und Abstimmungen aus den Dokumenten, die neuesten zuerst; ein Klick auf eine "
                    "Zeile zeigt die Textstelle im Dokument."
                )
                decision_rows = gr.State([])
                with gr.Row():
                    decision_committee = gr.Dropdown(
                        [ALL], value="", label="Gremium", elem_id="decision-committee"
                    )
                    decision_year = gr.Dropdown([ALL], value="", label="Jahr", elem_id="decision-year")
                    decision_outcome = gr.Dropdown(
                        [ALL], value="", label="Ergebnis", elem_id="decision-outcome"
                    )
                decision_table = gr.DataFrame(
                    tables.decisions_frame([]),
                    label="Beschlüsse",
                    interactive=False,
                    wrap=True,
                    column_widths=tables.DECISION_WIDTHS,
                    max_height=420,
                    elem_id="decision-table",
                )
                gr.Markdown("**Textstelle im Dokument**")
                decision_document = _panel("decision-document", empty_document, render.SCROLL_TO_PASSAGE_JS)

            with gr.Tab("Dokumente", id="documents", visible=False) as documents_tab:
                gr.Markdown(
                    f"Dateien hinzufügen ({', '.join(sorted(SUPPORTED_SUFFIXES))}; höchstens "
                    f"{size_text(assistant.settings.max_upload_bytes)} je Datei). Eine Datei mit demselben Namen "
                    "ersetzt die vorhandene Fassung."
                )
                uploads = gr.State([])
                upload = gr.File(label="Dateien", file_count="multiple", elem_id="upload")
                preview = gr.DataFrame(
                    headers=tables.PREVIEW_HEADERS,
                    interactive=True,
                    static_columns=[0, len(tables.PREVIEW_HEADERS) - 1],
                    label="Erkannte Angaben (änderbar)",
                    wrap=True,
                    column_widths=["16%", "10%", "26%", "10%", "16%", "10%", "9%", "13%"],
                    elem_id="upload-preview",
                )
                upload_note = gr.HTML("", elem_id="upload-note")
                index_button = gr.Button("Indexieren", variant="primary", elem_id="index-button")
                upload_results = gr.HTML("", elem_id="upload-results", css_template=render.CSS)
                gr.Markdown("### Dokumente im Index")
                document_table = gr.DataFrame(
                    interactive=False,
                    wrap=True,
                    column_widths=["17%", "9%", "30%", "10%", "10%", "15%", "9%"],
                    elem_id="document-list",
                )
                with gr.Row(equal_height=True):
                    document_choice = gr.Dropdown([], label="Dokument", elem_id="document-choice", scale=4)
                    remove_button = gr.Button("Entfernen", variant="stop", elem_id="remove-button", scale=1)
                with gr.Accordion("Angaben eines Dokuments korrigieren", open=False):
                    form = _correction_form()
                    save_button = gr.Button("Angaben speichern")
                document_message = gr.HTML("", elem_id="document-message")

        metadata_fields = [form[name] for name in EDITABLE_FIELDS]

        def refresh(current_session: Session | None, request: gr.Request) -> dict[Any, Any]:
            """Everything whose content depends on the role or on what is indexed."""
            role = access.visitor(current_session, cookie_secret(request)).role
            if role is None:
                return no_documents()
            choices = h.filter_choices(role)
            frame, chart, totals, csv_path, rows = h.ledger("", role)
            decisions, decisions_shown = h.decisions("", "", "", role)
            decision_choices = tables.decision_choices(decisions_shown)
            documents, document_dropdown = h.document_list(role)
            return {
                committee: gr.Dropdown(choices=choices["committee"], value=""),
                doc_type: gr.Dropdown(choices=choices["doc_type"], value=""),
                year: gr.Dropdown(choices=choices["year"], value=""),
                body: gr.Dropdown(choices=choices["body"], value=""),
                examples: gr.Dataset(samples=h.examples()),
                ledger_body: gr.Dropdown(choices=h.ledger_bodies(role), value=""),
                ledger_table: frame,
                ledger_chart: chart,
                ledger_totals: totals,
                ledger_csv: csv_path,
                ledger_rows: rows,
                decision_committee: gr.Dropdown(choices=_choices(decision_choices["committee"]), value=""),
                decision_year: gr.Dropdown(choices=_choices(decision_choices["year"]), value=""),
                decision_outcome: gr.Dropdown(choices=_choices(decision_choices["outcome"]), value=""),
                decision_table: decisions,
                decision_rows: decisions_shown,
                document_table: documents,
                document_choice: document_dropdown,
                documents_tab: gr.Tab(visible=may_edit(role)),
            }

        def no_documents() -> dict[Any, Any]:
            """The same components with nothing from any document (anonymous access switched off)."""
            return {
                committee: gr.Dropdown(choices=[ALL], value=""),
                doc_type: gr.Dropdown(choices=[ALL], value=""),
                year: gr.Dropdown(choices=[ALL], value=""),
                body: gr.Dropdown(choices=[ALL], value=""),
                examples: gr.Dataset(samples=generic_examples()),
                ledger_body: gr.Dropdown(choices=[ALL], value=""),
                ledger_table: tables.ledger_frame([]),
                ledger_chart: tables.ledger_chart_frame([]),
                ledger_totals: tables.ledger_totals([]),
                ledger_csv: None,
                ledger_rows: [],
                decision_committee: gr.Dropdown(choices=[ALL], value=""),
                decision_year: gr.Dropdown(choices=[ALL], value=""),
                decision_outcome: gr.Dropdown(choices=[ALL], value=""),
                decision_table: tables.decisions_frame([]),
                decision_rows: [],
                document_table: tables.documents_frame([]),
                document_choice: gr.Dropdown(choices=[], value=None),
                documents_tab: gr.Tab(visible=False),
            }

        refreshed = [
            committee, doc_type, year, body, examples, ledger_body, ledger_table, ledger_chart, ledger_totals,
            ledger_csv, ledger_rows, decision_committee, decision_year, decision_outcome, decision_table,
            decision_rows, document_table, document_choice, documents_tab,
        ]  # fmt: skip

        def account_view(current_session: Session | None, cookie: str) -> dict[Any, Any]:
            """A page that starts afresh: who is signed in, and nothing seen before signing in or out."""
            visitor = access.visitor(current_session, cookie)
            cleared_turns, cleared_transcript, cleared_document = h.new_conversation()
            return {
                session: current_session,
                account_note: account_text(visitor),
                logout_button: gr.Button(visible=visitor.signed_in),
                login_box: gr.Accordion(visible=not visitor.signed_in, open=visitor.role is None),
                login_name: "",
                login_password: "",
                login_message: "",
                main: gr.Column(visible=visitor.role is not None),
                turns: cleared_turns,
                transcript: cleared_transcript,
                chat_document: cleared_document,
                question: "",
                query: "",
                results: "",
                search_document: empty_document,
                ledger_document: empty_document,
                decision_document: empty_document,
                preview: tables.preview_frame([]),
                uploads: [],
                upload_note: "",
                upload_results: "",
                document_message: "",
                **dict.fromkeys(metadata_fields, ""),
            }

        def sign_in(name: str, password: str, request: gr.Request) -> dict[Any, Any]:
            cookie = cookie_secret(request)
            if not cookie:
                return {login_password: "", login_message: COOKIE_NEEDED_TEXT}
            try:
                new_session = access.sign_in(name, password, client=client_address(request), cookie=cookie)
            except LoginError as error:
                return {login_password: "", login_message: str(error)}
            return account_view(new_session, cookie)

        def sign_out(current_session: Session | None) -> dict[Any, Any]:
            access.sign_out(current_session)
            return account_view(None, "")

        account_outputs = [
            session, account_note, logout_button, login_box, login_name, login_password, login_message, main,
            turns, transcript, chat_document, question, query, results, search_document, ledger_document,
            decision_document, preview, uploads, upload_note, upload_results, document_message, *metadata_fields,
        ]  # fmt: skip

        demo.load(refresh, [session], refreshed, **private)
        gr.on(
            [login_button.click, login_name.submit, login_password.submit],
            sign_in,
            [login_name, login_password],
            account_outputs,
            **private,
        ).then(refresh, [session], refreshed, **private)
        logout_button.click(sign_out, [session], account_outputs, **private).then(
            refresh, [session], refreshed, **private
        )

        # Chat: the question shows at once with "Suche…", the answer replaces it when ready.
        asking = gr.on(
            [question.submit, ask_button.click],
            Handlers.start_turn,
            [question, turns],
            [turns, transcript, question],
            queue=False,
            **private,
        )
        asking.then(bound(h.finish_turn), [turns, session], [turns, transcript], **private)
        examples.click(_first_value, [examples], [question], queue=False, **private).then(
            Handlers.start_turn, [question, turns], [turns, transcript, question], queue=False, **private
        ).then(bound(h.finish_turn), [turns, session], [turns, transcript], **private)
        new_chat.click(Handlers.new_conversation, None, [turns, transcript, chat_document], **private)
        transcript.click(bound(h.open_passage), [session], [chat_document], **private)

        # Search
        search_inputs = [query, committee, doc_type, year, body, session]
        gr.on(
            [query.submit, search_button.click, committee.input, doc_type.input, year.input, body.input],
            bound(h.search),
            search_inputs,
            [results, search_document],
            api_name="ui_search",  # "search" is the public API endpoint below
            **private,
        )
        results.click(bound(h.open_passage), [session], [search_document], **private)

        # Ledger
        ledger_body.input(
            bound(h.ledger),
            [ledger_body, session],
            [ledger_table, ledger_chart, ledger_totals, ledger_csv, ledger_rows],
            api_name="ui_ledger",
            **private,
        )
        ledger_table.select(bound(h.open_ledger_row), [ledger_rows, session], [ledger_document], **private)

        # Decisions
        gr.on(
            [decision_committee.input, decision_year.input, decision_outcome.input],
            bound(h.decisions),
            [decision_committee, decision_year, decision_outcome, session],
            [decision_table, decision_rows],
            api_name="ui_decisions",
            **private,
        )
        decision_table.select(
            bound(h.open_decision), [decision_rows, session], [decision_document], **private
        )

        # Documents (clerks)
        upload.upload(bound(h.preview_uploads), [upload, session], [preview, uploads, upload_note], **private)
        upload.clear(
            lambda: (tables.preview_frame([]), [], ""), None, [preview, uploads, upload_note], **private
        )
        index_button.click(
            bound(h.index_uploads),
            [preview, uploads, session],
            [upload_results, uploads, preview, upload, upload_note],
            **private,
        ).then(refresh, [session], refreshed, **private)
        remove_button.click(
            bound(h.remove_document), [document_choice, session], [document_message], **private
        ).then(refresh, [session], refreshed, **private)
        document_choice.input(bound(h.load_metadata), [document_choice, session], metadata_fields, **private)
        save_button.click(
            bound(h.save_metadata),
            [document_choice, *metadata_fields, session],
            [document_message],
            **private,
        ).then(refresh, [session], refreshed, **private)

        # Programmatic API (gradio_client): stateless, always as the public role.
        gr.api(h.api_ask, api_name="ask")
        gr.api(h.api_search, api_name="search")
    _launch_behind_session_cookies(demo, access, assistant.settings.max_upload_bytes)
    return demo


def session_guard(access: Access, max_upload_bytes: int) -> Middleware:
    """The sign-in cookie and the guard of Gradio's upload route, as middleware of the app's server."""
    return Middleware(SessionCookies, access=access, max_upload_bytes=max_upload_bytes)


def _launch_behind_session_cookies(demo: gr.Blocks, access: Access, max_upload_bytes: int) -> None:
    """Every launch of the app (tests, `demo.launch`) puts SessionCookies in front of it and gets
    the page styles: the sign-in cookie, the guard of Gradio's upload route and the contrast, focus
    and markup fixes (render.PAGE_CSS, render.PAGE_JS) are not left to each caller. An app
    mounted into another server (`ratsauskunft serve`) gets `session_guard` through `app_kwargs`."""
    launch = demo.launch

    def launch_guarded(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("css", render.PAGE_CSS)
        kwargs.setdefault("js", render.PAGE_JS)
        app_kwargs = dict(kwargs.pop("app_kwargs", None) or {})
        app_kwargs["middleware"] = [
            *app_kwargs.get("middleware", []),
            session_guard(access, max_upload_bytes),
        ]
        return launch(*args, app_kwargs=app_kwargs, **kwargs)

    setattr(demo, "launch", launch_guarded)  # noqa: B010 - mypy forbids assigning to a method


def generic_examples() -> list[list[str]]:
    """Example questions that name no document."""
    return [[q] for q in GENERIC_EXAMPLES]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    """A filter's choices: "alle" first, then the values as they are."""
    return [ALL, *((value, value) for value in values)]


def _first_value(sample: Any) -> str:
    """The question of a clicked example row."""
    return str(sample[0] if isinstance(sample, list | tuple) else sample)
