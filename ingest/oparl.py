"""Import council papers (Drucksachen) and meetings from an OParl 1.0/1.1 endpoint into the store.

The walk: System → its body list → each Body → its meeting list, then its paper list (page after
page via `links.next`) → for each Paper one document: its `mainFile` with each `auxiliaryFile`
(Anlage) appended as a section "Anlage: <name>", with the Beratungsfolge (committee, date and
result of each consultation's meeting and agenda item) and the paper's `web` link; for each Meeting
a Niederschrift (its protocols plus one section "TOP n: <name> (Vorlage …) – Ergebnis: <result>"
per agenda item with a result or resolution) and an Einladung. Files go to `state_dir/files/`,
named after their document (`huertgenwald-80-2019.pdf`, `huertgenwald-80-2019.anlage-1.pdf`).

Real servers answer differently from the spec, and the import copes (see `OParlHttp`):
`modified_since` is sent unencoded and without fraction; SD.NET's "no changes" (404 with error
code 802, or a bare `[]`) is an empty list; raw control characters inside JSON strings are read;
a Body served where the body list belongs is a one-element list; downloads stop at a size limit.

Runs are incremental and resumable. `state_dir/oparl-state.json` (`ImportState`) keeps, per
system URL and body,
- `checkpoint`: the server's time when the last *complete* run started; the next run asks only for
  objects with `modified_since` that time (OParl soft-deletes, so deletions arrive the same way);
- `started` and `done`: the start of an unfinished run and the objects (id → `modified` stamp) it
  has already imported, so a rerun after a crash or Ctrl-C neither downloads nor indexes them again;
- `failed`: objects that could not be fetched or read, or were indexed without a committee or an
  Anlage that could not be fetched; the next run tries them again.
A list the server answers with something no rerun fixes (broken JSON) is reported and the other
list still imported, but the checkpoint stays, so nothing in it is skipped later. Only transient
errors (timeouts, 5xx) stop the run, and only those are announced as resumable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlparse
from zoneinfo import ZoneInfo

import httpx

from ingest.embedding import Embedder
from ingest.german.sections import KOPF
from ingest.metadata import NIEDERSCHRIFT
from ingest.parsing import SUPPORTED_SUFFIXES, extract_text, parse
from ingest.pipeline import ADDED, FAILED, UPDATED, ingest_document, repair
from ingest.store import Store
from ingest.types import NON_PUBLIC_STATUS, PUBLIC_STATUS, Consultation, Document, IngestError, Section

log = logging.getLogger(__name__)

STATE_FILE = "oparl-state.json"
FILES_DIR = "files"
USER_AGENT = "Ratsauskunft-OParl-Import/0.1"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
SDNET_EMPTY_RESULT_CODE = "802"
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_RETRY_AFTER_S = 60.0
MIME_SUFFIXES = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
EINLADUNG = "Einladung"
NON_PUBLIC_KEYWORDS = {"nichtöffentlich", "nicht öffentlich", "nicht-öffentlich"}


class OParlError(IngestError):
    """A request the import cannot do without; worded for the person running the import (German).

    `transient` errors (timeouts, dropped connections, 5xx, 429) may be gone on the next run;
    the others (404, JSON beyond repair, a file over the size limit) stay until the server changes.
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient

    def for_the_user(self) -> str:
        """The message plus what a rerun does: only a transient error is worth a rerun right away."""
        if self.transient:
            return f"{self} – ein erneuter Aufruf setzt den Import fort."
        return f"{self} – ein erneuter Aufruf allein behebt das nicht."


@dataclass
class OParlReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    removed: int = 0
    failed: int = 0
    deleted: int = 0  # deletion notices for objects that were never in the index
    errors: list[str] = field(default_factory=list)  # one German message per failed object

    def summary(self) -> str:
        return (
            f"{self.imported} importiert, {self.updated} aktualisiert, {self.skipped} unverändert, "
            f"{self.removed} entfernt, {self.deleted} an der Quelle gelöscht, {self.failed} fehlgeschlagen"
        )


# --- HTTP ----------------------------------------------------------------------------------------


class FileTooLarge(OParlError):
    """A download over the size limit; never worth a retry."""


class UnsupportedFile(OParlError):
    """A file in a format no parser reads (an Anlage that is a JPEG photo): skipped, never retried."""


