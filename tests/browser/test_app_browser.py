"""The real app in headless Chromium: chat with citations, search, upload, ledger, safe rendering.

One app per module (real Assistant, real MiniLM, a tmp store with corpus/ plus the documents
below, a council member and a clerk as users); every test opens a fresh page, so each starts
without signing in, as the public role. Screenshots of each
step go to test-artifacts/; the chat screenshot for the README goes to docs/screenshot-chat.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

from page_steps import ANSWER_TIMEOUT_MS, ask, search, sign_in  # noqa: E402  (after the importorskip)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
README_SCREENSHOT = REPO / "docs" / "screenshot-chat.png"
UPLOAD_LIMIT_BYTES = 256 * 1024

METROPOLREGION_QUESTION = "Was kostet die Mitgliedschaft in der Metropolregion?"
COMMITTEE = "Ausschuss für Kreisentwicklung und Mobilität"

RADVERKEHR_TXT = f"""Vorlage - 2024/031

Betreff: Zuschuss an den Radverkehrsverein Peiner Land e.V.
Vorlage-Art: Beschlussvorlage
Status: öffentlich
Datum: 05.02.2024
Beratungsfolge:
{COMMITTEE} – 20.02.2024
Kreistag – 13.03.2024

Beschlussvorschlag:
Der Landkreis Peine gewährt dem Radverkehrsverein Peiner Land e.V. ab 2024 einen jährlichen Zuschuss in Höhe von 12.500 €.

Sachverhalt:
Der Radverkehrsverein Peiner Land e.V. plant und betreut das Radwegenetz im Kreisgebiet und berät die Gemeinden bei der Radverkehrsplanung.
"""

# Real script and event-handler markup (which the HTML parser drops) and the same markup as text
# (which the document then contains literally and the page must show as text).
UNSAFE_HTML = """<!DOCTYPE html>
<html><head><title>Vorlage 2024/099</title><script>window.__xss = "head";</script></head>
<body>
<script>window.__xss = "body"; alert("xss");</script>
<main>
<p>Vorlage - 2024/099</p>
<p>Betreff: Sicherheitsprüfung der Internetseite</p>
<p>Vorlage-Art: Mitteilungsvorlage</p>
<p>Status: öffentlich</p>
<p>Sachverhalt:</p>
<p>Bei der Prüfung wurde festgestellt, dass Formulare Eingaben wie &lt;script&gt;alert("xss")&lt;/script&gt;
und &lt;img src=x onerror="window.__xss=1"&gt; ungefiltert übernommen haben.</p>
<p>Vorlagen-Platzhalter wie {{value}} und ${7*7} blieben dabei unverändert.</p>
<p><img src="x" onerror="window.__xss = 'img'; alert('img')">Die Sicherheitslücke ist geschlossen;
die Prüfung kostete einmalig 4.200 €.</p>
</main>
</body></html>
"""

NON_PUBLIC_TXT = """Vorlage - 2024/200

Betreff: Verkauf des Grundstücks Am Wallgraben 7
Vorlage-Art: Beschlussvorlage
Status: nichtöffentlich
Datum: 02.09.2024

