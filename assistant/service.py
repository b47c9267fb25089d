"""The assistant as one object: what the CLI and the UI both call. No logic of the UI lives elsewhere.

Reading methods take the role a request acts as; writing methods (ingest, correct metadata,
remove, OParl import) take the role and the user, refuse unless `may_edit(role)` and pass the
user down to the store, which writes the audit log in the same transaction as the change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.access import EDIT_DENIED_TEXT, AccessDenied, may_edit
from assistant.answer import Composer
from assistant.citations import fact_row
from assistant.llm import Rewriter, build_chat_model
from assistant.outcomes import consultation_row, decision_row
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.types import Answer, Hit, LedgerRow, Role, SearchFilters
from ingest.decisions import extract_decisions
from ingest.embedding import Embedder, load_embedder
from ingest.metadata import normalise_status
from ingest.pipeline import FileResult, IngestReport, ingest_file, ingest_paths, non_public_counts
from ingest.store import AuditEntry, Store
from ingest.types import EDITABLE_FIELDS, Document, IngestError

if TYPE_CHECKING:
    from ingest.oparl import OParlReport

log = logging.getLogger(__name__)


class Assistant:
    """Opens the store and the model once per process; answers, searches and ingests."""

    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, snapshot_reads: bool = False
    ) -> None:
        """`snapshot_reads` for a process that answers one request and ends (`ratsauskunft ask`):
        dense queries search the store's vector snapshot instead of opening Chroma (Store)."""
        self.settings = settings
        chat_model = build_chat_model(settings.llm)  # before the slow model load: a bad setting fails fast
        self.rewriter = Rewriter(chat_model) if chat_model is not None else None
        self.embedder = embedder or load_embedder(settings.embedding_model)
        self.store = Store(
            settings.store,
            self.embedder.model_id,
            settings.chroma_url,
            write_wait_s=settings.write_wait_s,
            snapshot_reads=snapshot_reads,
        )
        self.retriever = Retriever(self.store, self.embedder)
        self.composer = Composer(self.retriever, own_body=settings.own_body)

    # --- reading ---------------------------------------------------------------------------

    def search(
        self, query: str, k: int = 10, filters: SearchFilters | None = None, role: Role = Role.PUBLIC
    ) -> list[Hit]:
        return self.retriever.search(query, k=k, filters=filters, role=role)

    def ask(self, question: str, history: list[str] | None = None, role: Role = Role.PUBLIC) -> Answer:
        draft = self.composer.compose(question, history or [], role=role)
        return self.rewriter.rewrite(question, draft) if self.rewriter is not None else draft

    def ledger(self, role: Role = Role.PUBLIC, body: str = "") -> list[LedgerRow]:
        """All amounts and memberships of the documents `role` may see, newest document first."""
        docs = {d.doc_id: d for d in self.retriever.documents(role)}
        rows = [fact_row(f, docs[f.doc_id]) for f in self.store.facts(list(docs)) if f.doc_id in docs]
        if body:
            wanted = body.lower()
            rows = [r for r in rows if wanted in r.get("body", "").lower() or wanted in r["payer"].lower()]
        return sorted(rows, key=lambda r: (r.get("date", ""), r["doc_id"], r["start"]), reverse=True)

    def document(self, doc_id: str, role: Role = Role.PUBLIC) -> Document | None:
        return self.retriever.document(doc_id, role)

    def documents(self, role: Role = Role.PUBLIC) -> list[Document]:
        return sorted(self.retriever.documents(role), key=lambda d: d.doc_id)

    def audit_log(self, role: Role) -> list[AuditEntry]:
        """Who added, updated, corrected or removed which document, oldest first (for the administration)."""
        self._check_edit(role, user="", action="read the audit log")
        return self.store.audit_log()

    def find_document(self, id_or_reference: str, role: Role = Role.PUBLIC) -> Document | None:
        """A document `role` may see, by its id or else by its Vorlage number (2015/179)."""
        doc = self.document(id_or_reference.strip(), role)
        if doc is not None:
            return doc
        found = self.retriever.find_reference(id_or_reference, role)
        return found[0] if found else None

    def decisions(
        self, role: Role = Role.PUBLIC, committee: str = "", year: int | None = None, outcome: str = ""
    ) -> list[dict[str, Any]]:
        """What was decided on the documents `role` may see, newest first: each decision a passage
        states (outcome, vote, the quoted passage) and each Beratungsfolge step with its Beschlussart."""
        rows: list[dict[str, Any]] = []
        for doc in self.retriever.documents(role):
            stated = [decision_row(d, doc) for d in extract_decisions(doc) if d.is_decision]
            quotes = [str(r["quote"]).lower() for r in stated]
            rows += stated
            rows += [
                consultation_row(doc, step)
                for step in doc.consultations
                if step.resolution  # and not the very line a stated decision quotes
                and not any(step.committee.lower() in q and step.resolution.lower() in q for q in quotes)
            ]
        rows = [
            r
            for r in rows
            if committee.lower() in str(r["committee"]).lower()
            and outcome.lower() in f"{r['outcome']} {r['result']}".lower()
            and (year is None or str(r["date"]).startswith(str(year)))
        ]
        return sorted(rows, key=lambda r: (str(r["date"]), str(r["doc_id"]), int(r["start"])), reverse=True)

    def non_public_counts(self) -> dict[str, int]:
        """How many documents of the whole store count as non-public, by reason (for the operator)."""
        return non_public_counts(self.store.status_counts())

    # --- writing ---------------------------------------------------------------------------

    def ingest(
        self,
        paths: list[Path],
        *,
        role: Role,
        user: str,
        on_progress: Callable[[FileResult], None] | None = None,
        on_wait: Callable[[str], None] | None = None,
        status_if_missing: str = "",
    ) -> IngestReport:
        self._check_edit(role, user, "ingest")
        return ingest_paths(
            self.store,
            self.embedder,
            paths,
            user=user,
            on_progress=on_progress,
            batch_documents=self.settings.ingest_batch,
            on_wait=on_wait,
            limits=self.settings.document_limits,
            status_if_missing=status_if_missing,
        )

    def ingest_one(
        self, path: Path, *, role: Role, user: str, overrides: dict[str, Any] | None = None
    ) -> FileResult:
        self._check_edit(role, user, "ingest")
        return ingest_file(
            self.store,
            self.embedder,
            path,
            user=user,
            overrides=overrides,
            limits=self.settings.document_limits,
        )

    def correct_metadata(
        self, doc_id: str, fields: dict[str, str], *, role: Role, user: str
    ) -> dict[str, str]:
        """A clerk's correction of `EDITABLE_FIELDS` without re-embedding; the fields that changed.

        Values are stripped and the status takes its canonical spelling, as on ingest.
        """
        self._check_edit(role, user, "correct")
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise IngestError(f"Unbekannte Felder: {', '.join(sorted(unknown))}")
        doc = self.store.get_document(doc_id)
        if doc is None:
            raise IngestError(f"Dokument {doc_id} ist nicht im Index.")
        wanted = {name: str(value).strip() for name, value in fields.items()}
        if "status" in wanted:
            wanted["status"] = normalise_status(wanted["status"])
        changed = {name: value for name, value in wanted.items() if value != getattr(doc, name)}
        if changed:
            self.store.update_metadata(doc_id, changed, user=user)
        return changed

    def remove(self, doc_id: str, *, role: Role, user: str) -> bool:
        self._check_edit(role, user, "remove")
        return self.store.remove_document(doc_id, user=user)

    def record_read(self, user: str, action: str, detail: str) -> None:
        """Audit a read through an outside interface (an MCP tool call): who asked for what."""
        self.store.record_read(user, action, detail)

    def import_oparl(self, url: str, *, role: Role, user: str, **options: Any) -> OParlReport:
        """Import papers from an OParl endpoint (see `ingest.oparl.import_oparl` for the options)."""
        from ingest.oparl import import_oparl  # its HTTP client is only needed here

        self._check_edit(role, user, "import")
        return import_oparl(
            self.store, self.embedder, url, state_dir=self.settings.store / "oparl", user=user, **options
        )

    @staticmethod
    def _check_edit(role: Role, user: str, action: str) -> None:
        if not may_edit(role):
            log.warning("refused: %s as %r (role %s)", action, user, role)
            raise AccessDenied(EDIT_DENIED_TEXT)