class OParlHttp:
    """GET with the manners a public endpoint deserves: a pause between requests, a timeout on each,
    and retries with exponential backoff on 5xx, 429, timeouts and dropped connections.

    It also absorbs what real servers answer instead of the spec (see `get_list_page`, `decode_json`).
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        delay: float,
        timeout: float,
        retries: int,
        backoff: float,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    ) -> None:
        self._client = client
        self._delay = delay
        self._timeout = timeout
        self._retries = max(0, retries)
        self._backoff = backoff
        self.max_file_bytes = max_file_bytes
        self._last_request = 0.0
        self._server_time: datetime | None = None

    def now(self) -> datetime:
        """The server's clock as of its latest answer (its `Date` header), else ours.

        Checkpoints are compared with the server's `modified` stamps, so they are taken from its clock.
        """
        return self._server_time or datetime.now(UTC)

    def get_json(self, url: str) -> dict[str, Any]:
        """One OParl object; an object that is not there (404, also SD.NET's 802) is a permanent error."""
        response = self._request(url)
        if response.status_code == 404:
            raise OParlError(f"{url} nicht abrufbar (HTTP 404).")
        data = decode_json(response, url)
        if not isinstance(data, dict):
            raise OParlError(f"{url} liefert kein OParl-Objekt.")
        return data

    def get_list_page(self, url: str) -> dict[str, Any]:
        """One page of an external list, with the "no changes" answers of real servers made empty:
        SD.NET RIM answers a filter without matches with 404 and error code 802, or with a bare `[]`;
        some servers serve the one object itself where its list belongs (a Body at `/body`)."""
        response = self._request(url)
        if response.status_code == 404:
            return {"data": [], "links": {}}
        data = decode_json(response, url)
        if data == []:
            return {"data": [], "links": {}}
        if isinstance(data, dict) and "data" not in data and isinstance(data.get("id"), str):
            log.info("%s liefert ein einzelnes Objekt statt einer Liste", url)
            return {"data": [data], "links": {}}
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise OParlError(f"{url} ist keine OParl-Liste (Eigenschaft 'data' fehlt).")
        return data

    def download(self, url: str, target: Path, size: int | None = None) -> None:
        """Stream the file to `target`; a half-written or oversized download never takes its name.

        `size` is what the File object states; it and the response's Content-Length are checked
        before reading, the bytes themselves while streaming (servers misstate both).
        """
        if size is not None and size > self.max_file_bytes:
            raise FileTooLarge(self._too_large(size))
        self._request(url, target)

    def walk_list(self, url: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every object of an external OParl list, page after page along `links.next`.

        Filters go on the first page; the server should keep them in its `next` links (OParl 1.1,
        2.5), and where it drops one it is put back.
        """
        seen: set[str] = set()
        page_url: str | None = with_query(url, params) if params else url
        while page_url:
            if page_url in seen:
                raise OParlError(f"{page_url}: die Seitenverweise der Liste laufen im Kreis.")
            seen.add(page_url)
            page = self.get_list_page(page_url)
            yield from (item for item in page["data"] if isinstance(item, dict))
            links = page.get("links")
            next_url = links.get("next") if isinstance(links, dict) else None
            page_url = with_missing_params(next_url, params) if isinstance(next_url, str) else None

    def _too_large(self, size: int) -> str:
        return (
            f"Datei ist {megabytes(size)} MB groß, erlaubt sind höchstens "
            f"{megabytes(self.max_file_bytes)} MB (RATSAUSKUNFT_MAX_DOWNLOAD_MB)."
        )

    def _request(self, url: str, target: Path | None = None) -> httpx.Response:
        problem = ""
        for attempt in range(self._retries + 1):
            wait = self._backoff * 2**attempt
            try:
                response = self._attempt(url, target)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                raise OParlError(f"{url} ist keine gültige Adresse ({error}).") from error
            except httpx.TimeoutException:
                problem = "Zeitüberschreitung"
            except httpx.TransportError:
                problem = "Verbindungsfehler"
            except httpx.RequestError as error:  # undecodable body, endless redirects: retrying won't help
                raise OParlError(f"{url} nicht abrufbar ({error}).") from error
            else:
                if response.status_code < 400 or (target is None and is_empty_result(response)):
                    return response
                problem = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUS:
                    raise OParlError(f"{url} nicht abrufbar ({problem}).")
                wait = _retry_after(response) or wait
            if attempt < self._retries:
                log.info("%s: %s, neuer Versuch in %.1f s", url, problem, wait)
                time.sleep(wait)
        raise OParlError(f"{url} nicht abrufbar ({problem}).", transient=True)

    def _attempt(self, url: str, target: Path | None) -> httpx.Response:
        self._pause()
        if target is None:
            response = self._client.get(url, timeout=self._timeout, follow_redirects=True)
            self._note_server_time(response)
            return response
        partial = target.with_name(target.name + ".part")
        try:
            with self._client.stream("GET", url, timeout=self._timeout, follow_redirects=True) as response:
                self._note_server_time(response)
                if response.status_code < 400:
                    self._stream_to(response, partial)
                    partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return response

    def _stream_to(self, response: httpx.Response, partial: Path) -> None:
        stated = response.headers.get("content-length", "")
        if stated.isdigit() and int(stated) > self.max_file_bytes:
            raise FileTooLarge(self._too_large(int(stated)))
        written = 0
        with partial.open("wb") as out:
            for block in response.iter_bytes():
                written += len(block)
                if written > self.max_file_bytes:
                    raise FileTooLarge(
                        f"Datei ist größer als erlaubt (höchstens {megabytes(self.max_file_bytes)} MB, "
                        "RATSAUSKUNFT_MAX_DOWNLOAD_MB); Download abgebrochen."
                    )
                out.write(block)

    def _pause(self) -> None:
        wait = self._last_request + self._delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()

    def _note_server_time(self, response: httpx.Response) -> None:
        try:
            server_time = parsedate_to_datetime(response.headers["date"])
        except (KeyError, TypeError, ValueError):
            return
        self._server_time = server_time if server_time.tzinfo else server_time.replace(tzinfo=UTC)


def megabytes(size: int) -> str:
    """German: 300 → "300", 100 000 bytes → "0,1"."""
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0").replace(".", ",")


def decode_json(response: httpx.Response, url: str) -> Any:
    """JSON, tolerating raw control characters inside strings (an ALLRIS server sends a title with
    bytes 0x01–0x1f in it). That is all the leniency: anything else malformed stays an error."""
    try:
        return json.loads(response.text, strict=False)
    except ValueError as error:
        raise OParlError(f"{url} liefert kein gültiges JSON ({error}).") from error


def is_empty_result(response: httpx.Response) -> bool:
    """SD.NET RIM's "nothing found" answer: HTTP 404 with `{"code": 802, …}` in its body."""
    if response.status_code != 404 or "json" not in response.headers.get("content-type", "json"):
        return False
    try:
        data = json.loads(response.read().decode("utf-8", "replace"), strict=False)
    except ValueError:
        return False
    return isinstance(data, dict) and str(data.get("code")) == SDNET_EMPTY_RESULT_CODE


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` appended as written, `:` and `+` unencoded: Somacos answers a
    `modified_since` of `…T19%3A26%3A34%2B00%3A00` with 404, and servers accept it raw."""
    query = "&".join(f"{key}={quote(value, safe=':+')}" for key, value in params.items())
    return f"{url}{'&' if urlparse(url).query else '?'}{query}"


def with_missing_params(url: str, params: dict[str, str] | None) -> str:
    """A `next` link with the filters the server dropped from it put back."""
    present = parse_qs(urlparse(url).query)
    missing = {key: value for key, value in (params or {}).items() if key not in present}
    return with_query(url, missing) if missing else url


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return min(float(response.headers["retry-after"]), MAX_RETRY_AFTER_S)
    except (KeyError, ValueError):
        return None


# --- state between runs --------------------------------------------------------------------------


@dataclass
class BodyState:
    checkpoint: str = ""  # modified_since for the next run: start of the last complete run
    started: str = ""  # start of the unfinished run; empty when the last run completed
    # object id (paper or meeting) → its `modified` stamp, for what the unfinished run has imported
    done: dict[str, str] = field(default_factory=dict)
    # object id → reason; retried by the next run (a paper indexed without one of its committees
    # or Anlagen is here too, so the next run completes it)
    failed: dict[str, str] = field(default_factory=dict)


class ImportState:
    """`state_dir/oparl-state.json`, rewritten atomically after every object:
    - `bodies`: one `BodyState` per system URL and body;
    - `doc_ids`: OParl object id → the document id it got, so ids stay stable once given;
    - `files`: OParl file id → what its File object said when downloaded (`file_stamp`), so an
      unchanged file is not downloaded again;
    - `agenda_references`: agenda item id → reference of the paper it deals with, for TOP lines;
    - `agenda_papers`: agenda item id → id of that paper, to refresh its Beratungsfolge when only
      the meeting changed (a result entered after the meeting does not touch the paper)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = json.loads(path.read_text("utf-8")) if path.exists() else {}
            self.bodies = {key: BodyState(**value) for key, value in raw.get("bodies", {}).items()}
            self.doc_ids: dict[str, str] = dict(raw.get("doc_ids", {}))
            self.files: dict[str, str] = dict(raw.get("files", {}))
            self.agenda_references: dict[str, str] = dict(raw.get("agenda_references", {}))
            self.agenda_papers: dict[str, str] = dict(raw.get("agenda_papers", {}))
        except (ValueError, TypeError, AttributeError) as error:
            raise OParlError(
                f"{path} ist beschädigt; nach dem Löschen der Datei beginnt der Import von vorn."
            ) from error
        self._claimed = set(self.doc_ids.values())

    def body(self, system_url: str, body_id: str) -> BodyState:
        return self.bodies.setdefault(f"{system_url} {body_id}", BodyState())

    def doc_id(self, object_id: str, wanted: str) -> str:
        """The document id of an OParl object: `wanted` the first time, unless another object has it
        already (two papers with one reference); then the object's own id part is appended."""
        if object_id in self.doc_ids:
            return self.doc_ids[object_id]
        doc_id = wanted
        if doc_id in self._claimed:
            doc_id = f"{wanted}-{slug(urlparse(object_id).path.rstrip('/').rsplit('/', 1)[-1])}"
        suffix = 2
        while doc_id in self._claimed:
            doc_id, suffix = f"{wanted}-{suffix}", suffix + 1
        self.doc_ids[object_id] = doc_id
        self._claimed.add(doc_id)
        return doc_id

    def save(self) -> None:
        data = {
            "bodies": {key: asdict(value) for key, value in self.bodies.items()},
            "doc_ids": self.doc_ids,
            "files": self.files,
            "agenda_references": self.agenda_references,
            "agenda_papers": self.agenda_papers,
        }
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
        os.replace(partial, self.path)


# --- mapping OParl to our documents --------------------------------------------------------------

_BODY_KINDS = re.compile(
    r"^(?:Große\s+Kreisstadt|Kreisfreie\s+Stadt|Kreisverwaltung|Kreisstadt|Landkreis|Kreis|Samtgemeinde"
    r"|Verbandsgemeinde|Ortsgemeinde|Gemeinde|Stadt|Markt|Amt|Hansestadt|Kolpingstadt|Bezirk)\s+",
    re.IGNORECASE,
)
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
MAX_DOC_ID_CHARS = 80


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: "80/2019 1. Ergänzung" → "80-2019-1-ergaenzung"."""
    ascii_text = unquote(text).lower().translate(_TRANSLITERATION)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_DOC_ID_CHARS]


def body_slug(body: dict[str, Any]) -> str:
    """The body's name without its kind: "Gemeinde Hürtgenwald" → "huertgenwald"."""
    short = str(body.get("shortName") or "").strip()
    name = _BODY_KINDS.sub("", clean_text(short or str(body.get("name") or "")))
    return slug(name) or slug(urlparse(str(body.get("id") or "")).path.rsplit("/", 1)[-1]) or "oparl"


def wanted_paper_doc_id(body: str, paper: dict[str, Any]) -> str:
    """Body and reference ("huertgenwald-80-2019"); a paper without reference by its id's last part."""
    reference = slug(str(paper.get("reference") or ""))
    if reference:
        return f"{body}-{reference}"[:MAX_DOC_ID_CHARS].strip("-")
    last = slug(urlparse(str(paper.get("id") or "")).path.rstrip("/").rsplit("/", 1)[-1])
    return f"{body}-drucksache-{last}"


def wanted_meeting_doc_id(body: str, meeting: dict[str, Any]) -> str:
    """Body, date and meeting name: "huertgenwald-sitzung-2019-09-24-gemeinderat-48-sitzung"."""
    date = str(meeting.get("start") or "")[:10]
    name = slug(clean_text(str(meeting.get("name") or "")))[:40].strip("-")
    parts = [body, "sitzung", date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "", name]
    return "-".join(part for part in parts if part)[:MAX_DOC_ID_CHARS].strip("-")


def legacy_doc_id(paper_id: str) -> str:
    """The id earlier versions gave a paper ("oparl-<last part>-<hash>"), to replace such a document."""
    path = urlparse(paper_id).path.rstrip("/")
    readable = re.sub(r"[^A-Za-z0-9_-]+", "-", unquote(path.rsplit("/", 1)[-1])).strip("-")[:60]
    digest = hashlib.sha1(paper_id.encode("utf-8")).hexdigest()[:8]
    return f"oparl-{readable}-{digest}" if readable else f"oparl-{digest}"


def clean_text(value: Any) -> str:
    """One line: line breaks, tabs and stray control characters of the source become single spaces."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", str(value or "")).split())


def file_suffix(file: dict[str, Any]) -> str | None:
    """The extension our parsers know the file by: from `mimeType`, else from its file name."""
    mime = str(file.get("mimeType") or "").split(";")[0].strip().lower()
    if mime in MIME_SUFFIXES:
        return MIME_SUFFIXES[mime]
    for name in (file.get("fileName"), file.get("name"), file.get("accessUrl")):
        suffix = Path(urlparse(str(name or "")).path).suffix.lower()
        if suffix in SUPPORTED_SUFFIXES:
            return suffix
    return None


def file_stamp(file: dict[str, Any]) -> str:
    """What says a file is unchanged: its `modified`, `size` and checksum; "" when it states none
    of them (then it is always downloaded)."""
    parts = [str(file.get(key) or "") for key in ("modified", "size", "sha512Checksum", "sha1Checksum")]
    return "|".join(parts) if any(parts) else ""


def file_label(file: dict[str, Any]) -> str:
    """An Anlage's name for its section: SD.NET wraps it as "Beschlussvorlage (Angebot …)"."""
    name = clean_text(file.get("name") or file.get("fileName") or "")
    wrapped = re.fullmatch(r"[\w-]+ \((?P<inner>.+)\)", name)
    return wrapped.group("inner") if wrapped else name or "ohne Namen"


def is_non_public(item: dict[str, Any]) -> bool:
    """Objects of a public endpoint are public, unless a keyword flags one as nichtöffentlich."""
    keywords = {str(k).strip().lower() for k in _as_list(item.get("keyword"))}
    return bool(keywords & NON_PUBLIC_KEYWORDS)


def paper_overrides(
    paper: dict[str, Any], body_name: str, consultations: list[dict[str, str]]
) -> dict[str, Any]:
    """OParl metadata that wins over what the parser reads from the text; empty values are left out."""
    date = str(paper.get("date") or paper.get("publishedDate") or "")[:10]
    overrides: dict[str, Any] = {
        "reference": clean_text(paper.get("reference")),
        "title": clean_text(paper.get("name")),
        "doc_type": clean_text(paper.get("paperType")),
        "status": NON_PUBLIC_STATUS if is_non_public(paper) else PUBLIC_STATUS,
        "body": body_name,
        "date": date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "",
        "consultations": consultations,
    }
    return {key: value for key, value in overrides.items() if value}


def parse_since(value: str) -> str:
    """An ISO date or date-time as OParl wants it (full date-time with offset); dates mean German time."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise OParlError(f"Ungültiges Datum '{value}' (erwartet z. B. 2024-01-31).") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Berlin"))
    return server_timestamp(moment)


def server_timestamp(moment: datetime) -> str:
    """Seconds, no fraction: Wuppertal's Somacos rejects microseconds, the spec has none."""
    return moment.replace(microsecond=0).isoformat()


def top_number(item: dict[str, Any]) -> str:
    return clean_text(item.get("number")).rstrip(".")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def with_appendices(doc: Document, appendices: list[Appendix]) -> Document:
    """The document with each appendix's text after its own, as a section named after it, so a figure
    that only an Anlage states is found and cited with the Anlage's name."""
    text = doc.text.rstrip()
    sections = list(doc.sections)
    digest = hashlib.sha256(doc.content_hash.encode("utf-8"))
    for appendix in appendices:
        body = appendix.text.strip()
        digest.update(f"{appendix.name}\0{body}".encode())
        if not body and not appendix.heading_is_content:
            continue
        text += "\n\n"
        start = len(text)
        text += f"{appendix.name}\n{body}".rstrip()
        sections.append(Section(appendix.name, start, len(text)))
    return replace(doc, text=text, sections=sections, content_hash=digest.hexdigest())


@dataclass(frozen=True)
class Appendix:
    """Text that joins a document as a section of its own: an Anlage, a TOP with its result."""

    name: str
    text: str
    heading_is_content: bool = False  # "TOP 3: … – Ergebnis: einstimmig" says it all


# --- the import --------------------------------------------------------------------------------


class ObjectIncomplete(Exception):
    """An object was indexed with parts missing (a committee, an Anlage); the next run completes it."""


class OParlImport:
    """One import run over one system: bodies, their meetings and papers, and the files of both."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        http: OParlHttp,
        state: ImportState,
        files_dir: Path,
        on_progress: Callable[[str], None] | None,
        user: str,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.http = http
        self.state = state
        self.files_dir = files_dir
        self.on_progress = on_progress
        self.user = user
        self.report = OParlReport()
        self._organization_names: dict[str, str] = {}
        self._meetings: dict[str, dict[str, Any]] = {}
        self._stale_papers: list[str] = []  # papers whose Beratungsfolge a changed meeting outdated

    def bodies(self, system: dict[str, Any]) -> Iterator[dict[str, Any]]:
        reference = system.get("body")
        if isinstance(reference, str):
            yield from self.http.walk_list(reference)
        elif isinstance(reference, list):
            for item in reference:
                yield item if isinstance(item, dict) else self.http.get_json(str(item))
        else:
            raise OParlError(f"{system.get('id', '')} ist kein OParl-System (Eigenschaft 'body' fehlt).")

    def import_body(self, system_url: str, body: dict[str, Any], since: str | None) -> None:
        """Meetings first (kept in memory, so papers find their consultation's date and result without
        asking again), then papers, then the meetings' documents (which name the papers' references).

        The checkpoint moves only when both lists were walked to the end."""
        body_id = str(body.get("id") or "")
        context = BodyContext(clean_text(body.get("name") or body.get("shortName")), body_slug(body))
        progress = self.state.body(system_url, body_id)
        if not progress.started:
            progress.started = server_timestamp(self.http.now())
            self.state.save()
        modified_since = since or progress.checkpoint
        filters = {"modified_since": modified_since} if modified_since else None
        complete = True
        meetings: list[dict[str, Any]] = []
        seen: set[str] = set()
        for kind, list_url in (("meeting", body.get("meeting")), ("paper", body.get("paper"))):
            if not isinstance(list_url, str):
                log.info("%s: keine Liste '%s'", body_id, kind)
                continue
            try:
                for item in self.http.walk_list(list_url, filters):
                    item_id = str(item.get("id") or "")
                    seen.add(item_id)
                    if kind == "meeting":
                        self._meetings[item_id] = item
                        meetings.append(item)
                    else:
                        self.import_object(item, context, progress)
            except OParlError as error:
                if error.transient:
                    raise
                complete = False
                self._note_failure(f"Liste {list_url}: {error}")
        for meeting in meetings:
            self.import_object(meeting, context, progress)
        stale = [p for p in dict.fromkeys(self._stale_papers) if p not in seen and p not in progress.failed]
        for object_id in [*stale, *(o for o in progress.failed if o not in seen)]:
            self._retry(object_id, context, progress)
        if complete:
            progress.checkpoint, progress.started, progress.done = progress.started, "", {}
        self.state.save()

    def _retry(self, object_id: str, context: BodyContext, progress: BodyState) -> None:
        try:
            item = self.http.get_json(object_id)
        except OParlError as error:
            self._fail(object_id, f"{object_id}: {error}", progress)
            return
        self.import_object(item, context, progress)

    def import_object(self, item: dict[str, Any], context: BodyContext, progress: BodyState) -> None:
        """A paper or a meeting (told apart by `type`, or by the fields a deleted stub lacks)."""
        object_id = str(item.get("id") or "")
        if not object_id:
            log.warning("Objekt ohne 'id' übersprungen: %s", str(item)[:200])
            return
        is_meeting = str(item.get("type") or "").endswith("/Meeting") or "/meeting" in object_id.lower()
        modified = str(item.get("modified") or "")
        label = self._label(item, is_meeting)
        if progress.done.get(object_id) == modified:
            self.report.skipped += 1
            self._progress(f"{label}: bereits importiert")
            return
        try:
            if item.get("deleted"):
                message = self._remove(object_id)
            elif is_meeting:
                message = self._import_meeting(item, context)
            else:
                message = self._import_paper(item, context)
        except ObjectIncomplete as incomplete:
            progress.done[object_id] = modified
            self._fail(object_id, f"{label}: {incomplete}", progress)
            return
        except OParlError as error:
            self._fail(object_id, f"{label}: {error}", progress)
            return
        progress.done[object_id] = modified
        progress.failed.pop(object_id, None)
        self.state.save()
        self._progress(f"{label}: {message}")

    def _label(self, item: dict[str, Any], is_meeting: bool) -> str:
        if is_meeting:
            date = str(item.get("start") or "")[:10]
            name = clean_text(item.get("name")) or str(item.get("id"))
            return f"Sitzung {name} {date}".rstrip()
        return f"Drucksache {clean_text(item.get('reference') or item.get('name')) or item.get('id')}"

    # --- papers ---

    def _import_paper(self, paper: dict[str, Any], context: BodyContext) -> str:
        paper_id = str(paper["id"])
        doc_id = self.state.doc_id(paper_id, wanted_paper_doc_id(context.slug, paper))
        main_file = self._file_object(paper.get("mainFile"))
        if main_file is None:
            self.report.skipped += 1
            return "keine Hauptdatei, übersprungen"
        problems: list[str] = []
        consultations = self._consultation_steps(paper, problems)
        for step in _as_list(paper.get("consultation")):
            if isinstance(step, dict) and isinstance(step.get("agendaItem"), str) and paper.get("reference"):
                self.state.agenda_references[step["agendaItem"]] = clean_text(paper["reference"])
                self.state.agenda_papers[step["agendaItem"]] = paper_id
        main_path = self._fetch_file(main_file, doc_id, "Hauptdatei")
        overrides = paper_overrides(paper, context.name, consultations)
        try:
            doc = parse(main_path, overrides=overrides)
        except IngestError as error:
            raise OParlError(str(error)) from error
        appendices: list[Appendix] = []
        kept = {main_path}
        for number, item in enumerate(_as_list(paper.get("auxiliaryFile")), start=1):
            appendix = self._appendix(item, f"{doc_id}.anlage-{number}", problems, kept, anlage=True)
            if appendix is not None:
                appendices.append(appendix)
        doc = replace(with_appendices(doc, appendices), web=str(paper.get("web") or ""))
        message = self._write(doc)
        self._drop_files(doc_id, keep=kept)
        self._drop_legacy(paper_id)
        if problems:
            raise ObjectIncomplete(f"{message}, aber unvollständig: {'; '.join(problems)}")
        return message

    def _consultation_steps(self, paper: dict[str, Any], problems: list[str]) -> list[dict[str, str]]:
        """The Beratungsfolge: each consulting committee with the date and result of its meeting's TOP."""
        steps: list[dict[str, str]] = []
        for consultation in _as_list(paper.get("consultation")):
            if isinstance(consultation, str):
                try:
                    consultation = self.http.get_json(consultation)
                except OParlError as error:
                    problems.append(f"Beratung nicht abrufbar ({error})")
                    continue
            date, result = self._meeting_outcome(consultation)
            for organization in _as_list(consultation.get("organization")):
                try:
                    name = self._organization_name(organization)
                except OParlError as error:
                    problems.append(f"Gremium nicht abrufbar ({error})")
                    continue
                step = {"committee": name, "date": date, "resolution": result}
                if name and step not in steps:
                    steps.append(step)
        return steps

    def _meeting_outcome(self, consultation: dict[str, Any]) -> tuple[str, str]:
        """Date of the consultation's meeting and the result of its agenda item ("" when unknown)."""
        meeting_ref = consultation.get("meeting")
        meeting = meeting_ref if isinstance(meeting_ref, dict) else None
        if isinstance(meeting_ref, str):
            meeting = self._meetings.get(meeting_ref)
            if meeting is None:
                try:
                    meeting = self._meetings[meeting_ref] = self.http.get_json(meeting_ref)
                except OParlError as error:
                    log.warning("Sitzung nicht abrufbar: %s", error)
                    return "", ""
        if meeting is None:
            return "", ""
        date = str(meeting.get("start") or "")[:10]
        item_ref = consultation.get("agendaItem")
        item_id = item_ref.get("id") if isinstance(item_ref, dict) else item_ref
        result = ""
        for item in _as_list(meeting.get("agendaItem")):
            if isinstance(item, dict) and item.get("id") == item_id:
                result = clean_text(item.get("result"))
        return (date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else ""), result

    def _organization_name(self, organization: Any) -> str:
        """The committee's name; a failed lookup raises (and is asked again for the next paper)."""
        if isinstance(organization, dict):
            return clean_text(organization.get("name") or organization.get("shortName"))
        url = str(organization)
        if url not in self._organization_names:
            self._organization_names[url] = self._organization_name(self.http.get_json(url))
        return self._organization_names[url]

    # --- meetings ---

    def _import_meeting(self, meeting: dict[str, Any], context: BodyContext) -> str:
        """The Niederschrift (protocols plus one section per TOP with its result and resolution) and
        the Einladung, as documents with the meeting's date and committee."""
        meeting_id = str(meeting["id"])
        doc_id = self.state.doc_id(meeting_id, wanted_meeting_doc_id(context.slug, meeting))
        problems: list[str] = []
        committees: list[str] = []
        for organization in _as_list(meeting.get("organization")):
            try:
                name = self._organization_name(organization)
            except OParlError as error:
                problems.append(f"Gremium nicht abrufbar ({error})")
                continue
            if name and name not in committees:
                committees.append(name)
        date = str(meeting.get("start") or "")[:10]
        base = MeetingDocument(
            title=clean_text(meeting.get("name")),
            status=NON_PUBLIC_STATUS if is_non_public(meeting) else PUBLIC_STATUS,
            body=context.name,
            date=date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "",
            committees=committees,
            web=str(meeting.get("web") or ""),
        )
        kept: set[Path] = set()
        messages: list[str] = []
        tops = self._agenda_sections(meeting, doc_id, problems, kept)
        protocols = [
            appendix
            for number, key in enumerate(("resultsProtocol", "verbatimProtocol"), start=1)
            if (appendix := self._appendix(meeting.get(key), f"{doc_id}.protokoll-{number}", problems, kept))
        ]
        if tops or protocols:
            doc = base.document(doc_id, NIEDERSCHRIFT, protocols + tops)
            messages.append(f"Niederschrift {self._write(doc)}")
        invitation = self._appendix(meeting.get("invitation"), f"{doc_id}-einladung", problems, kept)
        if invitation is not None:
            doc = base.document(f"{doc_id}-einladung", EINLADUNG, [invitation])
            messages.append(f"Einladung {self._write(doc)}")
        self._drop_files(doc_id, keep=kept)
        self._drop_files(f"{doc_id}-einladung", keep=kept)
        message = ", ".join(messages) or "ohne Niederschrift und Einladung"
        if problems:
            raise ObjectIncomplete(f"{message}, aber unvollständig: {'; '.join(problems)}")
        if not messages:
            self.report.skipped += 1
        return message

    def _agenda_sections(
        self, meeting: dict[str, Any], doc_id: str, problems: list[str], kept: set[Path]
    ) -> list[Appendix]:
        """One section per TOP that has a result or a resolution: "TOP 3: <name> (Vorlage 80/2019) –
        Ergebnis: <result>", then the resolution text and the text of its resolution file."""
        sections: list[Appendix] = []
        for index, item in enumerate(_as_list(meeting.get("agendaItem")), start=1):
            if not isinstance(item, dict):
                continue
            result = clean_text(item.get("result"))
            resolution = str(item.get("resolutionText") or "").strip()
            resolution_file = self._appendix(
                item.get("resolutionFile"), f"{doc_id}.top-{index}", problems, kept
            )
            if not (result or resolution or resolution_file):
                continue
            self._note_outcome(item, str(meeting.get("start") or "")[:10], result)
            heading = f"TOP {top_number(item) or index}: {clean_text(item.get('name'))}"
            reference = self.state.agenda_references.get(str(item.get("id") or ""))
            if reference:
                heading += f" (Vorlage {reference})"
            if result:
                heading += f" – Ergebnis: {result}"
            parts = [resolution, resolution_file.text if resolution_file else ""]
            sections.append(
                Appendix(heading, "\n".join(part for part in parts if part), heading_is_content=True)
            )
        return sections

    def _note_outcome(self, item: dict[str, Any], date: str, result: str) -> None:
        """Queue the agenda item's paper for a refresh when its indexed Beratungsfolge lacks this result."""
        paper_id = self.state.agenda_papers.get(str(item.get("id") or ""))
        doc_id = self.state.doc_ids.get(paper_id or "")
        if not paper_id or not doc_id or not result:
            return
        doc = self.store.get_document(doc_id)
        if doc is not None and not any(s.date == date and s.resolution == result for s in doc.consultations):
            self._stale_papers.append(paper_id)

    # --- files ---

    def _file_object(self, reference: Any) -> dict[str, Any] | None:
        """A File given inline or by URL; None for none or a deleted one."""
        if isinstance(reference, str):
            reference = self.http.get_json(reference)
        if not isinstance(reference, dict) or reference.get("deleted"):
            return None
        return reference

    def _appendix(
        self, reference: Any, stem: str, problems: list[str], kept: set[Path], *, anlage: bool = False
    ) -> Appendix | None:
        """An Anlage (or protocol, resolution, invitation) as text with its name; a file that cannot
        be fetched is a problem (retried next run), one in a format we cannot read or without
        readable text is only logged."""
        try:
            file = self._file_object(reference)
            if file is None:
                return None
            path = self._fetch_file(file, stem, file_label(file))
        except UnsupportedFile as error:
            log.info("übersprungen: %s", error)
            return None
        except OParlError as error:
            problems.append(str(error))
            return None
        kept.add(path)
        try:
            text = extract_text(path)
        except IngestError as error:
            log.warning("%s übersprungen: %s", file_label(file), error)
            return None
        name = f"Anlage: {file_label(file)}" if anlage else clean_text(file.get("name")) or file_label(file)
        return Appendix(name, text)

    def _fetch_file(self, file: dict[str, Any], stem: str, role: str) -> Path:
        """Download a file to `files/<stem><suffix>` unless the copy there is one its File object
        (`modified`, `size`, checksum) says is unchanged."""
        suffix = file_suffix(file)
        if suffix is None:
            mime = file.get("mimeType") or "unbekannt"
            raise UnsupportedFile(
                f"{role}: Dateiformat {mime} wird nicht unterstützt (nur PDF, HTML, Text, DOCX)."
            )
        self.files_dir.mkdir(parents=True, exist_ok=True)
        target = self.files_dir / f"{stem}{suffix}"
        file_id = str(file.get("id") or "")
        stamp = file_stamp(file)
        if stamp and target.exists() and self.state.files.get(file_id) == stamp:
            return target
        candidates = (file.get("downloadUrl"), file.get("accessUrl"))
        urls = list(dict.fromkeys(str(u) for u in candidates if u))
        if not urls:
            raise OParlError(f"{role} ohne accessUrl.")
        size = file.get("size")
        for url in urls:
            try:
                self.http.download(url, target, size if isinstance(size, int) else None)
                break
            except FileTooLarge as error:
                raise OParlError(f"{role}: {error}") from error
            except OParlError as error:
                if url == urls[-1]:
                    raise OParlError(f"{role}: {error}", transient=error.transient) from error
                log.info("%s; versuche accessUrl", error)
        if stamp and file_id:
            self.state.files[file_id] = stamp
        return target

    def _drop_files(self, doc_id: str, keep: set[Path]) -> None:
        for path in self.files_dir.glob(f"{doc_id}.*"):
            if path not in keep:
                path.unlink()

    # --- the store ---

    def _write(self, doc: Document) -> str:
        result = ingest_document(self.store, self.embedder, doc, user=self.user)
        if result.outcome == FAILED:
            raise OParlError(result.message)
        if result.outcome == ADDED:
            self.report.imported += 1
            return "importiert"
        if result.outcome == UPDATED:
            self.report.updated += 1
            return "aktualisiert"
        self.report.skipped += 1
        return "unverändert"

    def _remove(self, object_id: str) -> str:
        """A deleted stub: its documents (and files) go; a stub of something never indexed still
        counts as a deletion, not as "unverändert"."""
        doc_id = self.state.doc_ids.get(object_id) or legacy_doc_id(object_id)
        removed = False
        for doc in (doc_id, f"{doc_id}-einladung"):
            self._drop_files(doc, keep=set())
            removed = self.store.remove_document(doc, user=self.user) or removed
        if removed:
            self.report.removed += 1
            return "entfernt (an der Quelle gelöscht)"
        self.report.deleted += 1
        return "an der Quelle gelöscht, war nicht im Index"

    def _drop_legacy(self, paper_id: str) -> None:
        """A paper imported by an earlier version under `legacy_doc_id` now has its readable id."""
        legacy = legacy_doc_id(paper_id)
        if self.store.document_hash(legacy) is not None:
            self.store.remove_document(legacy, user=self.user)
            self._drop_files(legacy, keep=set())

    def _fail(self, object_id: str, message: str, progress: BodyState) -> None:
        progress.failed[object_id] = message
        self.state.save()
        self._note_failure(message)

    def _note_failure(self, message: str) -> None:
        self.report.failed += 1
        self.report.errors.append(message)
        self._progress(message)

    def _progress(self, message: str) -> None:
        log.info("%s", message)
        if self.on_progress:
            self.on_progress(message)


@dataclass(frozen=True)
class BodyContext:
    name: str  # "Gemeinde Hürtgenwald", for the documents' `body`
    slug: str  # "huertgenwald", the start of their ids


@dataclass(frozen=True)
class MeetingDocument:
    """What a meeting's Niederschrift and Einladung share."""

    title: str
    status: str
    body: str
    date: str
    committees: list[str]
    web: str

    def document(self, doc_id: str, doc_type: str, parts: list[Appendix]) -> Document:
        title = f"{doc_type} {self.title}".strip()
        head = "\n".join(
            line
            for line in (title, f"Sitzung am {self.date}" if self.date else "", ", ".join(self.committees))
            if line
        )
        base = Document(
            doc_id=doc_id,
            text=head,
            source=self.web,
            title=title,
            doc_type=doc_type,
            status=self.status,
            body=self.body,
            date=self.date,
            consultations=[Consultation(committee=name, date=self.date) for name in self.committees],
            sections=[Section(KOPF, 0, len(head))],
            content_hash=hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest(),
            web=self.web,
        )
        return with_appendices(base, parts)


def _matches(body: dict[str, Any], body_id: str) -> bool:
    """`--body` may name a body by its full id URL or by the last part of it."""
    own_id = str(body.get("id") or "")
    return body_id in (own_id, own_id.rstrip("/").rsplit("/", 1)[-1])


def import_oparl(
    store: Store,
    embedder: Embedder,
    url: str,
    *,
    since: str | None = None,
    body_id: str | None = None,
    state_dir: Path,
    delay: float = 0.0,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    user: str = "oparl",
    on_progress: Callable[[str], None] | None = None,
    client: httpx.Client | None = None,
) -> OParlReport:
    """Import (or update) the papers and meetings of an OParl system into `store`.

    An object that cannot be fetched or read becomes a German message in the report and the import
    goes on; so does a list the server answers with something no rerun will fix. An endpoint that
    is unreachable right now raises `OParlError` (`transient`), keeping what was imported so far
    for the next run. `on_progress` gets one German line per paper and meeting.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    state = ImportState(state_dir / STATE_FILE)
    modified_since = parse_since(since) if since else None
    repair(store, embedder)  # a run killed while writing a document leaves it half-written
    with ExitStack() as stack:
        if client is None:
            client = stack.enter_context(httpx.Client(headers={"User-Agent": USER_AGENT}))
        http = OParlHttp(
            client,
            delay=delay,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_file_bytes=max_file_bytes,
        )
        run = OParlImport(store, embedder, http, state, state_dir / FILES_DIR, on_progress, user)
        system = http.get_json(url)
        found = False
        for body in run.bodies(system):
            if body_id and not _matches(body, body_id):
                continue
            found = True
            run.import_body(url, body, modified_since)
        if body_id and not found:
            raise OParlError(f"Körperschaft '{body_id}' gibt es in {url} nicht.")
        return run.report
