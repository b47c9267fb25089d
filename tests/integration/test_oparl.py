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
from urllib.parse import parse_qs, quote, urlparse

import httpx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.embedding import Embedder, load_embedder
from ingest.oparl import OParlError, OParlReport, doc_id_for, import_oparl
from ingest.store import Store

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
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                found = self._json(url.path, query)
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
                f"&modified_since={quote(modified_since)}" if modified_since else ""
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
    return {file_name(n) for n in PAPERS if n != BROKEN}


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
    endpoint, store = first_import.endpoint, first_import.store
    assert first_import.report.imported == len(PAPERS) - 1
    for n in PAPERS:
        if n == BROKEN:
            continue
        doc = store.get_document(doc_id_for(endpoint.paper_url(n)))
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
    assert message.startswith(f"Drucksache BV-{BROKEN:03d}/2024: Hauptdatei ")
    assert "nicht abrufbar (HTTP 404)" in message
    assert store.get_document(doc_id_for(first_import.endpoint.paper_url(BROKEN))) is None
    assert len(store.documents()) == len(PAPERS) - 1


def test_each_consulting_organization_is_fetched_once(first_import: FirstImport) -> None:
    fetched = [path for path in first_import.endpoint.requests if "/organizations/" in path]
    assert sorted(fetched) == [
        "/oparl/v1/organizations/1",
        "/oparl/v1/organizations/3",
        "/oparl/v1/organizations/4",
    ]


def test_only_main_files_are_downloaded_not_auxiliary_files(first_import: FirstImport) -> None:
    assert set(first_import.endpoint.downloads) == expected_files()


def test_downloaded_files_are_named_after_the_paper_and_stay_in_the_state_directory(
    first_import: FirstImport,
) -> None:
    files_dir = first_import.store.path / "oparl" / "files"
    names = sorted(p.name for p in files_dir.iterdir())
    assert len(names) == len(PAPERS) - 1
    assert all(re.fullmatch(r"oparl-[A-Za-z0-9_-]+\.(pdf|html)", name) for name in names)
    odd_doc_id = doc_id_for(first_import.endpoint.paper_url(ODD_ID))
    assert odd_doc_id.startswith("oparl-Vorlage-2024-020-")
    assert f"{odd_doc_id}.pdf" in names


def test_progress_reports_one_german_line_per_paper(first_import: FirstImport) -> None:
    lines = first_import.progress
    assert len(lines) == len(PAPERS)
    assert lines[0] == "BV-001/2024: importiert"
    assert lines[BROKEN - 1].startswith(f"Drucksache BV-{BROKEN:03d}/2024: Hauptdatei ")


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
    doc = store.get_document(doc_id_for(oparl.paper_url(5)))
    assert doc is not None
    assert doc.title == "Zuschuss 2024 für die Volkshochschule (geändert)"
    assert "jährlich 33.000 €" in doc.text


def test_paper_whose_metadata_changed_but_not_its_file_gets_the_new_metadata(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder)
    oparl.change_paper(5, name="Zuschuss 2024 für die Volkshochschule (neuer Titel)")

    run_import(oparl, store, embedder)

    doc = store.get_document(doc_id_for(oparl.paper_url(5)))
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
    doc = store.get_document(doc_id_for(oparl.paper_url(4)))
    assert doc is not None
    assert f"jährlich {GRANTS[3][2]}" in doc.text


def test_paper_deleted_at_the_source_is_removed_from_the_store(
    oparl: FakeOParl, store: Store, embedder: Embedder
) -> None:
    run_import(oparl, store, embedder)
    doc_id = doc_id_for(oparl.paper_url(8))
    assert store.get_document(doc_id) is not None
    oparl.delete_paper(8)

    report = run_import(oparl, store, embedder)

    assert report.removed == 1
    assert store.get_document(doc_id) is None
    assert not list((store.path / "oparl" / "files").glob(f"{doc_id}.*"))
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

    assert len(before) == 7
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
        "/oparl/v1/bodies/1/papers?modified_since=2099-01-01T00%3A00%3A00%2B01%3A00"
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
