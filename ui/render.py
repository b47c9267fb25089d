"""HTML for the app's panels: conversation, search results, a document with its passage marked.

Every piece of text that comes from a document, a question or an answer goes through
`markupsafe.escape` before it is placed into markup; the only tags on the page are the ones
written here. Clickable elements carry `data-doc`, `data-start` and `data-end`; the panels' shared
script (`OPEN_PASSAGE_JS`) turns a click on one into a Gradio event with those values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ingest.german.numbers import german_date
from ingest.types import Document

PENDING_TEXT = "Suche…"
NO_DOCUMENT_TEXT = "Klicken Sie auf einen Beleg oder Treffer, um die Textstelle im Dokument zu sehen."

_MARKER = re.compile(r"\[(\d+)\]")
_SNIPPET_MARK = re.compile(r"«([^«»]*)»")
_LIST_ITEM_AFTER_MARKER = re.compile(r"(\]) (– )")

# Turns a click on any element with data-doc into a `click` event carrying doc, start and end.
OPEN_PASSAGE_JS = """
element.addEventListener('click', (event) => {
  const target = event.target.closest('[data-doc]');
  if (!target || !element.contains(target)) return;
  event.preventDefault();
  trigger('click', {
    doc: target.dataset.doc,
    start: Number(target.dataset.start || 0),
    end: Number(target.dataset.end || 0),
  });
});
"""

# Scrolls the document text (its own scroll box, so the metadata above stays in view and the page
# itself does not move) until the marked passage sits in its upper third.
SCROLL_TO_PASSAGE_JS = """
const scrollToPassage = () => {
  const box = element.querySelector('.doc-text');
  const mark = element.querySelector('mark.passage');
  if (!box) return;
  if (!mark) { box.scrollTop = 0; return; }
  const offset = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
  box.scrollTop += offset - box.clientHeight / 3;
};
scrollToPassage();
watch('value', scrollToPassage);
"""

CSS = """
.turn { margin: 0 0 1rem 0; }
.question { background: var(--color-accent-soft); border-radius: 8px; padding: .5rem .75rem;
  margin-left: 15%; white-space: pre-wrap; }
.answer { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6rem .75rem;
  margin-top: .4rem; margin-right: 10%; line-height: 1.5; }
