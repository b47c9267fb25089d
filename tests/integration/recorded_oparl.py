"""A local OParl endpoint that serves recorded responses of a real server (tests/fixtures/oparl).

The recorded objects keep their ids; only the server part of every URL is swapped for the local
one. Lists are served in pages of three with SD.NET's `?page=N` links (which, like some servers,
drop the `modified_since` filter). The recording has no file contents, so every file is a small
PDF with its name and, where a test needs it, the lines in `FILE_TEXTS`. Switches on the server
reproduce the vendor behaviours the import has to live with.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "oparl"
RECORDED_SERVER = "https://sdnetrim.kdvz-frechen.de"
API = "/rim4220/webservice/oparl/v1.0"
PAGE_SIZE = 3
LISTS = {"/body": "body.json", "/body/1/paper": "paper.json", "/body/1/meeting": "meeting.json"}
LISTS_OF_OBJECTS = {"/body/1/organization": "organization.json"}

# Invented file contents (the recording has none), by the last part of the File's id.
FILE_TEXTS = {
    "1-26634": [  # Beschlussvorlage 80/2019
        "Beschlussvorlage 80/2019",
        "Beschlussvorschlag:",
        "Der Rat beauftragt die Verwaltung, einen zweiten Fluchtweg am Teilstandort Bergstein zu planen.",
        "Finanzielle Auswirkungen:",
        "Die Kosten werden auf 85.000 € geschätzt.",
    ],
    "2-3455": [  # Anlage of 80/2019 1. Ergänzung: "Angebot Röhrenrutsche vom 19.06.2019"
        "Angebot Röhrenrutsche",
        "Die Röhrenrutsche als Fluchtweg kostet laut Angebot 41.804,60 € brutto.",
    ],
    "1-27085": [  # Öffentliche Niederschrift Gemeinderat 24.09.2019
        "Niederschrift über die 48. Sitzung des Gemeinderates Hürtgenwald am 24.09.2019",
        "Anwesend waren 23 Ratsmitglieder.",
    ],
    "1-26898": [  # Bekanntmachung Gemeinderat 24.09.2019
        "Bekanntmachung",
        "Der Gemeinderat tritt am 24.09.2019 um 18:00 Uhr im Rathaus zusammen.",
    ],
}


def pdf_bytes(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)  # same bytes every time: "unverändert"
    y = 800
    for line in lines:
        page.drawString(40, y, line[:110])
        y -= 18
    page.save()
    return buffer.getvalue()


def last_part(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class RecordedOParl:
    """The recorded Hürtgenwald subset, plus a log of what clients asked for and vendor switches."""

    base: str = ""  # http://127.0.0.1:port
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # path → object
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # download path → File object
    file_bytes: dict[str, bytes] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)  # file paths served with 200
    # vendor behaviours
    empty_answer: str = "list"  # filtered list without matches: "list", "802" (SD.NET) or "[]"
    body_object_at_list: bool = False  # the Body itself where the body list belongs
    broken: dict[str, int | None] = field(default_factory=dict)  # path → 500s still to give (None: always)
    raw: dict[str, bytes] = field(default_factory=dict)  # path → body served as is
    unsized: set[str] = field(default_factory=set)  # file paths sent without Content-Length
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api(self) -> str:
        return f"{self.base}{API}"

    @property
    def system_url(self) -> str:
        return f"{self.api}/system"

    def load(self) -> None:
        """Read the fixture files with their URLs pointed at this server, and index every object."""
        folder = FIXTURES / "huertgenwald"

        def read(name: str) -> Any:
            return json.loads((folder / name).read_text("utf-8").replace(RECORDED_SERVER, self.base))

        self.objects[f"{API}/system"] = read("system.json")
        for path, name in {**LISTS, **LISTS_OF_OBJECTS}.items():
            self.lists[API + path] = read(name)["data"]
            for item in self.lists[API + path]:
                self._index(item)

    def _index(self, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self._index(item)
        elif isinstance(value, dict):
            object_id = value.get("id")
            if isinstance(object_id, str) and object_id.startswith(self.base):
                self.objects.setdefault(urlparse(object_id).path, value)
            for key in ("accessUrl", "downloadUrl"):
                if isinstance(value.get(key), str):
                    self.files[urlparse(value[key]).path] = value
            for item in value.values():
                self._index(item)

    # --- what tests change -------------------------------------------------------------------

    def paper(self, reference: str) -> dict[str, Any]:
        return next(p for p in self.lists[f"{API}/body/1/paper"] if p.get("reference") == reference)

    def meeting(self, number: str) -> dict[str, Any]:
        return self.objects[f"{API}/body/1/meeting/{number}"]

    def change(self, item: dict[str, Any], **fields: Any) -> None:
        with self.lock:
            item.update(fields, modified=now_iso())

    def forget_requests(self) -> None:
        with self.lock:
            self.requests.clear()
            self.downloads.clear()

    def list_requests(self, kind: str) -> list[str]:
        return [path for path in self.requests if path.startswith(f"{API}/body/1/{kind}")]

    # --- answering -----------------------------------------------------------------------------

    def answer(self, raw_path: str) -> tuple[int, str, bytes, bool]:
        """Status, content type, body, and whether to state the Content-Length."""
        url = urlparse(raw_path)
        with self.lock:
            self.requests.append(raw_path)
            if url.path in self.broken:
                left = self.broken[url.path]
                if left is None or left > 0:
                    if left is not None:
                        self.broken[url.path] = left - 1
                    return 500, "text/plain", b"Interner Fehler", True
            if url.path in self.raw:
                return 200, "application/json", self.raw[url.path], True
            if url.path in self.files:
                return self._file(url.path)
            return self._json(url.path, url.query)

    def _file(self, path: str) -> tuple[int, str, bytes, bool]:
        if path not in self.file_bytes:
            file = self.files[path]
            lines = [" ".join(str(file.get("name", "")).split())]
            lines += FILE_TEXTS.get(last_part(file["id"]), [f"Inhalt der Datei {last_part(path)}."])
            self.file_bytes[path] = pdf_bytes(lines)
        self.downloads.append(path)
        return 200, "application/pdf", self.file_bytes[path], path not in self.unsized

    def _json(self, path: str, raw_query: str) -> tuple[int, str, bytes, bool]:
        query = {k: unquote(v) for k, _, v in (p.partition("=") for p in raw_query.split("&") if p)}
        if "%3A" in raw_query.upper() or "%2B" in raw_query.upper():
            return 404, "text/html", b"<html>Not Found</html>", True  # Somacos, see README
        if path == f"{API}/body" and self.body_object_at_list:
            return self._dump(self.lists[path][0])
        if path in self.lists:
            return self._page(path, int(query.get("page", "1")), query.get("modified_since"))
        found = self.objects.get(path)
        if found is None:
            return (
                404,
                "application/json",
                (FIXTURES / "vendors" / "sdnet-empty-result-802.json").read_bytes(),
                True,
            )
        return self._dump(found)

    def _page(self, path: str, page: int, modified_since: str | None) -> tuple[int, str, bytes, bool]:
        items = self.lists[path]
        if modified_since:
            since = datetime.fromisoformat(modified_since)
            items = [item for item in items if datetime.fromisoformat(item["modified"]) >= since]
            if not items and self.empty_answer == "802":
                return (
                    404,
                    "application/json",
                    (FIXTURES / "vendors" / "sdnet-empty-result-802.json").read_bytes(),
                    True,
                )
            if not items and self.empty_answer == "[]":
                return self._dump([])
        start = (page - 1) * PAGE_SIZE
        links = {"first": f"{self.base}{path}?page=1"}
        if start + PAGE_SIZE < len(items):
            links["next"] = f"{self.base}{path}?page={page + 1}"
        return self._dump(
            {
                "data": items[start : start + PAGE_SIZE],
                "pagination": {
                    "totalElements": len(items),
                    "elementsPerPage": PAGE_SIZE,
                    "currentPage": page,
                },
                "links": links,
            }
        )

    @staticmethod
    def _dump(data: Any) -> tuple[int, str, bytes, bool]:
        return 200, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode(), True


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that stops reading an oversized file is part of a test, not an error."""


@contextmanager
def serve_recorded() -> Iterator[RecordedOParl]:
    endpoint = RecordedOParl()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, payload, with_length = endpoint.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if with_length:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = _QuietServer(("127.0.0.1", 0), Handler)
    endpoint.base = f"http://127.0.0.1:{server.server_address[1]}"
    endpoint.load()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
