"""The layout of a document for the facts reader: its sentences, table rows, list items and headings,
each knowing its paragraph and section (sentences come from `ingest.german.sentences`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ingest.german.sections import KOPF, TEXT, section_heading
from ingest.german.sentences import LIST_MARKER, continues_wrapped_line, sentence_spans
from ingest.types import Section


@dataclass(frozen=True)
class Sentence:
    """A sentence (or table row, list item, heading) of the document, with where it stands."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    section: int
    role: str  # text, list, row, heading, header (the Kopf block of Betreff, Status …)


def layout(text: str, sections: list[Section]) -> list[Sentence]:
    """The document cut into sentences, each knowing its paragraph and section."""
    sentences: list[Sentence] = []
    for paragraph, (start, end, role) in enumerate(_paragraphs(text, sections)):
        section = _section_index(sections, start)
        whole = role in ("row", "heading", "header")
        pieces = [(start, end)] if whole else sentence_spans(text, start, end)
        for piece_start, piece_end in pieces:
            sentences.append(
                Sentence(
                    len(sentences),
                    piece_start,
                    piece_end,
                    text[piece_start:piece_end],
                    paragraph,
                    section,
                    role,
                )
            )
    return sentences


def _paragraphs(text: str, sections: list[Section]) -> list[tuple[int, int, str]]:
    """Spans of paragraphs: a line, or several when a long line was wrapped without final punctuation."""
    header = [(s.start, s.end) for s in sections if s.name == KOPF]
    heading_starts = {s.start for s in sections if s.name not in (KOPF, TEXT)}
    paragraphs: list[tuple[int, int, str]] = []
    offset = 0
    previous = ""
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        stripped = line.strip()
        start = offset + len(line) - len(line.lstrip())
        end = offset + len(line.rstrip())
        offset += len(raw) + 1
        if not stripped:
            previous = ""
            continue
        role = _line_role(stripped, start, header, heading_starts)
        if (
            paragraphs
            and role == "text"
            and paragraphs[-1][2] in ("text", "list")
            and continues_wrapped_line(previous, stripped)
        ):
            paragraphs[-1] = (paragraphs[-1][0], end, paragraphs[-1][2])
        else:
            paragraphs.append((start, end, role))
        previous = stripped
    return paragraphs


def _line_role(line: str, start: int, header: list[tuple[int, int]], heading_starts: set[int]) -> str:
    if "|" in line:
        return "row"
    if any(s <= start < e for s, e in header):
        return "header"
    if section_heading(line) is not None or start in heading_starts:
        return "heading"
    if LIST_MARKER.match(line):
        return "list"
    return "text"


def _section_index(sections: list[Section], position: int) -> int:
    index = bisect_right([s.start for s in sections], position) - 1
    return index if index >= 0 and position < sections[index].end else -1