.answer.pending { color: var(--body-text-color-subdued); font-style: italic; }
.answer.abstained { border-style: dashed; }
.answer.failed { border-color: var(--error-border-color, #b91c1c); }
.cite { border: none; background: var(--color-accent-soft); color: var(--color-accent);
  border-radius: 4px; padding: 0 .25rem; margin: 0 .05rem; cursor: pointer; font-weight: 600;
  font-size: .85em; vertical-align: super; }
.sources, .related { margin: .5rem 0 0 0; padding-left: 0; list-style: none; font-size: .9em; }
.sources li, .related li { margin: .25rem 0; }
.source-link, .hit-link { cursor: pointer; color: var(--link-text-color); text-decoration: underline;
  background: none; border: none; padding: 0; font: inherit; text-align: left; }
.quote { color: var(--body-text-color-subdued); }
.hint { color: var(--body-text-color-subdued); }
.hits { list-style: none; padding-left: 0; }
.hit { border-bottom: 1px solid var(--border-color-primary); padding: .5rem 0; }
.hit .meta { font-size: .85em; color: var(--body-text-color-subdued); }
mark { background: #fde68a; color: inherit; padding: 0 .1em; }
mark.passage { background: #fcd34d; outline: 2px solid #f59e0b; }
.doc-meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .75rem;
  font-size: .9em; margin: 0 0 .75rem 0; }
.doc-meta dt { font-weight: 600; }
.doc-meta dd { margin: 0; }
.doc-text { white-space: pre-wrap; font-family: var(--font); line-height: 1.5; max-height: 520px;
  overflow-y: auto; border-top: 1px solid var(--border-color-primary); padding: .5rem .25rem 0 0; }
.ledger-rows { border-collapse: collapse; font-size: .9em; margin-top: .5rem; }
.ledger-rows td, .ledger-rows th { border: 1px solid var(--border-color-primary); padding: .15rem .4rem; }
.outcome-failed { color: var(--error-text-color, #b91c1c); }
"""


# Page-wide styles, given to `launch` and `mount_gradio_app`. They raise the theme's colours to
# WCAG 2.1 AA contrast (4.5:1 for text: the subdued grey of hints and the footer, white on the
# orange buttons, the orange of the selected tab) and give every focusable element a visible
# focus ring, since some of Gradio's own elements remove the browser's outline.
PAGE_CSS = """
:root, .gradio-container {
  --body-text-color-subdued: #52525b;
  --button-primary-background-fill: #c2410c;
  --button-primary-background-fill-hover: #9a3412;
  --button-primary-border-color: #c2410c;
  --button-primary-text-color: #ffffff;
  --color-accent: #c2410c;
  --button-cancel-background-fill: #b91c1c;
  --button-cancel-background-fill-hover: #991b1b;
  --button-cancel-border-color: #b91c1c;
  --button-cancel-text-color: #ffffff;
}
.dark, .dark .gradio-container {
  --body-text-color-subdued: #d4d4d8;
  --color-accent: #fb923c;
}
.gradio-container :focus-visible {
  outline: 3px solid #1d4ed8 !important;
  outline-offset: 2px;
}
footer a, footer button, footer .show-api, footer .settings { color: var(--body-text-color) !important; }
"""

# Run once on page load (`launch(js=…)`): repairs a spot of Gradio's own table markup that
# axe-core reports as serious and that no component option reaches: the lock icon of a read-only
# column is a <div> with an aria-label but no role (aria-prohibited-attr); it becomes an image
# named in German.
PAGE_JS = """
() => {
  const repair = () => {
    document.querySelectorAll('[aria-label="Static column"]:not([role])').forEach((icon) => {
      icon.setAttribute('role', 'img');
      icon.setAttribute('aria-label', 'Spalte nicht änderbar');
    });
  };
  repair();
  new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
}
"""


def _passage_attributes(doc_id: str, start: int, end: int) -> Markup:
    return Markup(' data-doc="{}" data-start="{}" data-end="{}"').format(doc_id, int(start), int(end))


def label(reference: str, title: str, doc_id: str) -> str:
    """How a document is named in lists: its number and subject, else its id."""
    name = f"Vorlage {reference}" if reference else doc_id
    return f"{name} – {title}" if title else name


# --- conversation ---------------------------------------------------------------------------------


def answer_text_html(text: str, citations: Iterable[Mapping[str, Any]]) -> Markup:
    """The answer with every known marker [n] turned into a button that opens the cited passage."""
    by_number = {int(c["n"]): c for c in citations}

    def marker(match: re.Match[str]) -> str:
        citation = by_number.get(int(match.group(1)))
        if citation is None:
            return match.group(0)
        return Markup('<button type="button" class="cite" title="{}"{}>[{}]</button>').format(
            label(citation["reference"], citation["title"], citation["doc_id"]),
            _passage_attributes(citation["doc_id"], citation["start"], citation["end"]),
            citation["n"],
        )

    escaped = str(escape(text))
    with_buttons = _MARKER.sub(marker, escaped)
    return Markup(_LIST_ITEM_AFTER_MARKER.sub(r"\1<br>\2", with_buttons))


def _short(text: str, limit: int = 220) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def sources_html(citations: Iterable[Mapping[str, Any]]) -> Markup:
    items = [
        Markup(
            '<li><button type="button" class="source-link"{}>[{}] {}{}</button> <span class="quote">„{}“</span></li>'
        ).format(
            _passage_attributes(c["doc_id"], c["start"], c["end"]),
            c["n"],
            label(c["reference"], c["title"], c["doc_id"]),
            f" ({c['section']})" if c.get("section") else "",
            _short(str(c["quote"])),
        )
        for c in citations
    ]
    if not items:
        return Markup("")
    return Markup('<p class="hint">Belege:</p><ol class="sources">{}</ol>').format(Markup("").join(items))


def related_html(hits: Iterable[Mapping[str, Any]]) -> Markup:
    items = [
        Markup(
            '<li><button type="button" class="hit-link"{}>{}</button><br><span class="quote">{}</span></li>'
        ).format(
            _passage_attributes(h["doc_id"], h["start"], h["end"]),
            label(h["reference"], h["title"], h["doc_id"]),
            snippet_html(str(h["snippet"])),
        )
        for h in hits
    ]
    if not items:
        return Markup("")
    return Markup('<p class="hint">Vielleicht relevant:</p><ul class="related">{}</ul>').format(
        Markup("").join(items)
    )


def ledger_rows_html(rows: Iterable[Mapping[str, Any]]) -> Markup:
    body = [
        Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
            r.get("organisation", ""),
            r.get("kind", ""),
            r.get("amount", ""),
            r.get("period", ""),
            r.get("years", ""),
        )
        for r in rows
    ]
    if not body:
        return Markup("")
    return Markup(
        '<table class="ledger-rows"><tr><th>Organisation</th><th>Art</th><th>Betrag</th>'
        "<th>Zeitraum</th><th>Jahre</th></tr>{}</table>"
    ).format(Markup("").join(body))


def answer_html(answer: Mapping[str, Any] | None) -> Markup:
    """One answer as JSON (Answer.to_json()); None while the assistant is still searching."""
    if answer is None:
        return Markup('<div class="answer pending" aria-busy="true">{}</div>').format(PENDING_TEXT)
    citations = answer.get("citations", [])
    classes = (
        "answer failed"
        if answer.get("failed")
        else "answer abstained"
        if answer.get("abstained")
        else "answer"
    )
    return Markup('<div class="{}">{}{}{}{}</div>').format(
        classes,
        answer_text_html(str(answer.get("answer") or "Keine Antwort erhalten."), citations),
        ledger_rows_html(answer.get("ledger_rows", []) if len(answer.get("ledger_rows", [])) > 1 else []),
        sources_html(citations),
        related_html(answer.get("related", [])),
    )


def transcript_html(turns: Iterable[Mapping[str, Any]]) -> str:
    """The conversation: each turn is {"question": str, "answer": Answer JSON or None}."""
    parts = [
        Markup('<div class="turn"><div class="question">{}</div>{}</div>').format(
            turn["question"], answer_html(turn.get("answer"))
        )
        for turn in turns
    ]
    if not parts:
        return str(
            Markup('<p class="hint">{}</p>').format(
                "Stellen Sie eine Frage zu den Ratsdokumenten – jede Aussage der Antwort ist mit einem "
                "Beleg [1] verknüpft, der die Textstelle zeigt."
            )
        )
    return str(Markup("").join(parts))


# --- search ---------------------------------------------------------------------------------------


def snippet_html(snippet: str) -> Markup:
    """A snippet whose matching words are wrapped in «» (Hit.snippet), with those words marked."""
    return Markup(_SNIPPET_MARK.sub(r"<mark>\1</mark>", str(escape(snippet))))


def hits_html(hits: Iterable[Any], note: str = "") -> str:
    items = [
        Markup(
            '<li class="hit"><button type="button" class="hit-link"{}>{}</button>'
            '<div class="meta">{}</div><div class="snippet">{}</div></li>'
        ).format(
            _passage_attributes(hit.doc_id, hit.start, hit.end),
            label(hit.reference, hit.title, hit.doc_id),
            " · ".join(part for part in (german_date(hit.date), hit.section) if part),
            snippet_html(hit.snippet),
        )
        for hit in hits
    ]
    heading = Markup('<p class="hint">{}</p>').format(note) if note else Markup("")
    if not items:
        return str(heading + Markup('<p class="hint">Keine Treffer.</p>'))
    return str(heading + Markup('<ol class="hits">{}</ol>').format(Markup("").join(items)))


# --- documents ------------------------------------------------------------------------------------


def committees_text(doc: Document) -> str:
    steps = []
    for step in doc.consultations:
        details = ", ".join(part for part in (german_date(step.date), step.resolution) if part)
        steps.append(f"{step.committee} ({details})" if details else step.committee)
    return "; ".join(steps)


def document_html(doc: Document, start: int = 0, end: int = 0) -> str:
    """The whole document with its metadata; text[start:end] is marked as the cited passage."""
    start = max(0, min(start, len(doc.text)))
    end = max(start, min(end, len(doc.text)))
    fields = [
        ("Nummer", doc.reference),
        ("Betreff", doc.title),
        ("Datum", german_date(doc.date)),
        ("Gremium", committees_text(doc)),
        ("Status", doc.status or "nicht angegeben"),
        ("Vorlage-Art", doc.doc_type),
        ("Körperschaft", doc.body),
        ("Dokument-ID", doc.doc_id),
    ]
    meta = Markup("").join(
        Markup("<dt>{}</dt><dd>{}</dd>").format(name, value) for name, value in fields if value
    )
    if doc.web.startswith(("https://", "http://")):  # never a javascript: or data: link
        meta += Markup(
            '<dt>Quelle</dt><dd><a href="{}" target="_blank" rel="noopener noreferrer">'
            "im Ratsinformationssystem öffnen</a></dd>"
        ).format(doc.web)
    if end > start:
        text = Markup('{}<mark class="passage">{}</mark>{}').format(
            doc.text[:start], doc.text[start:end], doc.text[end:]
        )
    else:
        text = escape(doc.text)
    # The text scrolls in its own box; as a labelled region in the tab order, it scrolls by keyboard too.
    return str(
        Markup(
            '<dl class="doc-meta">{}</dl>'
            '<div class="doc-text" tabindex="0" role="region" aria-label="Dokumenttext">{}</div>'
        ).format(meta, text)
    )


def message_html(text: str) -> str:
    return str(Markup('<p class="hint">{}</p>').format(text))


def upload_results_html(lines: Iterable[tuple[str, str, bool]]) -> str:
    """One line per uploaded file: its name, what happened, and whether it succeeded."""
    items = [
        Markup('<li class="{}">{} {}</li>').format(
            "outcome-ok" if ok else "outcome-failed",
            "✓" if ok else "✗",
            text if text.startswith(f"{name}:") else f"{name}: {text}",
        )
        for name, text, ok in lines
    ]
    return str(Markup('<ul class="upload-results">{}</ul>').format(Markup("").join(items)))


def upload_note_html(uploads: Iterable[Mapping[str, Any]]) -> str:
    """Below the preview: what to check before indexing, and why a file cannot be indexed."""
    uploads = list(uploads)
    problems = [(Path(str(u["path"])).name, str(u["problem"]), False) for u in uploads if u.get("problem")]
    parts: list[Markup] = []
    if any(u["ready"] for u in uploads):
        parts.append(
            Markup('<p class="hint">{}</p>').format(
                "Bitte Nummer, Betreff, Status und Gremium prüfen (die Zellen sind änderbar, mehrere Gremien "
                "mit „;“ trennen) und dann „Indexieren“ wählen."
            )
        )
    if problems:
        parts.append(Markup(upload_results_html(problems)))
    return str(Markup("").join(parts))
