"""Uploads are checked by name, size and content before anything parses them, and land in one folder."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest

from ingest.parsing import parse
from ingest.types import IngestError
from ingest.uploads import UploadLimits, accept_upload, safe_file_name, size_text

LIMITS = UploadLimits(max_bytes=50 * 1024 * 1024)
VORLAGE = "Vorlage - 2024/077\nBetreff: Beitritt zum Verein\nStatus: öffentlich\n\nSachverhalt:\nDer Verein pflegt Baudenkmäler.\n"
SCRIPTED_HTML = """<!DOCTYPE html>
<html><head><title>Vorlage</title><script>window.__xss = 1; alert("head")</script></head>
<body onload="alert('body')">
<script>document.write("eingeschleust")</script>
<p>Vorlage - 2024/078</p><p>Status: öffentlich</p>
<p>Sachverhalt: Der Zuschuss beträgt 1.000 €.</p>
<img src=x onerror="alert('img')">
</body></html>
"""


def _file(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _docx_bytes(text: str = "Der Verein pflegt Baudenkmäler.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _everything_below(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\system.ini.txt", "system.ini.txt"),
        ("C:\\Temp\\Vorlage 12.PDF", "Vorlage-12.pdf"),
        ("vorlage\x00.txt", "vorlage.txt"),
        ("a\x00b.txt", "a-b.txt"),
        ("zeile\nzwei.html", "zeile-zwei.html"),
        ("-rf.txt", "rf.txt"),
        ("Förderverein Freibad (Entwurf).docx", "Förderverein-Freibad-Entwurf.docx"),
        ("vorlage-2024-077.pdf", "vorlage-2024-077.pdf"),
        ("$(reboot);`id`.txt", "reboot-id.txt"),
    ],
)
def test_file_names_lose_folders_control_characters_and_shell_syntax(original: str, safe: str) -> None:
    assert safe_file_name(original) == safe


@pytest.mark.parametrize("original", ["..txt", ".txt", "  .pdf", "\x00.txt", "../.pdf"])
def test_file_name_without_a_stem_is_refused(original: str) -> None:
    with pytest.raises(IngestError, match="ungültiger Dateiname"):
        safe_file_name(original)


@pytest.mark.parametrize(
    "original", ["tabelle.xlsx", "ohne-endung", "skript.sh", "bild.png", "datei.txt.exe"]
)
def test_file_types_other_than_the_supported_are_refused(original: str) -> None:
    with pytest.raises(IngestError, match="wird nicht unterstützt"):
        safe_file_name(original)


def test_very_long_file_names_are_shortened_keeping_the_extension() -> None:
    name = safe_file_name("x" * 500 + ".pdf")
    assert name.endswith(".pdf") and len(name) <= 130


@pytest.mark.parametrize(
    "original", ["../../etc/passwd.txt", "/etc/passwd.txt", "..\\..\\passwd.txt", "pass\x00wd.txt"]
)
def test_path_traversal_names_write_only_into_the_uploads_folder(tmp_path: Path, original: str) -> None:
    source = _file(tmp_path / "eingang", "upload.bin", VORLAGE.encode())
    uploads = tmp_path / "store" / "uploads"

    stored = accept_upload(source, original, uploads, LIMITS)

    assert stored.parent == uploads
    assert stored.read_text(encoding="utf-8") == VORLAGE
    assert _everything_below(tmp_path / "store") == ["uploads", f"uploads/{stored.name}"]
    assert not (tmp_path / "etc").exists()


def test_an_upload_with_an_existing_name_replaces_the_stored_file(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    accept_upload(_file(tmp_path, "a.txt", b"Erste Fassung"), "vorlage.txt", uploads, LIMITS)
    stored = accept_upload(_file(tmp_path, "b.txt", b"Zweite Fassung"), "vorlage.txt", uploads, LIMITS)
    assert stored.read_text(encoding="utf-8") == "Zweite Fassung"
    assert _everything_below(uploads) == ["vorlage.txt"]


# --- size ----------------------------------------------------------------------------------------


def test_a_60_mb_upload_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = tmp_path / "riesig.pdf"
    with source.open("wb") as file:  # sparse: 60 MB on paper, nothing on disk or in memory
        file.truncate(60 * 1024 * 1024)
    uploads = tmp_path / "uploads"
    with pytest.raises(
        IngestError, match=r"riesig.pdf: Datei ist zu groß \(60 MB; erlaubt sind höchstens 50 MB\)"
    ):
        accept_upload(source, "riesig.pdf", uploads, LIMITS)
    assert not uploads.exists() or _everything_below(uploads) == []


def test_an_empty_upload_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="Datei ist leer"):
        accept_upload(_file(tmp_path, "leer.txt", b""), "leer.txt", tmp_path / "uploads", LIMITS)


def test_sizes_read_as_people_write_them() -> None:
    assert [size_text(n) for n in (500, 256 * 1024, 50 * 1024 * 1024, 1536 * 1024)] == [
        "1 KB",
        "256 KB",
        "50 MB",
        "1,5 MB",
    ]


# --- content -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zufall.pdf", "zufall.docx", "zufall.txt", "zufall.html"])
def test_random_bytes_renamed_to_a_document_type_are_refused(tmp_path: Path, name: str) -> None:
    source = _file(tmp_path, "upload", os.urandom(4096) + b"\x00")
    uploads = tmp_path / "uploads"
    with pytest.raises(IngestError, match=name.replace(".", r"\.")):
        accept_upload(source, name, uploads, LIMITS)
    assert _everything_below(uploads) == []


def test_a_picture_renamed_to_pdf_is_named_for_what_it_is(tmp_path: Path) -> None:
    source = _file(tmp_path, "upload", b"\x89PNG\r\n\x1a\n" + bytes(2000))
    with pytest.raises(IngestError, match=r"scan\.pdf: ist kein PDF .*ein PNG-Bild"):
        accept_upload(source, "scan.pdf", tmp_path / "uploads", LIMITS)


def test_a_pdf_renamed_to_txt_is_refused(tmp_path: Path) -> None:
    source = _file(tmp_path, "upload", b"%PDF-1.7\n% Text, der wie Text aussieht\n")
    with pytest.raises(IngestError, match=r"vorlage\.txt: ist keine Textdatei \(die Datei ist ein PDF\)"):
        accept_upload(source, "vorlage.txt", tmp_path / "uploads", LIMITS)


def test_a_word_file_renamed_to_pdf_is_refused(tmp_path: Path) -> None:
    source = _file(tmp_path, "upload", _docx_bytes())
    with pytest.raises(IngestError, match="ist kein PDF"):
        accept_upload(source, "vorlage.pdf", tmp_path / "uploads", LIMITS)


def test_a_zip_without_word_document_is_not_a_docx(tmp_path: Path) -> None:
    source = _file(tmp_path, "upload", _zip({"hallo.txt": b"kein Word"}))
    with pytest.raises(IngestError, match="word/document.xml fehlt"):
        accept_upload(source, "vorlage.docx", tmp_path / "uploads", LIMITS)


def test_a_real_word_file_is_accepted_and_readable(tmp_path: Path) -> None:
    stored = accept_upload(_file(tmp_path, "upload", _docx_bytes()), "vorlage.docx", tmp_path / "u", LIMITS)
    assert "Baudenkmäler" in parse(stored).text


def test_a_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/nullen.bin", "w", force_zip64=True) as member:
            for _ in range(8):
                member.write(bytes(32 * 1024 * 1024))
    source = _file(tmp_path, "upload", buffer.getvalue())
    assert source.stat().st_size < 1024 * 1024
    with pytest.raises(IngestError, match=r"bombe\.docx: Word-Datei würde entpackt mehr als 200 MB"):
        accept_upload(source, "bombe.docx", tmp_path / "uploads", LIMITS)


def test_a_docx_member_packed_like_a_bomb_is_refused(tmp_path: Path) -> None:
    source = _file(
        tmp_path,
        "upload",
        _zip({"word/document.xml": b"<w:document/>", "word/media/nullen.bin": bytes(20 * 1024 * 1024)}),
    )
    with pytest.raises(IngestError, match="ungewöhnlich stark gepackt"):
        accept_upload(source, "dicht.docx", tmp_path / "uploads", LIMITS)


def test_a_docx_with_xml_entity_declarations_is_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    source = _file(tmp_path, "upload", _zip({**members, "word/document.xml": laughs}))
    with pytest.raises(IngestError, match=r"lachen\.docx: Word-Datei enthält XML-Deklarationen"):
        accept_upload(source, "lachen.docx", tmp_path / "uploads", LIMITS)


def test_html_with_scripts_is_accepted_and_its_scripts_never_reach_the_text(tmp_path: Path) -> None:
    stored = accept_upload(
        _file(tmp_path, "upload", SCRIPTED_HTML.encode()), "vorlage.html", tmp_path / "uploads", LIMITS
    )
    text = parse(stored).text
    assert "Der Zuschuss beträgt 1.000 €." in text
    for trace in ("alert", "__xss", "eingeschleust", "onerror", "<script"):
        assert trace not in text


def test_html_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    bomb = '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><html><body><p>&b;</p></body></html>'
    stored = accept_upload(
        _file(tmp_path, "upload", bomb.encode()), "bombe.html", tmp_path / "uploads", LIMITS
    )
    with pytest.raises(IngestError, match="Entity-Deklarationen"):
        parse(stored)


def test_oversized_html_is_refused_with_its_own_limit(tmp_path: Path) -> None:
    source = _file(tmp_path, "upload", b"<html><body>" + b"<p>Text</p>" * 20_000 + b"</body></html>")
    limits = UploadLimits(max_bytes=50 * 1024 * 1024, max_html_bytes=100 * 1024)
    with pytest.raises(
        IngestError, match=r"gross\.html: HTML-Datei ist zu groß \(215 KB; erlaubt sind höchstens 100 KB\)"
    ):
        accept_upload(source, "gross.html", tmp_path / "uploads", limits)


def test_text_named_html_without_any_markup_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="enthält kein HTML"):
        accept_upload(
            _file(tmp_path, "upload", VORLAGE.encode()), "vorlage.html", tmp_path / "uploads", LIMITS
        )


def test_windows_1252_text_is_accepted(tmp_path: Path) -> None:
    stored = accept_upload(
        _file(tmp_path, "upload", VORLAGE.encode("cp1252")), "vorlage.txt", tmp_path / "uploads", LIMITS
    )
    assert "Baudenkmäler" in parse(stored).text
