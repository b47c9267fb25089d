"""Import council papers (Drucksachen) from an OParl 1.0/1.1 endpoint into the store.

The walk: System → its body list → each Body → its paper list (page after page via `links.next`)
→ each Paper → its `mainFile`, downloaded into `state_dir/files/` and indexed through
`ingest_file` with the paper's OParl metadata as overrides. Auxiliary files (Anlagen) are not
imported: a document is the paper's main file.

Runs are incremental and resumable. `state_dir/oparl-state.json` keeps, per system URL and body,
- `checkpoint`: the server's time when the last *complete* run started; the next run asks only for
  papers with `modified_since` that time (OParl soft-deletes, so deletions arrive the same way);
- `started` and `done`: the start of an unfinished run and the papers (id → `modified` stamp) it
  has already imported, so a rerun after a crash or Ctrl-C neither downloads nor indexes them again;
- `failed`: papers whose file could not be fetched or read, tried again by the next run.
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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

import httpx

from ingest.embedding import Embedder
from ingest.parsing import SUPPORTED_SUFFIXES
from ingest.pipeline import ADDED, FAILED, UPDATED, ingest_file, repair
from ingest.store import Store
from ingest.types import NON_PUBLIC_STATUS, PUBLIC_STATUS, IngestError

log = logging.getLogger(__name__)

STATE_FILE = "oparl-state.json"
FILES_DIR = "files"
USER_AGENT = "Ratsauskunft-OParl-Import/0.1"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 60.0
MIME_SUFFIXES = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
NON_PUBLIC_KEYWORDS = {"nichtöffentlich", "nicht öffentlich", "nicht-öffentlich"}


class OParlError(IngestError):
    """A request the import cannot do without; worded for the person running the import (German)."""


@dataclass
class OParlReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    removed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # one German message per failed paper

    def summary(self) -> str:
        return (
            f"{self.imported} importiert, {self.updated} aktualisiert, {self.skipped} unverändert, "
            f"{self.removed} entfernt, {self.failed} fehlgeschlagen"
        )


# --- HTTP ----------------------------------------------------------------------------------------


class OParlHttp:
    """GET with the manners a public endpoint deserves: a pause between requests, a timeout on each,
    and retries with exponential backoff on 5xx, 429, timeouts and dropped connections."""

    def __init__(
        self, client: httpx.Client, *, delay: float, timeout: float, retries: int, backoff: float
    ) -> None:
        self._client = client
        self._delay = delay
        self._timeout = timeout
        self._retries = max(0, retries)
        self._backoff = backoff
        self._last_request = 0.0
        self._server_time: datetime | None = None

    def now(self) -> datetime:
        """The server's clock as of its latest answer (its `Date` header), else ours.

        Checkpoints are compared with the server's `modified` stamps, so they are taken from its clock.
        """
        return self._server_time or datetime.now(UTC)

    def get_json(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        response = self._request(url, params)
        try:
            data = response.json()
        except ValueError as error:
            raise OParlError(f"{url} liefert kein JSON.") from error
        if not isinstance(data, dict):
            raise OParlError(f"{url} liefert kein OParl-Objekt.")
        return data

    def download(self, url: str, target: Path) -> None:
        """Stream the file to `target`; a half-written download never takes the target's name."""
        self._request(url, None, target)

    def walk_list(self, url: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every object of an external OParl list, page after page along `links.next`.

        Filters go on the first page only; the server keeps them in its `next` links (OParl 1.1, 2.5).
        """
        seen: set[str] = set()
        page_url: str | None = url
        while page_url:
            if page_url in seen:
                raise OParlError(f"{page_url}: die Seitenverweise der Liste laufen im Kreis.")
            seen.add(page_url)
            page = self.get_json(page_url, params)
            params = None
            items = page.get("data")
            if not isinstance(items, list):
                raise OParlError(f"{page_url} ist keine OParl-Liste (Eigenschaft 'data' fehlt).")
            yield from (item for item in items if isinstance(item, dict))
            links = page.get("links")
            next_url = links.get("next") if isinstance(links, dict) else None
            page_url = next_url if isinstance(next_url, str) else None

    def _request(self, url: str, params: dict[str, str] | None, target: Path | None = None) -> httpx.Response:
        problem = ""
        for attempt in range(self._retries + 1):
            wait = self._backoff * 2**attempt
            try:
                response = self._attempt(url, params, target)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                raise OParlError(f"{url} ist keine gültige Adresse ({error}).") from error
            except httpx.TimeoutException:
                problem = "Zeitüberschreitung"
            except httpx.TransportError:
                problem = "Verbindungsfehler"
            except httpx.RequestError as error:  # undecodable body, endless redirects: retrying won't help
                raise OParlError(f"{url} nicht abrufbar ({error}).") from error
            else:
                if response.status_code < 400:
                    return response
                problem = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUS:
                    break
                wait = _retry_after(response) or wait
            if attempt < self._retries:
                log.info("%s: %s, neuer Versuch in %.1f s", url, problem, wait)
                time.sleep(wait)
        raise OParlError(f"{url} nicht abrufbar ({problem}).")

    def _attempt(self, url: str, params: dict[str, str] | None, target: Path | None) -> httpx.Response:
        self._pause()
        request_url = httpx.URL(url).copy_merge_params(params) if params else httpx.URL(url)
        if target is None:
            response = self._client.get(request_url, timeout=self._timeout, follow_redirects=True)
            self._note_server_time(response)
            return response
        partial = target.with_name(target.name + ".part")
        stream = self._client.stream("GET", request_url, timeout=self._timeout, follow_redirects=True)
        with stream as response:
            self._note_server_time(response)
            if response.status_code < 400:
                with partial.open("wb") as out:
                    for block in response.iter_bytes():
                        out.write(block)
                partial.replace(target)
        return response

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
    # paper id → its `modified` stamp, for the papers the unfinished run has imported
    done: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # paper id → reason, retried by the next run


class ImportState:
    """`state_dir/oparl-state.json`, one `BodyState` per system URL and body, rewritten atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = json.loads(path.read_text("utf-8")) if path.exists() else {}
            self.bodies = {key: BodyState(**value) for key, value in raw.get("bodies", {}).items()}
        except (ValueError, TypeError, AttributeError) as error:
            raise OParlError(
                f"{path} ist beschädigt; nach dem Löschen der Datei beginnt der Import von vorn."
            ) from error

    def body(self, system_url: str, body_id: str) -> BodyState:
        return self.bodies.setdefault(f"{system_url} {body_id}", BodyState())

    def save(self) -> None:
        data = {"bodies": {key: asdict(value) for key, value in self.bodies.items()}}
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
        os.replace(partial, self.path)


# --- mapping OParl to our documents --------------------------------------------------------------


def doc_id_for(paper_id: str) -> str:
    """A stable document id (and file stem) for an OParl paper URL: readable and unique.

    The last path part alone repeats across bodies and systems (…/body/1/paper/5, …/body/2/paper/5),
    so a short hash of the whole URL follows it. Only [A-Za-z0-9_-] remain: no dots, no slashes.
    """
    path = urlparse(paper_id).path.rstrip("/")
    readable = re.sub(r"[^A-Za-z0-9_-]+", "-", unquote(path.rsplit("/", 1)[-1])).strip("-")[:60]
    digest = hashlib.sha1(paper_id.encode("utf-8")).hexdigest()[:8]
    return f"oparl-{readable}-{digest}" if readable else f"oparl-{digest}"


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


def paper_overrides(paper: dict[str, Any], body_name: str, committees: list[str]) -> dict[str, Any]:
    """OParl metadata that wins over what the parser reads from the text; empty values are left out.

    Papers of a public endpoint are public, unless a keyword flags one as nichtöffentlich.
    """
    keywords = {str(k).strip().lower() for k in paper.get("keyword") or []}
    date = str(paper.get("date") or paper.get("publishedDate") or "")[:10]
    overrides: dict[str, Any] = {
        "reference": str(paper.get("reference") or "").strip(),
        "title": str(paper.get("name") or "").strip(),
        "doc_type": str(paper.get("paperType") or "").strip(),
        "status": NON_PUBLIC_STATUS if keywords & NON_PUBLIC_KEYWORDS else PUBLIC_STATUS,
        "body": body_name,
        "date": date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "",
        "committees": committees,
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
    return moment.isoformat()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- the import --------------------------------------------------------------------------------


class OParlImport:
    """One import run over one system: bodies, their papers, and each paper's main file."""

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
        body_id = str(body.get("id") or "")
        body_name = str(body.get("name") or body.get("shortName") or "")
        paper_list = body.get("paper")
        if not isinstance(paper_list, str):
            log.warning("%s: keine Liste der Drucksachen (Eigenschaft 'paper' fehlt)", body_id)
            return
        progress = self.state.body(system_url, body_id)
        if not progress.started:
            progress.started = self.http.now().isoformat()
            self.state.save()
        modified_since = since or progress.checkpoint
        filters = {"modified_since": modified_since} if modified_since else None
        seen: set[str] = set()
        for paper in self.http.walk_list(paper_list, filters):
            seen.add(str(paper.get("id") or ""))
            self.import_paper(paper, body_name, progress)
        for paper_id in [p for p in progress.failed if p not in seen]:
            self._retry(paper_id, body_name, progress)
        progress.checkpoint, progress.started, progress.done = progress.started, "", {}
        self.state.save()

    def _retry(self, paper_id: str, body_name: str, progress: BodyState) -> None:
        try:
            paper = self.http.get_json(paper_id)
        except OParlError as error:
            self._fail(paper_id, f"Drucksache {paper_id}: {error}", progress)
            return
        self.import_paper(paper, body_name, progress)

    def import_paper(self, paper: dict[str, Any], body_name: str, progress: BodyState) -> None:
        paper_id = str(paper.get("id") or "")
        if not paper_id:
            log.warning("Drucksache ohne 'id' übersprungen: %s", str(paper)[:200])
            return
        modified = str(paper.get("modified") or "")
        label = str(paper.get("reference") or paper.get("name") or paper_id)
        if progress.done.get(paper_id) == modified:
            self.report.skipped += 1
            self._progress(f"{label}: bereits importiert")
            return
        doc_id = doc_id_for(paper_id)
        if paper.get("deleted"):
            message = self._remove(doc_id)
        else:
            try:
                message = self._ingest(paper, doc_id, body_name)
            except OParlError as error:
                self._fail(paper_id, f"Drucksache {label}: {error}", progress)
                return
        progress.done[paper_id] = modified
        progress.failed.pop(paper_id, None)
        self.state.save()
        self._progress(f"{label}: {message}")

    def _remove(self, doc_id: str) -> str:
        for path in self.files_dir.glob(f"{doc_id}.*"):
            path.unlink()
        if self.store.remove_document(doc_id, user=self.user):
            self.report.removed += 1
            return "entfernt (an der Quelle gelöscht)"
        self.report.skipped += 1
        return "an der Quelle gelöscht, war nicht im Index"

    def _ingest(self, paper: dict[str, Any], doc_id: str, body_name: str) -> str:
        main_file = paper.get("mainFile")
        if isinstance(main_file, str):
            main_file = self.http.get_json(main_file)
        if not isinstance(main_file, dict) or main_file.get("deleted"):
            self.report.skipped += 1
            return "keine Hauptdatei, übersprungen"
        path = self._download(main_file, doc_id)
        overrides = paper_overrides(paper, body_name, self._committees(paper))
        result = ingest_file(self.store, self.embedder, path, user=self.user, overrides=overrides)
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

    def _download(self, main_file: dict[str, Any], doc_id: str) -> Path:
        suffix = file_suffix(main_file)
        if suffix is None:
            mime = main_file.get("mimeType") or "unbekannt"
            raise OParlError(f"Dateiformat {mime} wird nicht unterstützt (nur PDF, HTML, Text, DOCX).")
        candidates = (main_file.get("downloadUrl"), main_file.get("accessUrl"))
        urls = list(dict.fromkeys(str(u) for u in candidates if u))
        if not urls:
            raise OParlError("Hauptdatei ohne accessUrl.")
        self.files_dir.mkdir(parents=True, exist_ok=True)
        target = self.files_dir / f"{doc_id}{suffix}"
        for url in urls:
            try:
                self.http.download(url, target)
                break
            except OParlError as error:
                if url == urls[-1]:
                    raise OParlError(f"Hauptdatei {error}") from error
                log.info("%s; versuche accessUrl", error)
        for stale in self.files_dir.glob(f"{doc_id}.*"):
            if stale != target:
                stale.unlink()
        return target

    def _committees(self, paper: dict[str, Any]) -> list[str]:
        """Names of the consulting organisations, in Beratungsfolge order, each once."""
        names: list[str] = []
        for consultation in _as_list(paper.get("consultation")):
            if isinstance(consultation, str):
                try:
                    consultation = self.http.get_json(consultation)
                except OParlError as error:
                    log.warning("Beratung nicht abrufbar: %s", error)
                    continue
            for organization in _as_list(consultation.get("organization")):
                name = self._organization_name(organization)
                if name and name not in names:
                    names.append(name)
        return names

    def _organization_name(self, organization: Any) -> str:
        if isinstance(organization, dict):
            return str(organization.get("name") or organization.get("shortName") or "")
        url = str(organization)
        if url not in self._organization_names:
            try:
                self._organization_names[url] = self._organization_name(self.http.get_json(url))
            except OParlError as error:
                log.warning("Gremium nicht abrufbar: %s", error)
                self._organization_names[url] = ""
        return self._organization_names[url]

    def _fail(self, paper_id: str, message: str, progress: BodyState) -> None:
        self.report.failed += 1
        self.report.errors.append(message)
        progress.failed[paper_id] = message
        self.state.save()
        self._progress(message)

    def _progress(self, message: str) -> None:
        log.info("%s", message)
        if self.on_progress:
            self.on_progress(message)


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
    user: str = "oparl",
    on_progress: Callable[[str], None] | None = None,
    client: httpx.Client | None = None,
) -> OParlReport:
    """Import (or update) the papers of an OParl system into `store`.

    A paper that cannot be fetched or read becomes a German message in the report and the import
    goes on; an endpoint that cannot be walked raises `OParlError`, keeping what was imported so
    far for the next run. `on_progress` gets one German line per paper.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    state = ImportState(state_dir / STATE_FILE)
    modified_since = parse_since(since) if since else None
    repair(store, embedder)  # a run killed while writing a document leaves it half-written
    with ExitStack() as stack:
        if client is None:
            client = stack.enter_context(httpx.Client(headers={"User-Agent": USER_AGENT}))
        http = OParlHttp(client, delay=delay, timeout=timeout, retries=retries, backoff=backoff)
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
