"""HTML pages of council information systems (ALLRIS, SessionNet …) as text lines.

Navigation, scripts, styles and forms are dropped; headings and paragraphs become lines (a blank
line before each heading), table rows become "a | b | c" lines, label/value rows and <dl> lists
become "Label: value" lines. lxml only parses the markup; nothing in the page is executed or fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html

from ingest.parsers import finish_text, spend, table_row_lines
from ingest.parsers.text import decode_bytes
from ingest.types import IngestError

MAX_HTML_BYTES = 20 * 1024 * 1024

_SKIPPED_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
        "select", "textarea", "iframe", "object", "embed", "svg", "math", "canvas", "audio", "video",
    }
)  # fmt: skip
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = _HEADING_TAGS | {
    "p", "div", "section", "article", "main", "header", "li", "ul", "ol", "blockquote", "pre",
    "address", "figure", "figcaption", "caption", "center", "fieldset", "hr", "tr", "td", "th",
}  # fmt: skip
# id/class words that mark site chrome rather than document content.
_CHROME_WORD = re.compile(
    r"(?:^|[-_])(?:nav|navi|navigation|navbar|menu|menue|footer|breadcrumbs?|skiplinks?)(?:$|[-_])"
)
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# HTML never declares entities; a page that does is built to blow up an XML parser.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)


def extract_text(path: Path) -> str:
    if path.stat().st_size > MAX_HTML_BYTES:
        raise IngestError(f"{path.name}: HTML-Datei ist größer als 20 MB und wird nicht verarbeitet.")
    markup = _decode_markup(path.read_bytes(), path.name)
    if not markup.strip():
        return finish_text("", path)
    root = _parse_markup(markup, path.name)
    system = _information_system(root)
    _drop_chrome(root)
    _space_out_blocks(root)
    text = "\n".join(_text_lines(root))
    if system and text.strip():
        text = f"[Quelle: {system}]\n{text}"
    spend(path, len(text))
    return finish_text(text, path)


def _decode_markup(data: bytes, name: str) -> str:
    """Valid UTF-8 wins over a declared charset: pages saved as UTF-8 often still declare Latin-1."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, name)


def _parse_markup(markup: str, name: str) -> lxml.html.HtmlElement:
    if _ENTITY_DECLARATION.search(markup):
        raise IngestError(f"{name}: HTML-Datei enthält Entity-Deklarationen und wird nicht verarbeitet.")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as error:
        raise IngestError(f"{name}: HTML-Datei konnte nicht gelesen werden ({error}).") from error
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        # libxml2 silently cuts off everything nested deeper than 255 elements.
        raise IngestError(f"{name}: HTML-Datei ist zu tief verschachtelt und wird nicht verarbeitet.")
    return root


# "Bürgerinformationssystem Ostalbkreis", "Ratsinformationssystem der Stadt Lahr": the page's
# navigation or title often is the only place that names the council.
_INFORMATION_SYSTEM = re.compile(
    r"\b(?:Bürger|Rats|Kreistags)informationssystem\w*\s+(?:de[rs]\s+)?"
    r"(?P<council>[A-ZÄÖÜ][\w.\-]*(?:\s+[A-ZÄÖÜ][\w.\-]*|\s+(?:a\.|an|am|im|in|ob|vor)\s+[\w.\-]+){0,3}?)"
    r"(?=\s*(?:[|»›>–\-:/,]|$))"  # the name ends where the menu does: "… Ostalbkreis » Tagesordnung"
)


# Menu entries of council information systems, which may follow the system's name without a separator.
_MENU_WORDS = frozenset(
    ["Startseite", "Home", "Suche", "Recherche", "Sitzungskalender", "Kalender", "Sitzungen", "Gremien",
     "Tagesordnung", "Vorlagen", "Drucksachen", "Fraktionen", "Mandatsträger", "Personen", "Übersicht", "Login",
     "Anmelden", "Menü", "Navigation", "Impressum", "Datenschutz", "Hilfe"]
)  # fmt: skip


