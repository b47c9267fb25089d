"""OParl import against a local OParl 1.1 endpoint: http.server on 127.0.0.1 with one body and 20 papers."""

from __future__ import annotations

import io
import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

import httpx
import pytest
from recorded_oparl import API, FIXTURES, RecordedOParl, serve_recorded
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assistant.answer import Composer
from assistant.retrieval import Retriever
from assistant.types import Answer
from ingest.embedding import Embedder, load_embedder
from ingest.oparl import ImportState, OParlError, OParlReport, import_oparl
from ingest.store import Store
from ingest.types import Consultation, Document

pytestmark = pytest.mark.integration

SCHEMA = "https://schema.oparl.org/1.1/"
BODY_NAME = "Landkreis Musterland"
PAGE_SIZE = 7
PAPERS = range(1, 21)
BROKEN = 13  # its main file answers 404
ODD_ID = 20  # its id ends in an URL-encoded "Vorlage 2024/020"
ORGANIZATIONS = {
    1: "Kreisausschuss",
    2: "Ausschuss für Finanzen",
    3: "Kreistag",
    4: "Ausschuss für Schule und Kultur",
}
GRANTS = [
    ("die Musikschule Kreisstadt e.V.", "Musikunterricht für Kinder und Jugendliche", "12.000 €"),
    ("den Kreissportbund", "die Ausbildung von Übungsleitern", "45.000 €"),
    ("die Tafel Kreisstadt e.V.", "die Ausgabe von Lebensmitteln an Bedürftige", "8.500 €"),
    ("den Heimatverein Altdorf", "die Sanierung des Heimatmuseums", "20.000 €"),
    ("die Volkshochschule", "Sprachkurse für Zugewanderte", "30.000 €"),
    ("die Frauenberatungsstelle", "die Beratung bei häuslicher Gewalt", "52.000 €"),
    ("die Jugendfeuerwehr", "Zeltlager und Ausbildung", "6.000 €"),
    ("die Kreisgruppe des Naturschutzbundes", "die Pflege der Streuobstwiesen", "9.800 €"),
    ("die Schuldnerberatung der Diakonie", "die Schuldnerberatung für Familien", "38.000 €"),
    ("den Kulturverein Scheune", "eine Konzertreihe im Sommer", "4.500 €"),
    ("das Seniorenbüro", "einen Besuchsdienst für ältere Menschen", "15.000 €"),
    ("das Tierheim Kreisstadt", "die Unterbringung von Fundtieren", "60.000 €"),
    ("den Bürgerbus-Verein", "einen Fahrdienst im ländlichen Raum", "7.200 €"),
    ("den Museumsverein", "eine Ausstellung zur Ortsgeschichte", "11.000 €"),
    ("die Suchtberatungsstelle", "Prävention an Schulen", "27.000 €"),
    ("die Regionalmarketing GmbH", "die Tourismuswerbung", "25.000 €"),
    ("die Jugendmusikschule Süd", "den Ankauf von Instrumenten", "3.800 €"),
    ("den Hospizverein", "die ehrenamtliche Sterbebegleitung", "18.000 €"),
    ("die Energieagentur", "die Energieberatung für Hausbesitzer", "40.000 €"),
    ("den Partnerschaftsverein", "den Jugendaustausch mit der Partnerstadt", "5.000 €"),
]


# --- the fixture endpoint ----------------------------------------------------------------------


def first_committee(n: int) -> int:
    return (1, 4, 2)[n % 3]


def vorlage_lines(n: int, amount: str) -> list[str]:
    recipient, purpose, _ = GRANTS[n - 1]
    committee = ORGANIZATIONS[first_committee(n)]
    return [
        BODY_NAME,
        f"Beschlussvorlage 2024/{n:03d}",
        f"Betreff: Zuschuss an {recipient}",
        "Beratungsfolge:",
        f"{committee} 05.03.2024 Vorberatung",
        "Kreistag 21.03.2024 Entscheidung",
        "Beschlussvorschlag:",
        f"Der Kreistag beschließt, {recipient} einen Zuschuss in Höhe von jährlich {amount} zu gewähren.",
        "Sachverhalt:",
        f"Beantragt werden Mittel für {purpose}.",
        f"Die Kosten von jährlich {amount} sind im Haushalt 2024 eingeplant.",
    ]


def pdf_bytes(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        page.drawString(50, y, line)
        y -= 20
    page.save()
    return buffer.getvalue()


def html_bytes(lines: list[str]) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in lines[1:])
    return f"<html><head><title>{lines[1]}</title></head><body><h1>{lines[1]}</h1>{paragraphs}</body></html>".encode()


def file_name(n: int) -> str:
    return f"vorlage-{n}.html" if n % 3 == 0 else f"vorlage-{n}.pdf"


def paper_key(n: int) -> str:
    return quote("Vorlage 2024/020", safe="") if n == ODD_ID else str(n)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def doc_id(n: int) -> str:
    """The readable document id of paper n: body and reference."""
    return f"musterland-bv-{n:03d}-2024"


def query_of(raw_query: str) -> dict[str, str] | None:
    """The query as a server reads it: `+` stays `+` (as in an ISO offset); None for what Somacos
    answers with 404, a percent-encoded `:` or `+` in `modified_since`."""
    query: dict[str, str] = {}
    for part in filter(None, raw_query.split("&")):
        key, _, value = part.partition("=")
        if key == "modified_since" and re.search("%3A|%2B", value, re.IGNORECASE):
            return None
        query[key] = unquote(value)
    return query


