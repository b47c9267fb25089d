"""Damaged, hostile and oddly named files never break the ingest or the documents already indexed.

About 230 files are generated from a fixed seed: truncated and bit-flipped PDFs and Word files,
random bytes behind every supported extension, empty and whitespace-only files, text in UTF-16,
Latin-1 and other encodings, deeply nested and huge HTML, and valid documents whose file names
carry spaces, umlauts, quotes, leading dashes, shell syntax, very long or unusual Unicode names.
Each one must end as a failed FileResult with a German reason (never a traceback) or be indexed
with readable text, within a bounded time, while two documents indexed before stay as they were.
"""

from __future__ import annotations

import io
import random
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from reportlab.pdfgen import canvas

from ingest.pipeline import FAILED, FileResult, ingest_paths
from ingest.store import Store

pytestmark = pytest.mark.integration

SEED = 1337
MAX_SECONDS_PER_FILE = 20.0
UPLOAD_SAMPLE = 30
REPO = Path(__file__).resolve().parents[2]

VORLAGE_LINES = [
    "Vorlage - 2019/188",
    "Betreff: Zuschuss an den Förderverein Freibad Neustadt e.V.",
    "Vorlage-Art: Beschlussvorlage",
    "Status: öffentlich",
    "Beratungsfolge: Finanzausschuss – 12.09.2019",
    "Sachverhalt:",
    "Der Förderverein erhält einen Zuschuss in Höhe von jährlich 12.500 € für den Badebetrieb.",
    "Die Stadt Neustadt trägt außerdem die Kosten der Wasseraufsicht von 8.000 € im Jahr.",
]
# Markers of a German sentence; every reason the ingest gives a person contains at least one.
GERMAN_WORDS = ("Datei", "ist", "nicht", "kein", "keine", "wird", "wurde", "konnte", "zu", "Seite", "doppelt")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "')


@dataclass(frozen=True)
class FuzzFile:
    name: str
    content: bytes
    expect: str = ""  # a phrase the indexed text must contain, when the file is indexed at all


# --- valid originals that the damaged files are made from -----------------------------------------


def valid_pdf() -> bytes:
    buffer = io.BytesIO()
    page_canvas = canvas.Canvas(buffer)
    for page in range(2):
        for number, line in enumerate(VORLAGE_LINES):
            page_canvas.drawString(72, 760 - 16 * number, f"{line} (Seite {page + 1})")
        page_canvas.showPage()
    page_canvas.save()
    return buffer.getvalue()


def valid_docx() -> bytes:
    document = docx.Document()
    document.add_heading(VORLAGE_LINES[0], level=1)
    for line in VORLAGE_LINES[1:]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for row, (label, value) in enumerate((("Betrag:", "12.500 €"), ("Zeitraum:", "jährlich"))):
        table.cell(row, 0).text, table.cell(row, 1).text = label, value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def vorlage_text(variant: str) -> str:
    """A small valid Vorlage; `variant` makes its content (and so its content hash) unique."""
    return "\n".join([*VORLAGE_LINES, f"Die Vorlage trägt den Vermerk {variant}."]) + "\n"


# --- ways of damaging a file ---------------------------------------------------------------------


def truncated(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(0, len(data))]


def bit_flipped(rng: random.Random, data: bytes) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.choice((1, 2, 4, 16, 64))):
        position = rng.randrange(len(damaged))
        damaged[position] ^= 1 << rng.randrange(8)
    return bytes(damaged)


