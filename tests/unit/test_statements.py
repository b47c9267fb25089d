"""Which lines of a document say something an answer may quote: sentences, and field lines with
content below the header – not contact lines, header fields or asides."""

from __future__ import annotations

from assistant.answer import is_statement
from ingest.types import Document

TEXT = """Der Bezirksrat bewilligt nachstehende Zuwendung:
Empfänger: Förderverein Lindenhof e.V.
Verwendungszweck: Kinderprogramm beim Sommerfest
Ansprechpartner: Herr Max Müller, Rathaus Zimmer 3
Sitzungsort: Rathaus Talheim, Großer Sitzungssaal
Betrag: 800,- €
(Beihilfe Nr. 07/2023)
"""


def _statements(text: str) -> list[str]:
    doc = Document(doc_id="d", text=text)
    lines, offset = [], 0
    for line in text.split("\n"):
        if line and is_statement(doc, offset, offset + len(line)):
            lines.append(line)
        offset += len(line) + 1
    return lines


def test_field_lines_with_content_are_statements_but_contact_and_header_fields_are_not():
    assert _statements(TEXT) == [
        "Der Bezirksrat bewilligt nachstehende Zuwendung:",
        "Empfänger: Förderverein Lindenhof e.V.",
        "Verwendungszweck: Kinderprogramm beim Sommerfest",
        "Betrag: 800,- €",
    ]