@dataclass
class FakeOParl:
    """The endpoint's content plus a log of what clients asked for."""

    base: str = ""
    papers: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    file_requests: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)  # files served with 200
    down_after_downloads: int | None = None  # then every request gets a 503
    flaky_files: dict[str, str] = field(default_factory=dict)  # name → "503" or "slow", once
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def system_url(self) -> str:
        return f"{self.base}/oparl/v1/system"

    def paper_url(self, n: int) -> str:
        return f"{self.base}/oparl/v1/papers/{paper_key(n)}"

    def build(self) -> None:
        for n in PAPERS:
            self.papers[paper_key(n)] = self._paper(n)
            self._write_file(n, GRANTS[n - 1][2])
        self.files["anlage-1.pdf"] = ("application/pdf", pdf_bytes(["Anlage 1", "Kostenaufstellung"]))

    def _paper(self, n: int) -> dict[str, Any]:
        name = file_name(n) if n != BROKEN else "fehlt-13.pdf"
        mime = "text/html" if name.endswith(".html") else "application/pdf"
        first = first_committee(n)
        # OParl gives organizations as URLs; some servers embed the object instead (here: number 2).
        organization: Any = (
            {
                "id": self.organization_url(first),
                "type": SCHEMA + "Organization",
                "name": ORGANIZATIONS[first],
            }
            if first == 2
            else self.organization_url(first)
        )
        paper: dict[str, Any] = {
            "id": self.paper_url(n),
            "type": SCHEMA + "Paper",
            "body": f"{self.base}/oparl/v1/bodies/1",
            "name": f"Zuschuss 2024 für {GRANTS[n - 1][0]}",
            "reference": f"BV-{n:03d}/2024",
            "date": f"2024-02-{n:02d}",
            "paperType": "Beschlussvorlage",
            "mainFile": {
                "id": f"{self.base}/oparl/v1/files/{n}",
                "type": SCHEMA + "File",
                "name": "Vorlage",
                "fileName": name,
                "mimeType": mime,
                "accessUrl": f"{self.base}/files/{name}",
            },
            "consultation": [
                {
                    "id": f"{self.base}/oparl/v1/consultations/{n}-1",
                    "type": SCHEMA + "Consultation",
                    "organization": [organization],
                    "role": "Vorberatung",
                    "authoritative": False,
                },
                {
                    "id": f"{self.base}/oparl/v1/consultations/{n}-2",
                    "type": SCHEMA + "Consultation",
                    "organization": [self.organization_url(3)],
                    "role": "Entscheidung",
                    "authoritative": True,
                },
            ],
            "created": "2024-02-01T09:00:00+01:00",
            "modified": "2024-03-01T10:00:00+01:00",
        }
        if n == 1:
            paper["auxiliaryFile"] = [
                {
                    **paper["mainFile"],
                    "id": f"{self.base}/oparl/v1/files/a1",
                    "accessUrl": f"{self.base}/files/anlage-1.pdf",
                }
            ]
        return paper

    def _write_file(self, n: int, amount: str) -> None:
        lines = vorlage_lines(n, amount)
        name = file_name(n)
        if name.endswith(".html"):
            self.files[name] = ("text/html; charset=utf-8", html_bytes(lines))
        else:
            self.files[name] = ("application/pdf", pdf_bytes(lines))

    def organization_url(self, n: int) -> str:
        return f"{self.base}/oparl/v1/organizations/{n}"

    def change_paper(self, n: int, name: str, amount: str | None = None) -> None:
        """A new title, and a new amount in its file unless `amount` is None (file unchanged)."""
        with self.lock:
            self.papers[paper_key(n)].update(name=name, modified=now_iso())
            if amount is not None:
                self._write_file(n, amount)

    def corrupt_file(self, n: int) -> None:
        with self.lock:
            self.papers[paper_key(n)]["modified"] = now_iso()
            self.files[file_name(n)] = ("application/pdf", b"%PDF-1.4 kaputt")

    def delete_paper(self, n: int) -> None:
        with self.lock:
            old = self.papers[paper_key(n)]
            self.papers[paper_key(n)] = {
                "id": old["id"],
                "type": old["type"],
                "created": old["created"],
                "modified": now_iso(),
                "deleted": True,
            }

    def forget_requests(self) -> None:
        with self.lock:
            self.requests.clear()
            self.file_requests.clear()
            self.downloads.clear()

    def paper_list_requests(self) -> list[str]:
        return [path for path in self.requests if path.startswith("/oparl/v1/bodies/1/papers")]

    # --- answering --------------------------------------------------------------------------

    def answer(self, path: str) -> tuple[int, str, bytes]:
        url = urlparse(path)
        with self.lock:
            self.requests.append(path)
            if self.down_after_downloads is not None and len(self.downloads) >= self.down_after_downloads:
                return 503, "text/plain", b"Wartungsarbeiten"
            if not url.path.startswith("/files/"):
                query = query_of(url.query)
                found = None if query is None else self._json(url.path, query)
                if found is None:
                    return 404, "application/json", b'{"error": "not found"}'
                return 200, "application/json", json.dumps(found).encode()
            name = url.path.removeprefix("/files/")
            self.file_requests.append(name)
            trouble = self.flaky_files.pop(name, "")
            if not trouble:
                if name not in self.files:
                    return 404, "text/plain", b"not found"
                self.downloads.append(name)
                return 200, *self.files[name]
        if trouble == "slow":
            time.sleep(3.0)  # outside the lock: only this request stalls, and its client gives up meanwhile
        return 503, "text/plain", b"busy"

    def _json(self, path: str, query: dict[str, str]) -> dict[str, Any] | None:
        body_url = f"{self.base}/oparl/v1/bodies/1"
        body = {
            "id": body_url,
            "type": SCHEMA + "Body",
            "name": BODY_NAME,
            "shortName": "Musterland",
            "paper": f"{body_url}/papers",
            "organization": f"{body_url}/organizations",
        }
        if path == "/oparl/v1/system":
            return {
                "id": self.system_url,
                "type": SCHEMA + "System",
                "oparlVersion": "https://schema.oparl.org/1.1/",
                "body": f"{self.base}/oparl/v1/bodies",
            }
        if path == "/oparl/v1/bodies":
            return {"data": [body], "pagination": {"totalElements": 1}, "links": {}}
        if path == "/oparl/v1/bodies/1/papers":
            return self._paper_page(int(query.get("page", "1")), query.get("modified_since"))
        if path.startswith("/oparl/v1/papers/"):
            return self.papers.get(path.removeprefix("/oparl/v1/papers/"))
        if path.startswith("/oparl/v1/organizations/"):
            n = int(path.rsplit("/", 1)[-1])
            return {"id": self.organization_url(n), "type": SCHEMA + "Organization", "name": ORGANIZATIONS[n]}
        return None

    def _paper_page(self, page: int, modified_since: str | None) -> dict[str, Any]:
        papers = list(self.papers.values())
        if modified_since:
            since = datetime.fromisoformat(modified_since)
            papers = [p for p in papers if datetime.fromisoformat(p["modified"]) >= since]
        start = (page - 1) * PAGE_SIZE
        links = {}
        if start + PAGE_SIZE < len(papers):
            links["next"] = f"{self.base}/oparl/v1/bodies/1/papers?page={page + 1}" + (
                f"&modified_since={modified_since}" if modified_since else ""
            )
        return {
            "data": papers[start : start + PAGE_SIZE],
            "pagination": {"totalElements": len(papers), "elementsPerPage": PAGE_SIZE, "currentPage": page},
            "links": links,
        }


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up on a slow answer is part of the test, not an error."""


@contextmanager
def serve_oparl() -> Iterator[FakeOParl]:
    endpoint = FakeOParl()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, payload = endpoint.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = QuietServer(("127.0.0.1", 0), Handler)
    endpoint.base = f"http://127.0.0.1:{server.server_address[1]}"
    endpoint.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


# --- fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder("minilm")


@pytest.fixture
def oparl() -> Iterator[FakeOParl]:
    with serve_oparl() as endpoint:
        yield endpoint


@pytest.fixture
def store(tmp_path: Path, embedder: Embedder) -> Iterator[Store]:
    store = Store(tmp_path / "store", embedder.model_id)
    yield store
    store.close()


def run_import(endpoint: FakeOParl, store: Store, embedder: Embedder, **options: Any) -> OParlReport:
    return import_oparl(
        store, embedder, endpoint.system_url, state_dir=store.path / "oparl", backoff=0.01, **options
    )


def expected_files() -> set[str]:
    """Every file the endpoint serves: the main files but the broken one, and paper 1's Anlage."""
    return {file_name(n) for n in PAPERS if n != BROKEN} | {"anlage-1.pdf"}


