"""What one file may cost: its text and its parse time are bounded, checked while parsing."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import ingest.parsers
from assistant.settings import Settings, settings_from_env
from ingest.parsers import XML_BYTES_PER_CHAR, DocumentLimits
from ingest.parsers import docx as docx_parser
from ingest.parsing import parse
from ingest.types import IngestError

SMALL = DocumentLimits(max_chars=1000, max_seconds=120)


def _word_file(path: Path, paragraphs: int) -> Path:
    document = docx.Document()
    for n in range(paragraphs):
        document.add_paragraph(f"Absatz {n}: Der Ausschuss berät über den Zuschuss an den Verein {n}.")
    document.save(str(path))
    return path


def test_a_text_file_with_more_text_than_the_limit_is_refused_in_german(tmp_path: Path) -> None:
    path = tmp_path / "eine-zeile.txt"
    path.write_text("Zuschuss " * 200, encoding="utf-8")
    with pytest.raises(
        IngestError, match=r"eine-zeile.txt: enthält mehr Text als erlaubt \(über 1.000 Zeichen"
    ):
        parse(path, limits=SMALL)
    assert parse(path, limits=DocumentLimits(max_chars=10_000)).text.startswith("Zuschuss")


def test_a_word_file_stops_being_read_as_soon_as_it_exceeds_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _word_file(tmp_path / "lang.docx", 200)
    read: list[object] = []
    block_lines = docx_parser._block_lines
    monkeypatch.setattr(docx_parser, "_block_lines", lambda block: read.append(block) or block_lines(block))
    with pytest.raises(IngestError, match="mehr Text als erlaubt"):
        parse(path, limits=SMALL)
    assert len(read) < 20  # ~70 characters a paragraph: stopped after about 15 of 200


def test_a_word_file_whose_xml_is_far_too_large_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _word_file(tmp_path / "riesig.docx", 400)  # document.xml > 16 bytes × 1 000 characters
    monkeypatch.setattr(docx_parser.docx, "Document", lambda _: pytest.fail("python-docx was called"))
    with pytest.raises(IngestError, match="mehr Text als erlaubt"):
        parse(path, limits=SMALL)
    assert XML_BYTES_PER_CHAR * SMALL.max_chars < 400 * 70


def test_parsing_that_takes_longer_than_the_limit_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _word_file(tmp_path / "langsam.docx", 50)
    now = [0.0]

    def slow_clock() -> float:
        now[0] += 10.0  # every step of the parser takes ten seconds
        return now[0]

    monkeypatch.setattr(ingest.parsers.time, "monotonic", slow_clock)
    with pytest.raises(IngestError, match=r"langsam.docx: Auslesen dauert zu lange \(über 120 s"):
        parse(path, limits=DocumentLimits(max_chars=1_000_000, max_seconds=120))


def test_limits_have_documented_defaults_and_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().document_limits == DocumentLimits(max_chars=5_000_000, max_seconds=120.0)
    monkeypatch.setenv("RATSAUSKUNFT_MAX_DOCUMENT_CHARS", "20000")
    monkeypatch.setenv("RATSAUSKUNFT_MAX_PARSE_SECONDS", "30")
    assert settings_from_env().document_limits == DocumentLimits(max_chars=20_000, max_seconds=30.0)