def _information_system(root: lxml.html.HtmlElement) -> str:
    """ "Bürgerinformationssystem Ostalbkreis" from the page's title or site chrome, or ""."""
    for element in root.iter("title", "nav", "header"):
        text = " ".join(element.text_content().split())
        found = _INFORMATION_SYSTEM.search(text)
        if found:
            words = found.group("council").split()
            name = words[: next((i for i, w in enumerate(words) if w in _MENU_WORDS), len(words))]
            if name:
                return f"{text[found.start() : found.start('council')]}{' '.join(name)}"
    return ""


def _drop_chrome(root: lxml.html.HtmlElement) -> None:
    """Remove navigation, scripts, hidden parts and the like (keeping the text that follows them)."""
    for element in [element for element in root.iter() if _is_chrome(element)]:
        if element.getparent() is not None:
            element.drop_tree()


def _is_chrome(element: lxml.html.HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return True
    if element.tag.lower() in _SKIPPED_TAGS or element.get("hidden") is not None:
        return True
    if element.get("role") == "navigation" or element.get("aria-hidden") == "true":
        return True
    if "display:none" in (element.get("style") or "").replace(" ", "").lower():
        return True
    words = f"{element.get('id') or ''} {element.get('class') or ''}".lower().split()
    return any(_CHROME_WORD.search(word) for word in words)


def _space_out_blocks(root: lxml.html.HtmlElement) -> None:
    """Put spaces around block elements, so the flat text of a table cell keeps its words apart."""
    for element in root.iter():
        if _tag(element) in _BLOCK_TAGS | {"br", "dt", "dd", "table", "dl"}:
            element.text = " " + (element.text or "")
            element.tail = " " + (element.tail or "")


def _text_lines(root: lxml.html.HtmlElement) -> list[str]:
    """The lines of the page, walked without recursion so deep nesting cannot exhaust the stack."""
    lines = _Lines()
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = _tag(element)
        if event == "start":
            if tag in ("table", "dl"):
                lines.add_lines(_table_lines(element) if tag == "table" else _definition_lines(element))
                walker.skip_subtree()
            elif tag == "br":
                lines.end_line()
            else:
                if tag in _BLOCK_TAGS:
                    lines.start_block(is_heading=tag in _HEADING_TAGS)
                lines.add_inline(element.text)
        else:
            if tag in _BLOCK_TAGS:
                lines.end_line()
            if element is not root:
                lines.add_inline(element.tail)
    return lines.finish()


class _Lines:
    """Text lines being collected; inline text accumulates until a block ends the line."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._inline: list[str] = []

    def add_inline(self, text: str | None) -> None:
        if text:
            self._inline.append(text)

    def start_block(self, is_heading: bool) -> None:
        self.end_line()
        if is_heading and self._lines:
            self._lines.append("")

    def end_line(self) -> None:
        line = " ".join("".join(self._inline).split())
        self._inline.clear()
        if line:
            self._lines.append(line)

    def add_lines(self, lines: list[str]) -> None:
        self.end_line()
        self._lines.extend(lines)

    def finish(self) -> list[str]:
        self.end_line()
        return self._lines


def _table_lines(table: lxml.html.HtmlElement) -> list[str]:
    lines: list[str] = []
    for row in table.iter("tr"):
        if next(row.iterancestors("table"), None) is table:  # not the rows of a table nested in a cell
            cells = [_flat_text(cell) for cell in row if _tag(cell) in ("td", "th")]
            lines.extend(table_row_lines(cells))
    return lines


def _definition_lines(definition_list: lxml.html.HtmlElement) -> list[str]:
    """<dt>Betreff</dt><dd>…</dd> becomes "Betreff: …"."""
    lines: list[str] = []
    term = ""
    for item in definition_list:
        if _tag(item) == "dt":
            lines.extend([term] if term else [])
            term = _flat_text(item)
        elif _tag(item) == "dd":
            label = term if not term or term.endswith(":") else f"{term}:"
            lines.append(f"{label} {_flat_text(item)}".strip())
            term = ""
    lines.extend([term] if term else [])
    return lines


def _flat_text(element: lxml.html.HtmlElement) -> str:
    """The text of a cell or list item on one line (nested tables included)."""
    return " ".join("".join(element.itertext()).split())


def _tag(element: lxml.html.HtmlElement) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""