def index_writes_per_document(store: Store) -> dict[str, int]:
    """How often each document was written (added or updated), from the store's audit log."""
    counts: dict[str, int] = {}
    for entry in store.audit_log():
        if entry["action"] in ("add", "update"):
            counts[entry["doc_id"]] = counts.get(entry["doc_id"], 0) + 1
    return counts


@dataclass
class FirstImport:
    endpoint: FakeOParl
    store: Store
    report: OParlReport
    progress: list[str]


@pytest.fixture(scope="module")
def first_import(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[FirstImport]:
    """One complete import shared by the tests that only read its outcome."""
    with serve_oparl() as endpoint:
        store = Store(tmp_path_factory.mktemp("oparl") / "store", embedder.model_id)
        progress: list[str] = []
        report = run_import(endpoint, store, embedder, on_progress=progress.append)
        yield FirstImport(endpoint, store, report, progress)
        store.close()


# --- first import ----------------------------------------------------------------------------------


def test_first_import_indexes_every_paper_with_its_oparl_metadata(first_import: FirstImport) -> None:
    store = first_import.store
    assert first_import.report.imported == len(PAPERS) - 1
    for n in PAPERS:
        if n == BROKEN:
            continue
        doc = store.get_document(doc_id(n))
        assert doc is not None, n
        assert doc.reference == f"BV-{n:03d}/2024"
        assert doc.title == f"Zuschuss 2024 für {GRANTS[n - 1][0]}"
        assert doc.doc_type == "Beschlussvorlage"
        assert doc.status == "öffentlich"
        assert doc.body == BODY_NAME
        assert doc.date == f"2024-02-{n:02d}"
        assert doc.committees == [ORGANIZATIONS[first_committee(n)], "Kreistag"]
        assert f"jährlich {GRANTS[n - 1][2]}" in doc.text


def test_paper_with_broken_file_is_reported_in_german_and_the_rest_is_imported(
    first_import: FirstImport,
) -> None:
    report, store = first_import.report, first_import.store
    assert report.failed == 1
    [message] = report.errors
    assert message.startswith(f"Drucksache BV-{BROKEN:03d}/2024: Hauptdatei: ")
    assert "nicht abrufbar (HTTP 404)" in message
    assert store.get_document(doc_id(BROKEN)) is None
    assert len(store.documents()) == len(PAPERS) - 1


def test_each_consulting_organization_is_fetched_once(first_import: FirstImport) -> None:
    fetched = [path for path in first_import.endpoint.requests if "/organizations/" in path]
    assert sorted(fetched) == [
        "/oparl/v1/organizations/1",
        "/oparl/v1/organizations/3",
        "/oparl/v1/organizations/4",
    ]


def test_main_files_and_anlagen_are_downloaded(first_import: FirstImport) -> None:
    assert set(first_import.endpoint.downloads) == expected_files()


def test_downloaded_files_are_named_after_the_paper_and_stay_in_the_state_directory(
    first_import: FirstImport,
) -> None:
    files_dir = first_import.store.path / "oparl" / "files"
    names = sorted(p.name for p in files_dir.iterdir())
    assert len(names) == len(PAPERS)  # 19 main files and the Anlage of paper 1
    assert all(re.fullmatch(r"musterland-bv-\d{3}-2024(\.anlage-1)?\.(pdf|html)", name) for name in names)
    assert "musterland-bv-001-2024.anlage-1.pdf" in names
    assert f"{doc_id(ODD_ID)}.pdf" in names


def test_progress_reports_one_german_line_per_paper(first_import: FirstImport) -> None:
    lines = first_import.progress
    assert len(lines) == len(PAPERS)
    assert lines[0] == "Drucksache BV-001/2024: importiert"
    assert lines[BROKEN - 1].startswith(f"Drucksache BV-{BROKEN:03d}/2024: Hauptdatei: ")


# --- later runs -------------------------------------------------------------------------------------


def test_incremental_import_fetches_only_changed_papers_and_earlier_failures(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder)
    oparl.forget_requests()
    oparl.change_paper(5, name="Zuschuss 2024 für die Volkshochschule (geändert)", amount="33.000 €")

    report = run_import(oparl, store, embedder)

    list_requests = oparl.paper_list_requests()
    assert list_requests and all("modified_since=" in path for path in list_requests)
    assert sorted(oparl.file_requests) == ["fehlt-13.pdf", file_name(5)]
    assert (report.imported, report.updated, report.failed) == (0, 1, 1)
    doc = store.get_document(doc_id(5))
    assert doc is not None
    assert doc.title == "Zuschuss 2024 für die Volkshochschule (geändert)"
    assert "jährlich 33.000 €" in doc.text


def test_paper_whose_metadata_changed_but_not_its_file_gets_the_new_metadata(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder)
    oparl.change_paper(5, name="Zuschuss 2024 für die Volkshochschule (neuer Titel)")

    run_import(oparl, store, embedder)

    doc = store.get_document(doc_id(5))
    assert doc is not None
    assert doc.title == "Zuschuss 2024 für die Volkshochschule (neuer Titel)"


def test_unreadable_new_version_is_reported_and_the_indexed_version_kept(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder)
    oparl.corrupt_file(4)

    report = run_import(oparl, store, embedder)

    assert report.failed == 2
    assert any(message.startswith("Drucksache BV-004/2024: ") for message in report.errors)
    doc = store.get_document(doc_id(4))
    assert doc is not None
    assert f"jährlich {GRANTS[3][2]}" in doc.text


def test_paper_deleted_at_the_source_is_removed_from_the_store(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder)
    removed_id = doc_id(8)
    assert store.get_document(removed_id) is not None
    oparl.delete_paper(8)

    report = run_import(oparl, store, embedder)

    assert report.removed == 1
    assert store.get_document(removed_id) is None
    assert not list((store.path / "oparl" / "files").glob(f"{removed_id}.*"))
    assert len(store.documents()) == len(PAPERS) - 2


def test_interrupted_import_resumes_without_duplicates_or_repeated_downloads(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    lines: list[str] = []

    def interrupt_after_seven(line: str) -> None:
        lines.append(line)
        if len(lines) == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(oparl, store, embedder, on_progress=interrupt_after_seven)
    before = set(oparl.downloads)
    oparl.forget_requests()

    report = run_import(oparl, store, embedder)

    assert len(before) == 8  # seven papers, the first with its Anlage
    assert not before & set(oparl.downloads)
    assert before | set(oparl.downloads) == expected_files()
    assert report.skipped == 7
    assert set(index_writes_per_document(store).values()) == {1}
    assert len(store.documents()) == len(PAPERS) - 1


def test_import_stopped_by_a_failing_server_resumes_and_keeps_the_old_checkpoint(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    oparl.down_after_downloads = 10
    with pytest.raises(OParlError, match="nicht abrufbar"):
        run_import(oparl, store, embedder, retries=1)
    before = set(oparl.downloads)
    oparl.down_after_downloads = None
    oparl.forget_requests()

    report = run_import(oparl, store, embedder)

    assert not any("modified_since=" in path for path in oparl.paper_list_requests())
    assert len(before) == 10
    assert not before & set(oparl.downloads)
    assert before | set(oparl.downloads) == expected_files()
    assert report.failed == 1
    assert set(index_writes_per_document(store).values()) == {1}
    assert len(store.documents()) == len(PAPERS) - 1


def test_server_errors_and_timeouts_are_retried(oparl: FakeOParl, store: Store, embedder: Embedder) -> None:
    oparl.flaky_files = {file_name(1): "503", file_name(2): "slow", file_name(3): "503"}

    report = run_import(oparl, store, embedder, timeout=1.0)

    assert oparl.file_requests.count(file_name(1)) == 2
    assert oparl.file_requests.count(file_name(2)) == 2
    assert (report.imported, report.failed) == (len(PAPERS) - 1, 1)


# --- options ----------------------------------------------------------------------------------------


def test_since_is_sent_to_the_server_as_modified_since(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    report = run_import(oparl, store, embedder, since="2099-01-01")

    assert oparl.paper_list_requests() == [
        "/oparl/v1/bodies/1/papers?modified_since=2099-01-01T00:00:00+01:00"
    ]
    assert report == OParlReport()


def test_requests_are_spaced_by_the_configured_delay(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    sent: list[float] = []
    with httpx.Client(event_hooks={"request": [lambda _: sent.append(time.monotonic())]}) as client:
        run_import(oparl, store, embedder, since="2099-01-01", delay=0.2, client=client)

    assert len(sent) == 3
    assert min(later - earlier for earlier, later in itertools.pairwise(sent)) >= 0.2


def test_address_that_is_not_an_oparl_system_gets_a_german_error(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    with pytest.raises(OParlError, match="ist kein OParl-System"):
        import_oparl(store, embedder, oparl.organization_url(1), state_dir=store.path / "oparl")


def test_unknown_body_is_named_in_a_german_error(oparl: FakeOParl, store: Store, embedder: Embedder) -> None:
    with pytest.raises(OParlError, match="Körperschaft '99' gibt es in .* nicht"):
        run_import(oparl, store, embedder, body_id="99")


def test_body_can_be_chosen_by_the_last_part_of_its_id(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder, body_id="1", since="2099-01-01")

    assert len(oparl.paper_list_requests()) == 1


# --- recorded real servers (tests/fixtures/oparl) -----------------------------------------------

HW = "huertgenwald"
HW_PAPERS = {
    f"{HW}-80-2019": "80/2019",
    f"{HW}-80-2019-1-ergaenzung": "80/2019 1. Ergänzung",
    f"{HW}-80-2019-2-ergaenzung": "80/2019 2. Ergänzung",
    f"{HW}-80-2019-3-ergaenzung": "80/2019 3. Ergänzung",
    f"{HW}-81-2019": "81/2019",
    f"{HW}-92-2019": "92/2019",
    f"{HW}-107-2019": "107/2019",
}
HW_COUNCIL_MEETING = f"{HW}-sitzung-2019-09-24-gemeinderat-48-sitzung"
HW_SCHOOL_MEETING = f"{HW}-sitzung-2019-11-07-schulausschuss-16-sitzung"
HW_LATER_MEETING = f"{HW}-sitzung-2019-11-28-gemeinderat-50-sitzung"


def import_recorded(endpoint: RecordedOParl, store: Store, embedder: Embedder, **options: Any) -> OParlReport:
    return import_oparl(
        store, embedder, endpoint.system_url, state_dir=store.path / "oparl", backoff=0.01, **options
    )


@dataclass
class RecordedImport:
    endpoint: RecordedOParl
    store: Store
    report: OParlReport
    progress: list[str]


@pytest.fixture(scope="module")
def huertgenwald(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[RecordedImport]:
    """One import of the recorded Hürtgenwald subset, shared by the tests that only read its outcome."""
    with serve_recorded() as endpoint:
        store = Store(tmp_path_factory.mktemp("huertgenwald") / "store", embedder.model_id)
        progress: list[str] = []
        report = import_recorded(endpoint, store, embedder, on_progress=progress.append)
        yield RecordedImport(endpoint, store, report, progress)
        store.close()


@pytest.fixture
def recorded() -> Iterator[RecordedOParl]:
    with serve_recorded() as endpoint:
        yield endpoint


def test_recorded_server_imports_every_paper_meeting_and_invitation_with_readable_ids(
    huertgenwald: RecordedImport,
) -> None:
    store, report = huertgenwald.store, huertgenwald.report
    ids = {doc.doc_id for doc in store.documents()}
    niederschriften = {HW_COUNCIL_MEETING, HW_SCHOOL_MEETING, HW_LATER_MEETING}
    einladungen = {f"{meeting}-einladung" for meeting in niederschriften}
    assert ids == set(HW_PAPERS) | niederschriften | einladungen
    for doc_id, reference in HW_PAPERS.items():
        doc = store.get_document(doc_id)
        assert doc is not None and doc.reference == reference
        assert doc.body == "Gemeinde Hürtgenwald"
    assert (report.imported, report.failed, report.errors) == (len(ids), 0, [])


def test_deleted_stubs_count_as_deleted_not_as_unchanged(huertgenwald: RecordedImport) -> None:
    assert (huertgenwald.report.deleted, huertgenwald.report.skipped) == (2, 0)
    assert "an der Quelle gelöscht" in huertgenwald.report.summary()


def test_titles_lose_the_line_breaks_of_the_source(huertgenwald: RecordedImport) -> None:
    doc = huertgenwald.store.get_document(f"{HW}-107-2019")
    assert doc is not None
    assert doc.title == "Vertrag mit dem Franziskus-Gymnasium Vossenack hier: Vertragsverlängerung"


def test_beratungsfolge_keeps_date_and_result_of_each_consultation(huertgenwald: RecordedImport) -> None:
    doc = huertgenwald.store.get_document(f"{HW}-107-2019")
    assert doc is not None
    assert doc.consultations == [
        Consultation("Schulausschuss", "2019-11-07", "11 Ja-Stimmen; 1 Nein-Stimme; 0 Enthaltungen"),
        Consultation("Gemeinderat", "2019-11-28", "einstimmig, 1 Enthaltung Ratsmitglied Gilleßen"),
    ]


def test_paper_keeps_its_link_into_the_council_system(huertgenwald: RecordedImport) -> None:
    doc = huertgenwald.store.get_document(f"{HW}-80-2019")
    assert doc is not None
    assert doc.web == huertgenwald.endpoint.paper("80/2019")["web"]
    assert doc.web.startswith(f"{huertgenwald.endpoint.base}/rim4220/vorgang/")


def _section_at(doc: Document, position: int) -> str:
    """The section a citation of `position` names (passages may span several short sections)."""
    return next(s.name for s in doc.sections if s.start <= position < s.end)


def test_anlage_text_is_a_section_of_its_paper_named_after_the_anlage(huertgenwald: RecordedImport) -> None:
    doc = huertgenwald.store.get_document(f"{HW}-80-2019-1-ergaenzung")
    assert doc is not None
    assert _section_at(doc, doc.text.index("41.804,60 €")) == "Anlage: Angebot Röhrenrutsche vom 19.06.2019"
    assert {s.name for s in doc.sections} >= {"Anlage: Angebot Spiel- und Evakuierungsrutsche vom 23.09.2019"}


def test_figure_only_in_an_anlage_is_found_and_named_by_the_anlage(
    huertgenwald: RecordedImport, embedder: Embedder
) -> None:
    [hit, *_] = Retriever(huertgenwald.store, embedder).search(
        "Was kostet die Röhrenrutsche laut Angebot?", k=3
    )

    assert (hit.doc_id, hit.reference) == (f"{HW}-80-2019-1-ergaenzung", "80/2019 1. Ergänzung")
    assert "41.804,60 €" in hit.text
    doc = huertgenwald.store.get_document(hit.doc_id)
    assert doc is not None
    assert _section_at(doc, doc.text.index("41.804,60 €")) == "Anlage: Angebot Röhrenrutsche vom 19.06.2019"


def test_anlage_in_a_format_without_parser_is_skipped_without_failing_its_paper(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    photo = recorded.paper("80/2019 1. Ergänzung")["auxiliaryFile"][1]
    photo.update(mimeType="image/jpeg", accessUrl=photo["accessUrl"].replace(".pdf", ".jpg"))
    del photo["downloadUrl"]

    report = import_recorded(recorded, store, embedder, since="2019-10-01")

    assert (report.failed, report.errors) == (0, [])
    doc = store.get_document(f"{HW}-80-2019-1-ergaenzung")
    assert doc is not None
    assert [s.name for s in doc.sections if s.name.startswith("Anlage")] == [
        "Anlage: Angebot Röhrenrutsche vom 19.06.2019"
    ]


def test_meeting_becomes_a_niederschrift_with_one_section_per_top_result(
    huertgenwald: RecordedImport,
) -> None:
    doc = huertgenwald.store.get_document(HW_COUNCIL_MEETING)
    assert doc is not None
    assert (doc.doc_type, doc.date, doc.committees) == ("Niederschrift", "2019-09-24", ["Gemeinderat"])
    top = (
        'TOP 10: "Gute Schule 2020"; Kostenermittlung für einen zweiten Fluchtweg am Teilstandort Bergstein'
        " der Gemeinschaftsgrundschule Eifelfüchse der Gemeinde Hürtgenwald (Vorlage 80/2019)"
        " – Ergebnis: einstimmig, 0 Enthaltungen"
    )
    assert top in doc.text
    assert top in {section.name for section in doc.sections}
    assert "Anwesend waren 23 Ratsmitglieder." in doc.text  # the resultsProtocol
    assert "TOP 16" not in doc.text  # no result, no resolution: not a decision


def test_search_for_a_number_finds_the_paper_first_and_its_ergaenzungen_next(
    huertgenwald: RecordedImport, embedder: Embedder
) -> None:
    hits = Retriever(huertgenwald.store, embedder).search("80/2019", k=10)

    ranked = list(dict.fromkeys(hit.doc_id for hit in hits))
    assert ranked[0] == f"{HW}-80-2019"
    assert set(ranked[1:4]) == {f"{HW}-80-2019-{n}-ergaenzung" for n in (1, 2, 3)}


def _cites_verbatim(answer: Answer, store: Store, doc_id: str, passage: str) -> bool:
    """The answer cites `passage` of the document, and each of its quotes is the cited text."""
    for citation in answer.citations:
        doc = store.get_document(citation.doc_id)
        assert doc is not None and citation.quote == doc.text[citation.start : citation.end]
    return any(c.doc_id == doc_id and passage in c.quote for c in answer.citations)


def test_what_a_committee_decided_on_a_day_is_answered_from_its_niederschrift(
    huertgenwald: RecordedImport, embedder: Embedder
) -> None:
    composer = Composer(Retriever(huertgenwald.store, embedder))

    answer = composer.compose("Was wurde am 07.11.2019 im Schulausschuss beschlossen?")

    assert "einstimmig" in answer.text.lower()
    assert _cites_verbatim(
        answer, huertgenwald.store, HW_SCHOOL_MEETING, "(Vorlage 80/2019 1. Ergänzung) – Ergebnis: Einstimmig"
    )


@pytest.mark.parametrize(
    ("reference", "meeting", "result", "stated"),
    [
        ("80/2019", HW_COUNCIL_MEETING, "Ergebnis: einstimmig, 0 Enthaltungen", "einstimmig"),
        (
            "107/2019",
            HW_SCHOOL_MEETING,
            "Ergebnis: 11 Ja-Stimmen; 1 Nein-Stimme; 0 Enthaltungen",
            "Ja 11, Nein 1",
        ),
    ],
)
def test_how_a_paper_was_voted_on_is_answered_from_the_top_that_names_it(
    huertgenwald: RecordedImport, embedder: Embedder, reference: str, meeting: str, result: str, stated: str
) -> None:
    composer = Composer(Retriever(huertgenwald.store, embedder))

    answer = composer.compose(f"Wie wurde über {reference} abgestimmt?")

    assert stated in answer.text
    assert _cites_verbatim(answer, huertgenwald.store, meeting, f"(Vorlage {reference}) – {result}")


def test_a_vote_is_never_borrowed_from_the_item_of_another_number(
    huertgenwald: RecordedImport, embedder: Embedder
) -> None:
    """81/2019's result is a vote table flattened beyond reading; the neighbouring item's
    "einstimmig" (80/2019) must not be given as its answer."""
    composer = Composer(Retriever(huertgenwald.store, embedder))

    answer = composer.compose("Wie wurde über 81/2019 abgestimmt?")

    assert not any("(Vorlage 80/2019)" in c.quote for c in answer.citations)


def test_meeting_invitation_becomes_an_einladung_with_date_and_committee(
    huertgenwald: RecordedImport,
) -> None:
    doc = huertgenwald.store.get_document(f"{HW_COUNCIL_MEETING}-einladung")
    assert doc is not None
    assert (doc.doc_type, doc.date, doc.committees) == ("Einladung", "2019-09-24", ["Gemeinderat"])
    assert "tritt am 24.09.2019 um 18:00 Uhr im Rathaus zusammen" in doc.text


@pytest.mark.parametrize("empty_answer", ["802", "[]"])
def test_second_run_without_changes_accepts_the_servers_no_changes_answer(
    recorded: RecordedOParl, store: Store, embedder: Embedder, empty_answer: str
) -> None:
    import_recorded(recorded, store, embedder)
    recorded.empty_answer = empty_answer
    recorded.forget_requests()

    report = import_recorded(recorded, store, embedder)

    assert (report.imported, report.updated, report.failed, report.errors) == (0, 0, 0, [])
    assert recorded.downloads == []
    [paper_list] = recorded.list_requests("paper")
    assert re.fullmatch(r".*/paper\?modified_since=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", paper_list), (
        paper_list
    )  # unencoded and without fraction, as Somacos and SD.NET accept it


def test_run_after_one_paper_and_one_meeting_changed_updates_those_and_the_meetings_paper(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    import_recorded(recorded, store, embedder)
    recorded.empty_answer = "802"
    recorded.change(recorded.paper("81/2019"), name="Antrag der SPD-Fraktion\nzum Klimanotstand (neu)")
    meeting = recorded.meeting("2288")
    top_2 = meeting["agendaItem"][1]
    recorded.change(meeting, agendaItem=[*meeting["agendaItem"][:1], {**top_2, "result": "vertagt"}])
    recorded.forget_requests()

    report = import_recorded(recorded, store, embedder)

    # the paper, the meeting's Niederschrift, and the paper whose TOP result changed (80/2019 1. Ergänzung)
    assert (report.imported, report.updated, report.failed) == (0, 3, 0)
    assert report.skipped == 1  # the meeting's unchanged invitation
    supplement = store.get_document(f"{HW}-80-2019-1-ergaenzung")
    assert supplement is not None
    assert supplement.consultations == [Consultation("Schulausschuss", "2019-11-07", "vertagt")]
    paper = store.get_document(f"{HW}-81-2019")
    assert paper is not None and paper.title == "Antrag der SPD-Fraktion zum Klimanotstand (neu)"
    niederschrift = store.get_document(HW_SCHOOL_MEETING)
    assert niederschrift is not None and "– Ergebnis: vertagt" in niederschrift.text
    assert "11 Ja-Stimmen" not in niederschrift.text


def test_paper_list_with_raw_control_characters_is_read(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    allris_paper = (FIXTURES / "vendors" / "allris-paper-with-control-characters.json").read_bytes()
    good_paper = json.dumps(recorded.paper("80/2019"), ensure_ascii=False).encode()
    recorded.raw[f"{API}/body/1/paper"] = (
        b'{"data": [' + allris_paper + b", " + good_paper + b'], "links": {}}'
    )

    progress: list[str] = []
    report = import_recorded(recorded, store, embedder, on_progress=progress.append)

    assert report.failed == 0
    assert "Drucksache 1664/99: keine Hauptdatei, übersprungen" in progress
    assert store.get_document(f"{HW}-80-2019") is not None


def test_organization_that_failed_is_asked_again_by_the_next_run(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    council = f"{API}/body/1/organization/1-8"
    recorded.broken[council] = None
    first = import_recorded(recorded, store, embedder, retries=0)
    recorded.broken.clear()

    second = import_recorded(recorded, store, embedder)

    assert first.failed > 0
    assert all("Gremium nicht abrufbar" in message for message in first.errors)
    assert any(
        message.startswith("Drucksache 80/2019: importiert, aber unvollständig") for message in first.errors
    )
    assert (second.failed, second.errors) == (0, [])
    doc = store.get_document(f"{HW}-80-2019")
    assert doc is not None
    assert doc.consultations == [Consultation("Gemeinderat", "2019-09-24", "einstimmig, 0 Enthaltungen")]


def test_file_over_the_size_limit_is_refused_by_its_size_and_while_streaming(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    stated = recorded.paper("80/2019")["mainFile"]
    stated["size"] = 300 * 1024 * 1024
    streamed = recorded.paper("81/2019")["mainFile"]
    streamed_path = urlparse(streamed["downloadUrl"]).path
    recorded.file_bytes[streamed_path] = b"%PDF-1.4\n" + b"0" * 300_000
    recorded.unsized.add(streamed_path)

    report = import_recorded(recorded, store, embedder, max_file_bytes=100_000)

    assert urlparse(stated["downloadUrl"]).path not in recorded.downloads
    assert sorted(report.errors) == [
        "Drucksache 80/2019: Hauptdatei: Datei ist 300 MB groß, erlaubt sind höchstens 0,1 MB"
        " (RATSAUSKUNFT_MAX_DOWNLOAD_MB).",
        "Drucksache 81/2019: Hauptdatei: Datei ist größer als erlaubt (höchstens 0,1 MB,"
        " RATSAUSKUNFT_MAX_DOWNLOAD_MB); Download abgebrochen.",
    ]
    leftovers = [p.name for p in (store.path / "oparl" / "files").iterdir() if p.name.startswith(f"{HW}-8")]
    assert not [name for name in leftovers if name.startswith((f"{HW}-80-2019.", f"{HW}-81-2019."))]
    assert not list((store.path / "oparl" / "files").glob("*.part"))
    assert store.get_document(f"{HW}-92-2019") is not None


def test_body_object_served_where_the_body_list_belongs_is_imported(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    recorded.body_object_at_list = True

    report = import_recorded(recorded, store, embedder, since="2099-01-01")

    assert report == OParlReport()
    assert recorded.list_requests("paper")


def test_permanently_broken_object_is_reported_by_id_and_the_rest_imported(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    paper = recorded.paper("92/2019")
    broken_url = f"{recorded.api}/body/1/file/kaputt"
    paper["mainFile"] = broken_url
    recorded.raw[urlparse(broken_url).path] = b'{"id": "abgeschnitten'

    report = import_recorded(recorded, store, embedder)

    [message] = report.errors
    assert message.startswith(f"Drucksache 92/2019: {broken_url} liefert kein gültiges JSON")
    assert store.get_document(f"{HW}-80-2019") is not None
    assert store.get_document(HW_COUNCIL_MEETING) is not None


def test_broken_list_page_is_reported_keeps_the_checkpoint_and_does_not_stop_the_meetings(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    recorded.raw[f"{API}/body/1/paper"] = b'{"data": [{"id": '

    report = import_recorded(recorded, store, embedder)
    recorded.raw.clear()
    recorded.forget_requests()
    import_recorded(recorded, store, embedder)

    [message] = report.errors
    assert message.startswith(f"Liste {recorded.api}/body/1/paper: ") and "kein gültiges JSON" in message
    assert store.get_document(HW_COUNCIL_MEETING) is not None
    assert all("modified_since" not in path for path in recorded.list_requests("paper"))
    assert store.get_document(f"{HW}-80-2019") is not None


def test_only_transient_errors_are_announced_as_resumable() -> None:
    assert (
        OParlError("x nicht abrufbar (HTTP 503).", transient=True)
        .for_the_user()
        .endswith("ein erneuter Aufruf setzt den Import fort.")
    )
    assert (
        "erneuter Aufruf allein behebt das nicht"
        in OParlError("x liefert kein gültiges JSON.").for_the_user()
    )


def test_unchanged_file_is_not_downloaded_again_when_its_file_object_says_so(
    recorded: RecordedOParl, store: Store, embedder: Embedder
) -> None:
    main_file = recorded.paper("80/2019")["mainFile"]
    main_file.update(size=2048, sha1Checksum="d" * 40)
    import_recorded(recorded, store, embedder)
    recorded.change(recorded.paper("80/2019"), name="Gute Schule 2020: zweiter Fluchtweg Bergstein")
    recorded.forget_requests()

    report = import_recorded(recorded, store, embedder)

    assert report.updated == 1
    assert recorded.downloads == []
    doc = store.get_document(f"{HW}-80-2019")
    assert doc is not None and doc.title == "Gute Schule 2020: zweiter Fluchtweg Bergstein"


def test_two_papers_with_one_reference_get_distinct_ids_that_stay(tmp_path: Path) -> None:
    state = ImportState(tmp_path / "oparl-state.json")
    first = state.doc_id("https://ris.example/body/1/paper/11", "beispiel-80-2019")
    second = state.doc_id("https://ris.example/body/1/paper/12", "beispiel-80-2019")
    state.save()

    again = ImportState(tmp_path / "oparl-state.json")

    assert (first, second) == ("beispiel-80-2019", "beispiel-80-2019-12")
    assert again.doc_id("https://ris.example/body/1/paper/12", "beispiel-80-2019-neu") == second