Beschlussvorschlag:
Das Grundstück Am Wallgraben 7 wird zum Kaufpreis von 318.000 € an die Wallgraben GmbH verkauft.
"""

UPLOAD_LINES = [
    "Vorlage - 2024/077",
    "",
    "Betreff: Beitritt zum Verein Kulturerbe Fuhsetal e.V.",
    "Vorlage-Art: Beschlussvorlage",
    "Status: öffentlich",
    "Datum: 14.05.2024",
    "",
    "Beschlussvorschlag:",
    "Der Landkreis tritt dem Verein Kulturerbe Fuhsetal e.V. bei. Der Mitgliedsbeitrag beträgt jährlich 750 €.",
    "",
    "Sachverhalt:",
    "Der Verein pflegt Baudenkmäler und Museen entlang der Fuhse.",
]


def _write_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 18
    pdf.save()
    return path


@pytest.fixture(scope="module")
def app_url(
    tmp_path_factory: pytest.TempPathFactory, assistant_with_users: Callable[..., Any], serve_app: Any
) -> Iterator[str]:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "2024-031-radverkehr.txt").write_text(RADVERKEHR_TXT, encoding="utf-8")
    (corpus / "2024-099-unsicher.html").write_text(UNSAFE_HTML, encoding="utf-8")
    (corpus / "2024-200-grundstueck.txt").write_text(NON_PUBLIC_TXT, encoding="utf-8")
    assistant = assistant_with_users([REPO / "corpus", corpus], UPLOAD_LIMIT_BYTES)
    with serve_app(assistant) as url:
        yield url


@pytest.fixture
def page(open_page: Any, app_url: str) -> Iterator[Any]:
    with open_page(app_url, "#transcript") as page:
        yield page


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _choose(page: Any, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _sign_out(page: Any) -> None:
    page.locator("#logout-button").click()
    expect(page.locator("#account-note")).to_contain_text("Nicht angemeldet")


def _upload_as_clerk(page: Any, *files: Path) -> Any:
    """Sign in as a clerk, upload files and return the preview table once it shows them."""
    sign_in(page, "verwaltung")
    page.get_by_role("tab", name="Dokumente").click()
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
    preview = page.locator("#upload-preview")
    expect(preview).to_contain_text(files[0].name, timeout=30_000)
    return preview


def _assert_no_injection(page: Any, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    injected = "#transcript script, #transcript img, #search-results script, #search-results img, "
    injected += "#search-document script, #search-document img, [onerror]"
    assert page.locator(injected).count() == 0


# --- chat -----------------------------------------------------------------------------------------


def test_chat_shows_searching_state_then_answer_whose_citation_opens_the_passage(page: Any) -> None:
    page.evaluate(
        """() => {
          const transcript = document.querySelector('#transcript');
          new MutationObserver(() => {
            if (transcript.innerText.includes('Suche…')) window.__sawPending = true;
          }).observe(transcript, {childList: true, subtree: true, characterData: true});
        }"""
    )
    answer = ask(page, METROPOLREGION_QUESTION)
    expect(answer).to_contain_text("3.000")
    assert page.evaluate("window.__sawPending") is True
    _shot(page, "01-chat-answer")

    cited = answer.locator(".sources li", has_text="3.000").first.locator("button").inner_text()
    marker = cited.split("]")[0] + "]"
    answer.get_by_role("button", name=marker, exact=True).click()
    passage = page.locator("#chat-document mark.passage")
    expect(passage).to_contain_text("3.000")
    expect(page.locator("#chat-document .doc-meta")).to_contain_text("2015/179")
    expect(page.locator("#chat-document .doc-meta")).to_contain_text("Bewertung der Beteiligungen")
    _shot(page, "02-chat-citation")
    README_SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(README_SCREENSHOT))


def test_follow_up_question_is_answered_with_the_conversation_as_history(page: Any) -> None:
    ask(page, METROPOLREGION_QUESTION)
    follow_up = ask(page, "Und das EWH-Netzwerk?")
    expect(follow_up).to_contain_text("4.400")
    _shot(page, "03-chat-follow-up")


def test_abstention_lists_documents_that_may_be_relevant(page: Any) -> None:
    answer = ask(page, "Wie hoch ist der Zuschuss für das Schwimmbad?")
    expect(answer).to_have_class("answer abstained")
    expect(answer).to_contain_text("Vielleicht relevant")
    answer.locator(".related .hit-link").first.click()
    expect(page.locator("#chat-document .doc-meta")).to_contain_text("Nummer")
    _shot(page, "04-chat-abstention")


def test_example_questions_are_clickable_and_never_name_non_public_documents(page: Any) -> None:
    examples = page.locator("#examples")
    expect(examples).to_contain_text(METROPOLREGION_QUESTION)
    expect(examples).not_to_contain_text("2024/200")
    expect(examples).not_to_contain_text("Grundstück")
    examples.get_by_text(METROPOLREGION_QUESTION).click()
    expect(page.locator("#transcript .question").last).to_have_text(METROPOLREGION_QUESTION)
    expect(page.locator("#transcript .answer").last).not_to_have_class(
        "answer pending", timeout=ANSWER_TIMEOUT_MS
    )
    _shot(page, "05-chat-example")


# --- search ---------------------------------------------------------------------------------------


def test_search_with_committee_filter_lists_only_that_committees_documents(page: Any) -> None:
    page.get_by_role("tab", name="Suche").click()
    _choose(page, "filter-committee", COMMITTEE)
    search(page, "Zuschuss")
    results = page.locator("#search-results")
    expect(results.locator(".hit").first).to_be_visible()
    expect(results).to_contain_text("2024/031")
    expect(results).not_to_contain_text("2015/179")
    expect(results.locator("mark").first).to_be_visible()
    _shot(page, "06-search-committee")

    results.locator(".hit-link").first.click()
    expect(page.locator("#search-document mark.passage")).to_be_visible()
    expect(page.locator("#search-document .doc-meta")).to_contain_text(COMMITTEE)
    _shot(page, "07-search-document")


def test_document_number_alone_opens_that_document(page: Any) -> None:
    search(page, "2015/179")
    document = page.locator("#search-document")
    expect(document.locator(".doc-meta")).to_contain_text("2015/179")
    expect(document.locator(".doc-text")).to_contain_text("Metropolregion")
    _shot(page, "08-search-by-number")


def test_public_role_cannot_find_or_open_a_non_public_document(page: Any) -> None:
    search(page, "2024/200")
    expect(page.locator("#search-results")).to_contain_text("Keine Vorlage mit der Nummer 2024/200")
    search(page, "Grundstück Wallgraben Kaufpreis")
    expect(page.locator("#search-results")).not_to_contain_text("2024/200")
    expect(page.locator("#search-document")).not_to_contain_text("Wallgraben")


def test_signing_out_clears_what_the_member_saw(page: Any) -> None:
    sign_in(page, "ratsmitglied")
    search(page, "2024/200")
    expect(page.locator("#search-document")).to_contain_text("Wallgraben")
    _sign_out(page)
    expect(page.locator("#search-document")).not_to_contain_text("Wallgraben")
    search(page, "2024/200")
    expect(page.locator("#search-results")).to_contain_text("Keine Vorlage mit der Nummer 2024/200")


# --- rendering safety -----------------------------------------------------------------------------


def test_document_with_script_tag_and_onerror_renders_as_text(page: Any, dialogs: list[str]) -> None:
    search(page, "2024/099")
    text = page.locator("#search-document .doc-text")
    expect(text).to_contain_text('<script>alert("xss")</script>')
    expect(text).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(text).to_contain_text("Platzhalter wie {{value}} und ${7*7} blieben")
    search(page, "Formulare Eingaben ungefiltert")
    expect(page.locator("#search-results")).to_contain_text("<script>")
    page.locator("#search-results .hit-link").first.click()
    expect(page.locator("#search-document mark.passage")).to_be_visible()
    _shot(page, "09-unsafe-document-as-text")
    _assert_no_injection(page, dialogs)


# --- documents (clerks) ---------------------------------------------------------------------------


def test_documents_tab_is_only_offered_to_clerks(page: Any) -> None:
    expect(page.get_by_role("tab", name="Dokumente")).to_have_count(0)
    sign_in(page, "ratsmitglied")
    expect(page.get_by_role("tab", name="Dokumente")).to_have_count(0)
    _sign_out(page)
    sign_in(page, "verwaltung")
    expect(page.get_by_role("tab", name="Dokumente")).to_be_visible()


def test_clerk_uploads_pdf_corrects_committee_and_finds_it_by_number(page: Any, tmp_path: Path) -> None:
    pdf = _write_pdf(tmp_path / "vorlage-2024-077.pdf", UPLOAD_LINES)
    preview = _upload_as_clerk(page, pdf)
    expect(preview).to_contain_text("2024/077")
    expect(preview).to_contain_text("Beitritt zum Verein Kulturerbe Fuhsetal e.V.")
    _shot(page, "10-upload-preview")

    preview.locator("[data-testid='cell-0-4']").dblclick()
    page.keyboard.type("Kreisausschuss; Kreistag")
    page.keyboard.press("Enter")
    page.locator("#index-button").click()
    expect(page.locator("#upload-results")).to_contain_text(
        "hinzugefügt als vorlage-2024-077", timeout=60_000
    )
    expect(page.locator("#document-list")).to_contain_text("Kreisausschuss; Kreistag")
    _shot(page, "11-upload-indexed")

    search(page, "2024/077")
    document = page.locator("#search-document")
    expect(document.locator(".doc-meta")).to_contain_text("Kulturerbe Fuhsetal")
    expect(document.locator(".doc-meta")).to_contain_text("Kreisausschuss")
    _shot(page, "12-uploaded-document-found")


def test_clerk_reupload_replaces_the_old_version_and_remove_takes_it_out(page: Any, tmp_path: Path) -> None:
    version = tmp_path / "2024-150-ersatz.txt"
    version.write_text(
        RADVERKEHR_TXT.replace("2024/031", "2024/150").replace("12.500", "9.000"), encoding="utf-8"
    )
    _upload_as_clerk(page, version)
    page.locator("#index-button").click()
    expect(page.locator("#upload-results")).to_contain_text("hinzugefügt als 2024-150-ersatz", timeout=60_000)

    version.write_text(
        RADVERKEHR_TXT.replace("2024/031", "2024/150").replace("12.500", "11.000"), encoding="utf-8"
    )
    page.locator("#upload input[type=file]").set_input_files(str(version))
    expect(page.locator("#upload-preview")).to_contain_text(version.name, timeout=30_000)
    page.locator("#index-button").click()
    expect(page.locator("#upload-results")).to_contain_text(
        "aktualisiert als 2024-150-ersatz", timeout=60_000
    )
    search(page, "2024/150")
    expect(page.locator("#search-document .doc-text")).to_contain_text("11.000 €")
    expect(page.locator("#search-document .doc-text")).not_to_contain_text("9.000 €")

    page.get_by_role("tab", name="Dokumente").click()
    _choose(page, "document-choice", "Vorlage 2024/150 – Zuschuss an den Radverkehrsverein Peiner Land e.V.")
    page.locator("#remove-button").click()
    expect(page.locator("#document-message")).to_contain_text("2024-150-ersatz wurde aus dem Index entfernt")
    expect(page.locator("#document-list")).not_to_contain_text("2024-150-ersatz")
    _shot(page, "13-document-removed")
    search(page, "2024/150")
    expect(page.locator("#search-results")).to_contain_text("Keine Vorlage mit der Nummer 2024/150")


def test_upload_of_unsupported_or_too_large_files_explains_why_in_german(page: Any, tmp_path: Path) -> None:
    unsupported = tmp_path / "tabelle.xlsx"
    unsupported.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    too_large = tmp_path / "2024-151-gross.txt"
    too_large.write_text("Vorlage - 2024/151\n" + "Sehr langer Sachverhalt. " * 20_000, encoding="utf-8")
    _upload_as_clerk(page, unsupported, too_large)
    note = page.locator("#upload-note")
    expect(note).to_contain_text("tabelle.xlsx: Dateityp „.xlsx“ wird nicht unterstützt")
    expect(note).to_contain_text(
        "2024-151-gross.txt: Datei ist zu groß (488 KB; erlaubt sind höchstens 256 KB)"
    )
    page.locator("#index-button").click()
    expect(page.locator("#upload-results")).to_contain_text("Keine Datei zum Indexieren")
    _shot(page, "14-upload-rejected")


# --- ledger ---------------------------------------------------------------------------------------


def test_ledger_shows_totals_opens_sources_and_downloads_as_csv(page: Any) -> None:
    page.get_by_role("tab", name="Beteiligungen").click()
    expect(page.locator("#ledger-table")).to_contain_text("Metropolregion", timeout=30_000)
    expect(page.locator("#ledger-totals")).to_contain_text("Landkreis Peine")
    page.locator("#ledger-table [role=gridcell]", has_text="Metropolregion Hannover").first.click()
    expect(page.locator("#ledger-document mark.passage")).to_contain_text("3.000")
    _shot(page, "15-ledger")
    with page.expect_download() as download:
        page.locator("#ledger-csv").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header, *rows = content.splitlines()
    assert header.startswith("Organisation;Art;Betrag")
    assert any("Metropolregion" in row and "3.000" in row for row in rows)
    assert not any("2024/200" in row for row in rows)
