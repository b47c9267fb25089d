"""The document view links to the council's own information system, safely."""

from __future__ import annotations

from ingest.types import Document
from ui.render import document_html


def _doc(web: str) -> Document:
    return Document(doc_id="hw-80-2019", text="Der Rat beschließt.", reference="80/2019", web=web)


def test_document_view_links_to_the_page_in_the_council_information_system():
    html = document_html(_doc("https://sdnet.example/vorlage?id=80&typ=1"))
    assert 'href="https://sdnet.example/vorlage?id=80&amp;typ=1"' in html
    assert "im Ratsinformationssystem öffnen" in html
    assert 'rel="noopener noreferrer"' in html


def test_document_view_shows_no_link_that_is_not_http():
    for web in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", ""):
        assert "im Ratsinformationssystem öffnen" not in document_html(_doc(web))


def test_document_json_carries_the_web_link():
    assert _doc("https://sdnet.example/80").to_json()["web"] == "https://sdnet.example/80"