def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_bomb() -> bytes:
    """A .docx whose members would unpack to more than the 200 MB the parser accepts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            block = bytes(16 * 1024 * 1024)
            for _ in range(13):
                member.write(block)
    return buffer.getvalue()


# --- the fuzz corpus ------------------------------------------------------------------------------


def damaged_documents(rng: random.Random) -> list[FuzzFile]:
    pdf, word = valid_pdf(), valid_docx()
    files = [FuzzFile(f"pdf-gekuerzt-{i:02d}.pdf", truncated(rng, pdf)) for i in range(30)]
    files += [FuzzFile(f"pdf-bitfehler-{i:02d}.pdf", bit_flipped(rng, pdf)) for i in range(30)]
    files += [
        FuzzFile("pdf-nur-kopf.pdf", b"%PDF-1.7\n"),
        FuzzFile("pdf-kopf-und-zufall.pdf", b"%PDF-1.4\n" + rng.randbytes(2000)),
        FuzzFile("pdf-ohne-eof.pdf", pdf.replace(b"%%EOF", b"")),
        FuzzFile("pdf-xref-kaputt.pdf", pdf.replace(b"xref", b"xfer")),
        FuzzFile("pdf-verschachtelt.pdf", b"%PDF-1.4\n1 0 obj\n" + b"[" * 50_000 + b"\nendobj\n%%EOF"),
    ]
    files += [FuzzFile(f"docx-gekuerzt-{i:02d}.docx", truncated(rng, word)) for i in range(20)]
    files += [FuzzFile(f"docx-bitfehler-{i:02d}.docx", bit_flipped(rng, word)) for i in range(20)]
    members = docx_members(word)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
    )
    files += [
        FuzzFile("docx-xml-zufall.docx", zip_with({**members, "word/document.xml": rng.randbytes(3000)})),
        FuzzFile(
            "docx-ohne-dokument.docx", zip_with({k: v for k, v in members.items() if "document" not in k})
        ),
        FuzzFile("docx-leeres-zip.docx", zip_with({})),
        FuzzFile("docx-entity-lachen.docx", zip_with({**members, "word/document.xml": laughs})),
        FuzzFile("docx-ist-pdf.docx", pdf),
        FuzzFile("pdf-ist-docx.pdf", word),
        FuzzFile("docx-zip-bombe.docx", zip_bomb()),
    ]
    return files


def random_files(rng: random.Random) -> list[FuzzFile]:
    sizes = (1, 7, 100, 1000, 10_000, 100_000)
    return [
        FuzzFile(f"zufall-{suffix[1:]}-{i:02d}{suffix}", rng.randbytes(rng.choice(sizes)))
        for suffix in (".pdf", ".docx", ".txt", ".html")
        for i in range(12)
    ]


def empty_files() -> list[FuzzFile]:
    files = [
        FuzzFile(f"leer-{suffix[1:]}{suffix}", b"") for suffix in (".pdf", ".docx", ".txt", ".html", ".htm")
    ]
    blanks = (b" ", b"\n\n\n", b" \t\r\n \r\n", "\u00a0\u2003\u200b\ufeff".encode(), b"\x0c\x0b")
    files += [FuzzFile(f"leerzeichen-{i}.txt", blank) for i, blank in enumerate(blanks)]
    files += [
        FuzzFile("leerzeichen.html", b"<html><body>   \n </body></html>"),
        FuzzFile("nur-skript.html", b"<html><head><script>alert(1)</script><style>p{}</style></head></html>"),
        FuzzFile("leerzeichen-pdf.pdf", b"   \n"),
        FuzzFile("leerzeichen-docx.docx", b"\n\n"),
    ]
    return files


def encoded_texts() -> list[FuzzFile]:
    text = vorlage_text("Kodierung")
    page = f"<html><body><h1>{VORLAGE_LINES[0]}</h1><p>{VORLAGE_LINES[6]}</p></body></html>"
    german = "Förderverein erhält"

    def variant(name: str) -> str:
        return text.replace("Kodierung", name)

    return [
        FuzzFile("utf16-le-bom.txt", variant("utf16le").encode("utf-16"), german),
        FuzzFile("utf16-be-bom.txt", b"\xfe\xff" + variant("utf16be").encode("utf-16-be"), german),
        FuzzFile("utf16-ohne-bom.txt", variant("utf16nobom").encode("utf-16-le"), german),
        FuzzFile("utf16-bom-ungerade.txt", "Ä".encode("utf-16") + b"\x00"),
        FuzzFile("utf32-bom.txt", variant("utf32").encode("utf-32"), german),
        FuzzFile("utf8-bom.txt", variant("utf8bom").encode("utf-8-sig"), german),
        FuzzFile("latin1.txt", variant("latin1").encode("latin-1", errors="replace"), german),
        FuzzFile(
            "cp1252-euro.txt",
            variant("cp1252").encode("cp1252"),
            "erhält einen Zuschuss in Höhe von jährlich 12.500 €",
        ),
        FuzzFile("gemischt.txt", variant("gemischt").encode() + "Größe".encode("latin-1")),
        FuzzFile("cesu8-surrogat.txt", b"Betreff: \xed\xa0\xbd\xed\xb3\x84 Zuschuss"),
        FuzzFile("utf16.html", page.encode("utf-16"), german),
        FuzzFile("meta-latin1-aber-utf8.html", f'<meta charset="iso-8859-1">{page}'.encode(), german),
        FuzzFile("meta-utf32.html", f'<meta charset="utf-32">{page}'.encode(), german),
        FuzzFile("meta-unbekannt.html", f'<meta charset="x-gibt-es-nicht">{page}'.encode(), german),
        FuzzFile(
            "xml-deklaration.html",
            f'<?xml version="1.0" encoding="ISO-8859-1"?>{page}'.encode("latin-1", errors="replace"),
            german,
        ),
        FuzzFile("nullbytes.html", page.encode().replace(b"<p>", b"<p>\x00\x00")),
    ]


def hostile_html() -> list[FuzzFile]:
    paragraph = f"<p>{VORLAGE_LINES[6]}</p>"
    return [
        FuzzFile("tief-300.html", ("<div>" * 300 + paragraph + "</div>" * 300).encode()),
        FuzzFile("tief-5000.html", ("<div>" * 5000 + paragraph).encode()),
        FuzzFile("tief-200000.html", ("<span>" * 200_000 + paragraph).encode()),
        FuzzFile("tabellen-tief.html", ("<table><tr><td>" * 400 + paragraph).encode()),
        FuzzFile("riesig-21mb.html", b"<html><body>" + b"<p>Zuschuss 60.000 Euro</p>" * 820_000),
        FuzzFile(
            "riesig-markup.html", b"<html><body>" + b"<div><span></span></div>" * 200_000 + paragraph.encode()
        ),
        FuzzFile("riesig-attribut.html", f'<p title="{"x" * 3_000_000}">{VORLAGE_LINES[6]}</p>'.encode()),
        FuzzFile("viele-br.html", b"<p>" + b"<br>" * 300_000 + paragraph.encode()),
        FuzzFile("kommentar-offen.html", f"{paragraph}<!-- nie geschlossen {'x' * 10_000}".encode()),
        FuzzFile("entitaeten.html", ("&amp;&#0;&#xD800;&#99999999;&bogus;" * 2000 + paragraph).encode()),
        FuzzFile("cdata.html", f"<![CDATA[{'<' * 5000}]]>{paragraph}".encode()),
        FuzzFile("nur-tags.html", b"<a><b><i>" * 30_000),
        FuzzFile("rechts-nach-links.html", f"<p>\u202e{VORLAGE_LINES[6]}\u202c</p>".encode()),
    ]


def odd_names() -> list[FuzzFile]:
    names = [
        "mit leerzeichen.txt",
        "Übersicht Zuschüsse ä ö ü ß.txt",
        'an "Zitat".txt',
        "it's mine.txt",
        "„Gänsefüßchen“ und «Guillemets».txt",
        "-rf.txt",
        "--help.txt",
        "-.txt",
        "a" * 246 + ".txt",
        "ü" * 120 + ".txt",
        "📄 Vorlage 🏛.txt",
        "مستند.txt",
        unicodedata.normalize("NFD", "Gebühren.txt"),
        "議事録.html",
        "semi;colon&amp.txt",
        "hash#tag@generation.txt",
        "prozent%20name.txt",
        "tab\tname.txt",
        "zeilen\numbruch.txt",
        "back\\slash.txt",
        "punkte...txt",
        "GROSS.TXT",
        "name.pdf.txt",
        "endet mit leerzeichen .txt",
        "*stern?.txt",
        "$(echo pwned).txt",
        "`befehl`.txt",
        "<script>alert(1)<_script>.html",
        ".txt",
        "ohne-endung",
        "falsche.endung.exe",
    ]
    return [
        FuzzFile(name, vorlage_text(f"Dateiname {number}").encode(), f"Vermerk Dateiname {number}.")
        for number, name in enumerate(names)
    ]


def fuzz_files(folder: Path) -> dict[Path, FuzzFile]:
    """Write the fuzz corpus into `folder`; every file has its own document id (file stem)."""
    rng = random.Random(SEED)
    files = damaged_documents(rng) + random_files(rng) + empty_files() + encoded_texts()
    files += hostile_html() + odd_names()
    folder.mkdir()
    written: dict[Path, FuzzFile] = {}
    for fuzz in files:
        path = folder / fuzz.name
        assert not path.exists(), fuzz.name
        path.write_bytes(fuzz.content)
        written[path] = fuzz
    assert len({p.stem for p in written}) == len(written)
    return written


# --- checks ---------------------------------------------------------------------------------------


def good_documents(folder: Path) -> list[Path]:
    folder.mkdir()
    first = folder / "vorlage-2015-179.txt"
    first.write_bytes((REPO / "corpus" / "vorlage-2015-179.txt").read_bytes())
    second = folder / "2025-088-jugendarbeit.html"
    second.write_text(
        "<html><body><h1>Vorlage - 2025/088</h1><dl><dt>Betreff</dt><dd>Förderung der Jugendarbeit</dd>"
        "<dt>Status</dt><dd>öffentlich</dd></dl><h2>Sachverhalt</h2><p>Der Tageszuschuss je Kind wird "
        "von 6 € auf 9 € angehoben; Mehraufwand rund 45.000 € jährlich.</p></body></html>",
        encoding="utf-8",
    )
    return [first, second]


def snapshot(store: Store, doc_ids: list[str]) -> dict[str, tuple[str, list[str], int]]:
    """Per document: content hash, chunk texts and number of vectors."""
    chunks = store.chunks()
    result = {}
    for doc_id in doc_ids:
        doc = store.get_document(doc_id)
        assert doc is not None, doc_id
        vectors = len(store._collection.get(where={"doc_id": doc_id}, include=[])["ids"])
        result[doc_id] = (doc.content_hash, [c.text for c in chunks if c.doc_id == doc_id], vectors)
    return result


def is_actionable_german(message: str) -> bool:
    words = set(message.replace(":", " ").replace("(", " ").split())
    return bool(message.strip()) and any(word in words for word in GERMAN_WORDS)


def looks_like_traceback(message: str) -> bool:
    return any(marker in message for marker in TRACEBACK_MARKERS)


# Characters no indexed text should keep: controls, surrogates, unassigned and private-use code
# points, and bidi overrides (they make a citation display reversed). U+FFFD is allowed: it is the
# visible mark of bytes that could not be decoded.
UNREADABLE_CATEGORIES = ("Cc", "Cs", "Cn", "Co")
UNREADABLE_CHARS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# UTF-8 read as Latin-1/cp1252: "FÃ¶rderverein", "jÃ¤hrlich", "â‚¬".
MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152-\u2122]|â‚¬")


def unreadable(text: str) -> str:
    """What makes a stored text unreadable, or "" when it reads fine."""
    if not text.strip():
        return "empty"
    bad = sorted(
        {ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in UNREADABLE_CATEGORIES}
    )
    bad += sorted(UNREADABLE_CHARS.intersection(text))
    if bad:
        return f"characters {bad!r}"
    mojibake = MOJIBAKE.search(text)
    return f"mojibake {mojibake.group()!r}" if mojibake else ""


def timed_ingest(
    store: Store, embedder: Any, paths: list[Path]
) -> tuple[list[FileResult], dict[str, float], dict[str, str]]:
    """ingest_paths over all paths: the results, the seconds each file took (between progress
    callbacks) and the exceptions that escaped, by file. After an escape the ingest is resumed
    with the next file, so one run names every file that breaks it."""
    seconds: dict[str, float] = {}
    results: list[FileResult] = []
    escaped: dict[str, str] = {}
    last = time.monotonic()

    def progress(result: FileResult) -> None:
        nonlocal last
        now = time.monotonic()
        seconds[result.path] = now - last
        results.append(result)
        last = now

    remaining = list(paths)
    while remaining:
        done = len(results)
        try:
            ingest_paths(store, embedder, remaining, user="fuzz", on_progress=progress)
            break
        except Exception as error:  # noqa: BLE001 - the point is to name the file that let it escape
            culprit = remaining[len(results) - done]
            escaped[culprit.name] = f"{type(error).__module__}.{type(error).__name__}: {error}"
            seconds[str(culprit)] = time.monotonic() - last
            remaining = remaining[len(results) - done + 1 :]
            last = time.monotonic()
    return results, seconds, escaped


def listing(by_file: dict[str, str]) -> str:
    return "\n".join(f"  {name[:60]!r}: {text[:200]}" for name, text in sorted(by_file.items()))


def problems_with(result: FileResult, store: Store, expect: str = "") -> str:
    """Why a FileResult breaks the contract, or "" when it keeps it."""
    if result.outcome == FAILED:
        if not is_actionable_german(result.message):
            return f"failed without a German reason: {result.message!r}"
        if looks_like_traceback(result.message):
            return f"traceback text in the reason: {result.message!r}"
        return ""
    doc = store.get_document(result.doc_id)
    if doc is None:
        return f"{result.outcome} but not in the store"
    problem = unreadable(doc.text)
    if problem:
        return f"{result.outcome} with unreadable text ({problem}): {doc.text[:70]!r}"
    if expect and expect not in doc.text:
        return f"{result.outcome} but {expect!r} is not in its text: {doc.text[:70]!r}"
    if not any(c.doc_id == result.doc_id for c in store.chunks()):
        return f"{result.outcome} without chunks"
    return ""


@pytest.fixture
def indexed_store(tmp_path: Path, embedder: Any) -> tuple[Store, dict[str, tuple[str, list[str], int]]]:
    store = Store(tmp_path / "store", embedder.model_id)
    report = ingest_paths(store, embedder, good_documents(tmp_path / "good"))
    assert report.count("added") == 2, report.results
    return store, snapshot(store, [r.doc_id for r in report.results])


def test_fuzz_bad_files_fail_in_german_or_index_readable_text_and_leave_others_untouched(
    tmp_path: Path, embedder: Any, indexed_store: tuple[Store, dict[str, tuple[str, list[str], int]]]
) -> None:
    store, before = indexed_store
    files = fuzz_files(tmp_path / "fuzz")
    paths = list(files)
    assert len(paths) >= 200

    results, seconds, escaped = timed_ingest(store, embedder, paths)

    violations = {name: f"exception escaped: {error}" for name, error in escaped.items()}
    for result in results:
        problem = problems_with(result, store, files[Path(result.path)].expect)
        if problem:
            violations[Path(result.path).name] = problem
    for path, duration in seconds.items():
        if duration > MAX_SECONDS_PER_FILE:
            violations[Path(path).name] = f"took {duration:.1f} s"
    assert not violations, f"{len(violations)} of {len(paths)} files break the contract:\n" + listing(
        violations
    )
    assert len(results) + len(escaped) == len(paths)
    assert snapshot(store, list(before)) == before
    assert store.reconcile().incomplete_documents == []


def test_fuzz_uploads_through_the_clerk_upload_path(
    tmp_path: Path, embedder: Any, indexed_store: tuple[Store, dict[str, tuple[str, list[str], int]]]
) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ui.app import Handlers

    store, before = indexed_store
    store.close()
    handlers = Handlers(Assistant(Settings(store=tmp_path / "store"), embedder=embedder))
    sample = random.Random(SEED).sample(sorted(fuzz_files(tmp_path / "fuzz")), UPLOAD_SAMPLE)
    no_progress: Any = lambda *args, **kwargs: None  # noqa: E731 - stands in for gr.Progress

    names = [str(p) for p in sample]
    try:
        table, uploads, _ = handlers.preview_uploads(names, role="clerk")
    except Exception as error:  # noqa: BLE001 - name the files that make the whole preview fail
        culprits = {}
        for name in names:
            try:
                handlers.preview_uploads([name], role="clerk")
            except Exception as single:  # noqa: BLE001
                culprits[Path(name).name] = f"{type(single).__module__}.{type(single).__name__}: {single}"
        pytest.fail(
            f"the upload preview failed for all {len(names)} files ({error!r}), because of:\n"
            + listing(culprits)
        )
    assert len(uploads) == len(sample)
    for upload in uploads:
        if not upload["ready"]:
            reason = str(upload.get("problem") or upload["parsed_row"][-1])
            assert is_actionable_german(reason) and not looks_like_traceback(reason), upload
    results_html, remaining, *_ = handlers.index_uploads(table, uploads, role="clerk", progress=no_progress)

    assert remaining == []
    assert not looks_like_traceback(results_html)
    assert results_html.count("<li") == len(sample)
    assert snapshot(handlers.assistant.store, list(before)) == before
