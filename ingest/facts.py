"""The facts ledger: every amount of money and every membership a council document states.

A council member wants "all memberships and their costs at a glance" and exact figures in answers.
`extract_facts` reads a Document's text with plain rules (no model) and returns one `Fact` per amount
(or statement of membership): whom the money concerns (the organisation), what kind of payment it is,
for which period and years, who pays, what the organisation is for, and the sentence it was read from.

The rules are general, not lists of names: organisations are found by their legal form ("… GmbH",
"… e.V."), by a type word with a name ("Verein X", "Netzwerk X", "Metropolregion X", a compound such
as "Zweckverband" or "Strukturentwicklungsfonds"), by quotes, and, once named, by shorter mentions
("die Gesellschaft", "der Verein", an acronym made of the name's initials).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.german.numbers import Amount, parse_amount
from ingest.german.places import (
    BODY_WORDS,
    FUNDING_BODY_TYPE,
    LOCAL_BODY_TYPE,
    PLACE_WORD,
    STATE_LEVEL,
    body_family,
    body_type,
)
from ingest.german.sections import KOPF, section_heading, split_sections
from ingest.german.sentences import LIST_MARKER, is_wrapped_line, sentence_spans
from ingest.german.words import stem, word_set
from ingest.metadata import read_body, read_title
from ingest.types import Document, Fact, Section

MEMBERSHIP = "Mitgliedschaft"
DEFAULT_KIND = "Betrag"
YEARLY = "jährlich"
ONE_OFF = "einmalig"

# ----------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Sentence:
    """A sentence (or table row, list item, heading) of the document, with where it stands."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    section: int
    role: str  # text, list, row, heading, header (the Kopf block of Betreff, Status …)


def _layout(text: str, sections: list[Section]) -> list[_Sentence]:
    """The document cut into sentences, each knowing its paragraph and section."""
    sentences: list[_Sentence] = []
    for paragraph, (start, end, role) in enumerate(_paragraphs(text, sections)):
        section = _section_index(sections, start)
        whole = role in ("row", "heading", "header")
        pieces = [(start, end)] if whole else sentence_spans(text, start, end)
        for piece_start, piece_end in pieces:
            sentences.append(
                _Sentence(
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
    starts_of_sections = {s.start for s in sections}
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
        role = _line_role(stripped, start, header, starts_of_sections)
        if (
            paragraphs
            and role == "text"
            and paragraphs[-1][2] in ("text", "list")
            and is_wrapped_line(previous)
        ):
            paragraphs[-1] = (paragraphs[-1][0], end, paragraphs[-1][2])
        else:
            paragraphs.append((start, end, role))
        previous = stripped
    return paragraphs


def _line_role(line: str, start: int, header: list[tuple[int, int]], section_starts: set[int]) -> str:
    if "|" in line:
        return "row"
    if any(s <= start < e for s, e in header):
        return "header"
    if section_heading(line) is not None or (start in section_starts and _is_short_heading(line)):
        return "heading"
    if LIST_MARKER.match(line):
        return "list"
    return "text"


def _is_short_heading(line: str) -> bool:
    return len(line) <= 60 and line[-1] not in ".!?,;" and len(line.split()) <= 6


def _section_index(sections: list[Section], position: int) -> int:
    index = bisect_right([s.start for s in sections], position) - 1
    return index if index >= 0 and position < sections[index].end else -1


# ---------------------------------------------------------------------------------- organisations

_TOKEN = re.compile(r"e\.\s?[VG]\.|[^\W\d_]\w*(?:[.\-][^\W\d_]\w*)*|\d+(?:[.,]\d+)*|[^\w\s]")
_LEGAL_FORMS = frozenset({"gGmbH", "GmbH", "mbH", "e.V.", "e. V.", "eG", "e.G.", "e. G.", "AG", "KG"})
_LEGAL_FORMS |= frozenset({"KGaA", "GbR", "AöR", "UG", "SE"})
_COMPANY_FORMS = word_set("gGmbH GmbH mbH AG KG KGaA UG SE")
_TYPE_WORD = re.compile(
    r"(?P<prefix>[^\W\d_]*?)(?P<type>verein|verband|netzwerk|gemeinschaft|allianz|stiftung|genossenschaft"
    r"|gesellschaft|fonds|metropolregion|agentur|vereinigung)(?P<ending>e?s)?",
    re.IGNORECASE,
)
_FUNCTION_WORDS = word_set(
    "der die das dem den des ein eine einem einen einer eines im ins am zum zur vom beim dieser diese "
    "dieses diesem diesen jeder jede jedes kein keine sein seine seinem seinen ihr ihre ihrem ihren "
    "unser unsere alle beide mehrere und oder sowie in mit für bei auch nach vor seit ab als um aus "
    "zu über unter durch gegen ohne bis wegen dafür damit darüber zudem zusätzlich bisher danach "
    "hinzu zusammen insgesamt ob wenn dass da so es er sie wir nachdem nr von an auf dazu daher "
    "deshalb außerdem jedoch aber sofern soweit falls wie was wer wo zunächst derzeit heute"
)
_RELATION_WORD = re.compile(
    r"^(?:mitglied|beitritt|austritt|beteiligung|gesellschafter|geschäftsführ|gründung|verschmelzung"
    r"|vertrag|satzung|kündigung|vertret|übersicht|sitzung|antr[aä]g|erhöhung|anpassung|zusch[uü]ss"
    r"|förderung|verteilung|bericht|vorstellung|planung|haushalt)|(?:beitrag|beiträge|beitrags|beitrages"
    r"|anteil|anteile|umlage)$"
)
_BODY_WORDS = BODY_WORDS | word_set("rat kreistag kreisausschuss verwaltung")
_TIME_WORDS = word_set("jahr jahre jahren jahres haushaltsjahr zeit zeitraum monat monate quartal")
_DEFINITE = word_set("der die das dem den des im ins am zum zur vom beim dieser diese dieses diesem diesen")
_ANAPHOR_WORDS = {"unternehmen": "gesellschaft", "unternehmens": "gesellschaft", "gmbh": "gmbh", "ag": "gmbh"}
_QUOTED = re.compile(r"[„\"“»]([A-ZÄÖÜ][^„\"“”»«\n]{1,80}?)[“”\"«]")
_DEFINED_ABBREVIATION = re.compile(r"\s*\(([A-ZÄÖÜ][A-ZÄÖÜ0-9&\-]{1,9})\)")
_ADJECTIVE = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:er|en|es|e|em)")
_PAYER_BEFORE = re.compile(
    r"(?:(?:aus\s+(?:den\s+)?Mitteln|finanziert\s+(?:durch|von))\s+(?:des|der|dem|den)?|\bvon\s+(?:der|dem)|\bvom)\s*$"
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


@dataclass
class _Mention:
    """Where a sentence names (or refers back to) an organisation."""

    start: int
    end: int
    surface: str
    rule: str  # legal, quoted, type, known, acronym, anaphor
    type_word: str = ""  # for anaphors: verein, gesellschaft, netzwerk …
    canonical: str = ""
    is_payer: bool = False

    @property
    def is_name(self) -> bool:
        return self.rule in ("legal", "quoted", "type", "known")


def _tokens(text: str, offset: int) -> list[_Token]:
    return [_Token(m.group(), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_name_word(word: str) -> bool:
    """A word that can be part of an organisation's name: capitalised, not a function or relation word."""
    lowered = word.lower()
    return (
        _is_capitalised(word)
        and lowered not in _FUNCTION_WORDS
        and lowered not in _BODY_WORDS
        and not _RELATION_WORD.search(lowered)
        and word not in _LEGAL_FORMS
    )


def _type_of(word: str) -> tuple[str, bool] | None:
    """("verein", is_compound) for "Verein"/"Eifelverein", None for words that are no organisation type."""
    match = _TYPE_WORD.fullmatch(word)
    if match is None or not _is_capitalised(word):
        return None
    return match.group("type").lower(), bool(match.group("prefix"))


def _name_mentions(text: str, offset: int) -> list[_Mention]:
    """Organisation names in one sentence, before choosing among overlapping ones."""
    tokens = _tokens(text, offset)
    mentions = _quoted_mentions(text, offset)
    mentions += _legal_form_mentions(tokens)
    mentions += _type_word_mentions(tokens)
    return mentions


def _quoted_mentions(text: str, offset: int) -> list[_Mention]:
    mentions = []
    for match in _QUOTED.finditer(text):
        name = match.group(1).strip()
        if len(name.split()) <= 8 and not re.search(r"[:;!?]", name):
            start = offset + match.start(1)
            mentions.append(_Mention(start, start + len(name), name, "quoted"))
    return mentions


def _legal_form_mentions(tokens: list[_Token]) -> list[_Mention]:
    """Names ending in a legal form: "Allianz für die Region GmbH", "Lit.Eifel e.V." …"""
    mentions = []
    for index, token in enumerate(tokens):
        if token.text not in _LEGAL_FORMS:
            continue
        first = _name_start_before(tokens, index)
        if first < index:
            surface_start, surface_end = tokens[first].start, token.end
            mentions.append(_Mention(surface_start, surface_end, "", "legal"))
    return mentions


_CONNECTORS: tuple[tuple[str, ...], ...] = (
    ("für", "die"),
    ("für", "den"),
    ("für", "das"),
    ("in", "der"),
    ("an", "der"),
    ("für",),
    ("und",),
    ("&",),
    ("zur",),
    ("zum",),
    ("im",),
    ("am",),
)


def _name_start_before(tokens: list[_Token], index: int) -> int:
    """Index of the first word of the name that ends just before tokens[index] (a legal form)."""
    first = index
    position = index - 1
    while position >= 0 and index - position <= 10:
        word = tokens[position].text
        if _is_name_word(word) and _type_of(word) != ("verein", False):
            first = position
            position -= 1
            continue
        founded = _founding_year_before(tokens, position)  # "TSV Heidestadt von 1890 e.V."
        if founded:
            position -= founded
            continue
        connector = _connector_ending_at(tokens, position)
        if connector and first < index and _left_run_is_name(tokens, position - connector):
            position -= connector
            continue
        break
    return first


def _founding_year_before(tokens: list[_Token], position: int) -> int:
    """2 when the words up to `position` read "Name von 1890" (as in "TSV Heidestadt von 1890 e.V.")."""
    if position < 2 or not re.fullmatch(r"1[89]\d\d|20\d\d", tokens[position].text):
        return 0
    return 2 if tokens[position - 1].text == "von" and _is_name_word(tokens[position - 2].text) else 0


def _connector_ending_at(tokens: list[_Token], position: int) -> int:
    for connector in _CONNECTORS:
        size = len(connector)
        words = tuple(t.text.lower() for t in tokens[max(0, position - size + 1) : position + 1])
        if position - size + 1 >= 0 and words == connector:
            return size
    return 0


def _left_run_is_name(tokens: list[_Token], position: int) -> bool:
    """Whether the words ending at `position` start a name (after an article, a type word, a quote …)."""
    if position < 0 or not _is_name_word(tokens[position].text):
        return False
    while position >= 0 and _is_name_word(tokens[position].text):
        position -= 1
    if position < 0:
        return True
    before = tokens[position].text
    lowered = before.lower()
    if lowered in _BODY_WORDS or _RELATION_WORD.search(lowered):
        return False
    return lowered in _FUNCTION_WORDS or not before[0].isalnum() or _type_of(before) is not None


def _type_word_mentions(tokens: list[_Token]) -> list[_Mention]:
    """Names made with a type word ("Netzwerk X", "Zweckverband") and back-references ("der Verein")."""
    mentions = []
    for index, token in enumerate(tokens):
        kind = _type_of(token.text)
        anaphor_type = _ANAPHOR_WORDS.get(token.text.lower())
        if kind is None and anaphor_type is None:
            continue
        previous = tokens[index - 1].text.lower() if index else ""
        if kind is not None:
            last = _type_name_end(tokens, index, kind[0])
            if last > index or kind[1]:
                first = index - 1 if index and _is_adjective_of_name(tokens[index - 1].text) else index
                genitive = tokens[index + 1].text in ("der", "des") if last > index else False
                with_form = genitive and last + 1 < len(tokens) and tokens[last + 1].text in _LEGAL_FORMS
                last, rule = (last + 1, "legal") if with_form else (last, "type")
                mentions.append(_Mention(tokens[first].start, tokens[last].end, "", rule))
                continue
            if index + 1 < len(tokens) and tokens[index + 1].text in '„"“»':
                continue  # Verein "X e.V.": the quoted name is the mention
            anaphor_type = kind[0]
        if anaphor_type and previous in _DEFINITE:
            mentions.append(_Mention(token.start, token.end, token.text, "anaphor", anaphor_type))
    return mentions


def _is_adjective_of_name(word: str) -> bool:
    """An adjective that belongs to the name: "Rheinischer Verein …", "Kommunaler …fonds"."""
    lowered = word.lower()
    return bool(_ADJECTIVE.fullmatch(word)) and lowered not in _FUNCTION_WORDS and _is_name_word(word)


def _type_name_end(tokens: list[_Token], index: int, kind: str) -> int:
    """Index of the last word of the name a type word starts ("Verband Region Starkenburg")."""
    last = index
    position = index + 1
    seen_for = False
    genitive = False
    while position < len(tokens):
        word = tokens[position].text
        lowered = word.lower()
        if _continues_type_name(word, genitive):
            last = position
            position += 1
            continue
        step = _step_over_connector(tokens, position, seen_for, genitive)
        if step:
            seen_for = seen_for or lowered == "für"
            position += step
            continue
        if _starts_genitive_name(tokens, position, kind) and last == index:
            genitive = True  # "Verein der Kommunen …", "Kreisverband des Landvolks"
            position += 1
            continue
        break
    return last


def _starts_genitive_name(tokens: list[_Token], position: int, kind: str) -> bool:
    following = tokens[position + 1].text if position + 1 < len(tokens) else ""
    return (
        tokens[position].text in ("der", "des")
        and kind in ("verein", "verband")
        and _is_capitalised(following)
    )


def _continues_type_name(word: str, genitive: bool) -> bool:
    lowered = word.lower()
    if genitive:
        return _is_capitalised(word) and lowered not in _FUNCTION_WORDS
    if word in _COMPANY_FORMS:
        return True
    return _is_name_word(word) and lowered not in _TIME_WORDS and _type_of(word) is None


def _step_over_connector(tokens: list[_Token], position: int, seen_for: bool, genitive: bool) -> int:
    lowered = tokens[position].text.lower()
    if lowered == "für":
        step = 2 if position + 1 < len(tokens) and tokens[position + 1].text.lower() in _DEFINITE else 1
    elif lowered in ("und", "&") and seen_for:
        step = 1
    elif genitive and lowered == "in" and position + 1 < len(tokens) and tokens[position + 1].text == "der":
        step = 2
    else:
        return 0
    following = position + step
    if following >= len(tokens):
        return 0
    word = tokens[following].text
    if genitive:
        return step if _is_capitalised(word) and word.lower() not in _FUNCTION_WORDS else 0
    return step if _continues_type_name(word, False) and word not in _COMPANY_FORMS else 0


def _without_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    rank = {"legal": 0, "quoted": 0, "known": 1, "type": 1, "acronym": 2, "anaphor": 3}
    chosen: list[_Mention] = []
    for mention in sorted(mentions, key=lambda m: (rank[m.rule], m.start - m.end, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


def _legal_form_of(surface: str) -> str:
    last = _tokens(surface, 0)[-1].text if surface.strip() else ""
    return last if last in _LEGAL_FORMS else ""


def _without_legal_form(surface: str) -> str:
    form = _legal_form_of(surface)
    return surface[: len(surface) - len(form)].strip() if form else surface


def _name_key(surface: str) -> tuple[str, ...]:
    """The name without legal form and inflection: "Kommunaler Strukturentwicklungsfonds" = "…en …"."""
    words = re.findall(r"[^\W_][\w.\-]*", _without_legal_form(surface))
    return tuple(stem(word.rstrip(".")) for word in words)


def _initials(surface: str) -> set[str]:
    words = [w for w in _without_legal_form(surface).split() if _is_capitalised(w)]
    initials = {"".join(w[0] for w in words)}
    if len(words) > 2 and _type_of(words[0]) is not None:
        initials.add("".join(w[0] for w in words[1:]))
    return {i.upper() for i in initials if len(i) >= 3}


def _matches_type(type_word: str, canonical: str) -> bool:
    lowered = canonical.lower()
    form = _legal_form_of(canonical)
    if type_word in ("gesellschaft", "gmbh"):
        return form in _COMPANY_FORMS or "gesellschaft" in lowered
    if type_word == "verein":
        return form in ("e.V.", "e. V.") or "verein" in lowered
    if type_word == "genossenschaft":
        return form in ("eG", "e.G.", "e. G.") or type_word in lowered
    return type_word in lowered


# ------------------------------------------------------------------------------- bodies (payers)

_BODY = re.compile(
    rf"\b(?P<type>{LOCAL_BODY_TYPE}|{FUNDING_BODY_TYPE})\b(?:\s+(?P<name>{PLACE_WORD}(?:\s+{PLACE_WORD}){{0,3}}))?"
)
_PAYER_PREPOSITION = re.compile(
    r"(?:\b(?:für|auf|durch)\s+(?:den|die|das)|\bvom|\bvon\s+der|\bvon\s+dem|\bbeim|\bbei\s+der"
    r"|(?:beitr|zusch|anteil|kosten)\w*\s+(?:der|des))\s+$",
    re.IGNORECASE,
)
_RECEIVES = re.compile(r"\b(?:erhält|erhalten|bekommt|bekommen)\b")


@dataclass(frozen=True)
class _Body:
    """A Landkreis, Stadt, Gemeinde … mentioned in a sentence; `name` empty for "der Landkreis"."""

    start: int
    end: int
    type: str
    name: str

    @property
    def full(self) -> str:
        return f"{self.type} {self.name}" if self.name else self.type


def _bodies(text: str) -> list[_Body]:
    bodies = []
    for match in _BODY.finditer(text):
        nominative = body_type(match.group("type"))
        name = _place_name(match.group("name") or "")
        if nominative == "Land" and not name:
            continue
        end = match.start("name") + len(name) if name else match.end("type")
        bodies.append(_Body(match.start(), end, nominative, name))
    return bodies


def _place_name(name: str) -> str:
    """A place name without trailing common nouns: "Peine", "Hann. Münden", "Amt Neuhaus"."""
    words = name.split()
    kept: list[str] = []
    for word in words:
        if word.lower() in _FUNCTION_WORDS or _type_of(word) or _RELATION_WORD.search(word.lower()):
            break
        kept.append(word)
    return " ".join(kept)


# ------------------------------------------------------------------------- kind, period and years

_KINDS: tuple[tuple[str, str], ...] = (
    ("Mitgliedsbeitrag", r"(?:mitglieds?|mitglieder|jahres)beitr\w*"),
    ("Gesellschafterbeitrag", r"gesellschafter(?:beitr|zusch|einlage)\w*"),
    ("Projektbeitrag", r"projekt\w*beitr\w*"),
    ("Umlage", r"\w*umlage\w*"),
    ("Zuschuss", r"\w*zusch(?:uss|üss|uß)\w*|\w*zuwendung\w*|fördermittel\w*|förderbetr\w*"),
    ("Kaufpreis", r"(?:an|ver)?kaufpreis\w*"),
    ("Preis", r"\w*preis(?:e|es)?"),
    ("Verkehrswert", r"verkehrswert\w*|bodenrichtwert\w*"),
    ("Fehlbetrag", r"\w*fehlbetr\w*|defizit\w*"),
    ("Einsparung", r"einspar\w*|eingespart|ersparnis\w*|minderaufw\w*"),
    ("Mehrkosten", r"mehr(?:aufw|kosten|ausgab)\w*"),
    ("Investition", r"investition\w*"),
    ("Einnahme", r"\w*einnahme\w*|ertr(?:ag|äge)\w*|erlös\w*"),
    ("Entlastung", r"entlastung\w*"),
    ("Zuweisung", r"\w*zuweisung\w*"),
    ("Haushaltsansatz", r"\w*ans(?:atz|ätze)\w*"),
    ("Darlehen", r"\w*darlehen\w*|kredit\w*"),
    ("Gebühr", r"\w*gebühr\w*"),
    ("Eigenanteil", r"eigenanteil\w*"),
    ("Kosten", r"\w*kosten\w*|\w*aufwand\w*|aufwendung\w*|aufwenden|aufzuwenden|\w*ausgaben?"),
    ("Beitrag", r"beitr(?:ag|äge|ags|ages|ägen)"),
)
_KIND_WORD = re.compile("|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(_KINDS)))
_GENERIC_KINDS = frozenset({"Kosten", "Beitrag"})
_SPECIFIC_CONTRIBUTIONS = ("Mitgliedsbeitrag", "Gesellschafterbeitrag", "Projektbeitrag")
_PAYMENT_KINDS = frozenset(
    {"Zuschuss", "Mitgliedsbeitrag", "Gesellschafterbeitrag", "Projektbeitrag", "Beitrag", "Umlage"}
    | {"Kaufpreis", "Preis", "Kosten", "Mehrkosten", "Investition", "Darlehen", "Gebühr", "Eigenanteil"}
    | {"Einsparung", DEFAULT_KIND}
)
_YEARLY = re.compile(
    r"\bjährlich\w*|\bpro\s+jahr\b|\bje\s+jahr\b|\bim\s+jahr\b(?!\s*\d)|\bjahres(?:beitr|kosten|zusch|umlage)\w*"
    r"|\bp\.\s?a\.|\bper\s+annum\b|\bund\s+jahr\b|/\s?jahr\b",
    re.IGNORECASE,
)
_ONE_OFF = re.compile(r"\beinmalig\w*|\beinmal\b", re.IGNORECASE)
_RUNNING = re.compile(r"^\s*laufend\w*\b", re.IGNORECASE)
_YEAR = r"(?:19|20)\d\d"
_YEAR_EXPRESSION = re.compile(
    rf"(?P<prefix>\b(?:ab|seit|bis)\b(?:\s+(?:dem|zum|Ende|Anfang|Mitte))?"
    rf"(?:\s+(?:Haushaltsjahr|Wirtschaftsjahr|Jahr))?\s+)?"
    rf"(?:\b(?:Haushaltsjahre?|Wirtschaftsjahr|Jahre?n?)\s+)?"
    rf"(?:(?P<date>\d{{1,2}}\.\s?\d{{1,2}}\.\s?)|(?<![\d./,]))"
    rf"(?P<first>{_YEAR})(?![\d]|/(?!{_YEAR}\b)|er\b|er-|\.\d)"
    rf"(?:\s*(?:bis|-|–|/)\s*(?P<last>{_YEAR})(?![\d/]))?",
    re.IGNORECASE,
)
_RIGHT_ATTACHED_YEAR = re.compile(r"[\s(]*(?:im|für|in)?\s*(?:das\s+)?$", re.IGNORECASE)
_GROUP_GAP = re.compile(r"\s*(?:auf|bis|bis\s+zu|und|oder|um|-|–|bzw\.)\s*(?:etwa|rund|ca\.|knapp)?\s*")
_TOTAL = re.compile(r"\b(?:Zusammen|zusammen|Insgesamt|insgesamt|Summe|gesamt)\b")


@lru_cache(maxsize=4096)
def _kind_of_word(word: str) -> str:
    """The kind of payment a word names ("Jahresbeitrag" → "Mitgliedsbeitrag"), else ""."""
    match = _KIND_WORD.fullmatch(word.lower())
    return _KINDS[int(match.lastgroup[1:])][0] if match and match.lastgroup else ""


def _kinds_in(text: str) -> list[tuple[int, str]]:
    """(position, kind) of every word in `text` that names a kind of payment."""
    found = []
    for match in re.finditer(r"[^\W\d_]+", text):
        kind = _kind_of_word(match.group())
        if kind:
            found.append((match.start(), kind))
    return found


def _nearest_kind(found: list[tuple[int, str]]) -> str:
    """The last specific kind before the amount, else the last generic one ("Kosten", "Beitrag")."""
    specific = [kind for _, kind in found if kind not in _GENERIC_KINDS]
    if specific:
        return specific[-1]
    return found[-1][1] if found else ""


def _year_label(match: re.Match[str]) -> str:
    first, last = match.group("first"), match.group("last")
    if last:
        return f"{first}-{last}"
    prefix = (match.group("prefix") or "").split()
    return f"{prefix[0].lower()} {first}" if prefix else first


# ---------------------------------------------------------------------------------------- purpose

_PURPOSE_VERB = re.compile(
    r"\b(?:bündel[tn]|förder[tn]|vermarkt\w*|veranstalt\w*|dien(?:t|en)|unterstütz\w*|verbind(?:et|en)"
    r"|betreib(?:t|en)|koordinier\w*|organisier\w*|vertr(?:itt|eten)|berät|beraten|vernetz\w*"
    r"|zuständig|kümmer(?:t|n)\s+sich|engagier(?:t|en)\s+sich|setz(?:t|en)\s+sich\b[^.]{0,80}\bein)\b"
    r"|\bZusammenschluss\b|\bhat\s+(?:die|zur)\s+Aufgabe\b|\bZweck\b"
)
_DEFINITION = re.compile(r"\bist\s+(?:\w+\s+){0,2}?(?:ein|eine|einer)\b")
_PRONOUN = re.compile(r"\b(?:sie|er|Sie|Er)\b")
# What may stand before the subject of a sentence: a list marker, an article, a type word, a quote.
_SUBJECT_PREFIX = re.compile(
    r"\W*(?:\d{1,2}[.)]\s*)?(?:(?:Der|Die|Das|Dem|Den)\s+)?(?P<type>\w+\s+)?[„\"“»]?"
)
_PURPOSE_SUBJECT_PREFIX = re.compile(
    r"\W*(?:\d{1,2}[.)]\s*)?(?:(?:Der|Die|Das|Mit\s+(?:dem|der))\s+)?(?P<type>\w+\s+)?[„\"“»]?"
)
_SOME_MEMBER = re.compile(r"\b(?:ein|eine|einer)\s+Mitglied\w*")

# ------------------------------------------------------------------------------------ memberships

_MEMBERSHIP_CUE = re.compile(
    r"\bMitglied\s+(?:im|in\s+der|in\s+dem|des|der|bei|beim)\b"
    r"|\b(?:ist|sind|wird|werden|bleibt|bleiben|als)\s+Mitglied\b"
    r"|\bMitglied\s+(?:ist|sind|wird|werden|bleibt)\b"
    r"|\bbei(?:zu)?treten\b|\btritt\b[^;]{0,120}?\bbei\b|\bBeitritts?\b"
    r"|\baus(?:zu)?treten\b|\btritt\b[^;]{0,120}?\baus\b|\bAustritts?\b"
    r"|\bMitgliedschaft(?:en)?\b[^;]{0,160}?\b(?:kündig|beend|befrist|fortsetz|fortführ|aufgeb|aufrechterh"
    r"|eingeh|bestätig)\w*"
    r"|\b(?:kündig|beend)\w*\b[^;]{0,80}?\bMitgliedschaft"
    r"|\bgehört\b[^;]{0,120}?\ban\b"
    r"|\bGesellschafter(?:in)?\s+(?:(?:an|bei|von)\s+(?:der|dem|den|des)|(?:der|des)\s+[A-ZÄÖÜ])"
    r"|\bGesellschafteranteile?\b|\bist\s+Gesellschafter\b"
    r"|\bMitglied\w*\s*:\s*$"  # "Der Landkreis ist in folgenden Organisationen Mitglied:" and a list
)
_NEGATION = re.compile(r"\b(?:kein\w*|nicht)\b")

# -------------------------------------------------------------------------------------- the ledger


def extract_facts(doc: Document) -> list[Fact]:
    """The facts ledger of one document: its amounts and memberships, each with its source sentence."""
    return _Reader(doc).facts()


@dataclass
class _Ledger:
    """The rows found so far; the same organisation, kind, value, years and payer once per sentence."""

    rows: list[Fact] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, facts: list[Fact]) -> None:
        for fact in facts:
            key = (fact.organisation, fact.kind, fact.value, fact.period, fact.years, fact.payer, fact.start)
            if key not in self.seen:
                self.seen.add(key)
                self.rows.append(fact)


class _Reader:
    """Reads one document: its sentences, the organisations they name, the bodies that pay."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        sections = doc.sections or split_sections(doc.text)
        self.sentences = _layout(doc.text, sections)
        self.title = doc.title or read_title(doc.text.split("\n"))
        self.mentions, self.title_mentions = self._organisations()
        self.title_organisation = next((m.canonical for m in self.title_mentions if m.canonical), "")
        self.bodies = [_bodies(s.text) for s in self.sentences]
        self.named_bodies = Counter(
            b.full for bodies in self.bodies for b in bodies if b.name and b.type not in STATE_LEVEL
        )
        self.main_body = self._main_body()
        self.contribution_kind = self._dominant_contribution_kind()
        self._purposes: dict[str, str] = {}
        self._kinds: dict[int, list[str]] = {}

    # ---- organisations

    def _organisations(self) -> tuple[list[list[_Mention]], list[_Mention]]:
        """Mentions per sentence and in the title, each with the canonical name it refers to."""
        chosen = self._names()
        acronyms = {
            a: m.canonical for ms in chosen for m in ms if m.canonical for a in _initials(m.canonical)
        }
        acronyms |= _defined_abbreviations(chosen, [*self.sentences, None], self.text)
        title = chosen.pop()
        for mentions, sentence in zip(chosen, self.sentences, strict=True):
            mentions += _acronym_mentions(acronyms, sentence, mentions)
            mentions.sort(key=lambda m: m.start)
        self._resolve_anaphors(chosen, title)
        for mentions, sentence in zip(chosen, self.sentences, strict=True):
            for mention in mentions:
                mention.is_payer = bool(_PAYER_BEFORE.search(sentence.text[: mention.start - sentence.start]))
            mentions[:] = [m for m in mentions if m.canonical]
        return chosen, [m for m in title if m.canonical]

    def _names(self) -> list[list[_Mention]]:
        """Names per sentence, and in the title (last), grouped under canonical names.

        Title mentions get negative positions, so that they count as named before the text.
        """
        title_offset = -len(self.title) - 1
        found = [_name_mentions(s.text, s.start) for s in self.sentences]
        found.append(_name_mentions(self.title, title_offset))
        for mention in (m for ms in found for m in ms):
            source, offset = (self.title, title_offset) if mention.start < 0 else (self.text, 0)
            mention.surface = mention.surface or source[mention.start - offset : mention.end - offset]
        first_pass = [_without_overlaps(mentions) for mentions in found]
        known = _known_names_pattern([m for ms in first_pass for m in ms if m.is_name])
        for mentions, sentence in zip(found[:-1], self.sentences, strict=True):
            mentions += _pattern_mentions(known, sentence.text, sentence.start)
        found[-1] += _pattern_mentions(known, self.title, title_offset)
        chosen = [_without_overlaps(mentions) for mentions in found]
        _assign_canonical_names([m for ms in chosen for m in ms if m.is_name])
        return chosen

    def _resolve_anaphors(self, chosen: list[list[_Mention]], title: list[_Mention]) -> None:
        """Resolve "die Gesellschaft", "der Verein" … to the nearest fitting organisation named before."""
        earlier: list[tuple[int, _Mention]] = [(-1, m) for m in title if m.canonical]
        for sentence, mentions in zip(self.sentences, chosen, strict=True):
            for mention in mentions:
                if mention.rule == "anaphor":
                    mention.canonical = self._antecedent(mention, sentence, earlier, title)
                if mention.canonical:
                    earlier.append((sentence.paragraph, mention))

    def _antecedent(
        self,
        anaphor: _Mention,
        sentence: _Sentence,
        earlier: list[tuple[int, _Mention]],
        title: list[_Mention],
    ) -> str:
        for paragraph, candidate in reversed(earlier):
            if anaphor.type_word == "gmbh" and paragraph != sentence.paragraph:
                break  # "der GmbH" refers only within its paragraph
            if candidate.rule != "anaphor" and _matches_type(anaphor.type_word, candidate.canonical):
                return candidate.canonical
        if anaphor.type_word == "gmbh":
            return ""
        return next((m.canonical for m in title if _matches_type(anaphor.type_word, m.canonical)), "")

    def _organisation_of_sentence(self, sentence: _Sentence, position: int | None = None) -> str:
        """The organisation a sentence names nearest to `position` (same clause first), else ""."""
        mentions = [m for m in self.mentions[sentence.index] if not m.is_payer]
        if not mentions:
            return ""
        if position is None:
            return mentions[0].canonical
        clause = _clause_bounds(sentence, position)
        in_clause = [m for m in mentions if clause[0] <= m.start < clause[1]]
        before = [m for m in in_clause if m.end <= position]
        if before:
            return before[-1].canonical
        if in_clause:
            return in_clause[0].canonical
        return min(mentions, key=lambda m: abs(m.start - position)).canonical

    def _organisation_from_context(self, sentence: _Sentence) -> str:
        """For a sentence without a name: its paragraph, then its section, then the document title."""
        if _TOTAL.search(sentence.text):
            return self.title_organisation
        same_paragraph = [s for s in self._earlier(sentence, "paragraph") if s.role != "row"]
        subject = self._nearest_subject(same_paragraph)
        if subject:
            return subject
        topic = next((self._organisation_of_sentence(s) for s in same_paragraph if self._names_one(s)), "")
        if topic:
            return topic
        same_section = [s for s in self._earlier(sentence, "section") if s.role in ("text", "heading")]
        return self._nearest_subject(same_section) or self.title_organisation

    def _earlier(self, sentence: _Sentence, unit: str) -> list[_Sentence]:
        """The sentences before `sentence` in its paragraph or section, in text order."""
        start = sentence.index
        while start > 0 and getattr(self.sentences[start - 1], unit) == getattr(sentence, unit):
            start -= 1
        return self.sentences[start : sentence.index]

    def _names_one(self, sentence: _Sentence) -> bool:
        return any(not m.is_payer for m in self.mentions[sentence.index])

    def _nearest_subject(self, sentences: list[_Sentence]) -> str:
        for sentence in reversed(sentences):
            mention = self._subject(sentence)
            if mention is not None:
                return mention.canonical
        return ""

    def _subject(self, sentence: _Sentence) -> _Mention | None:
        """The organisation a sentence starts with ("Die Allianz … bündelt …"), if any."""
        mentions = self.mentions[sentence.index]
        if not mentions:
            return None
        first = mentions[0]
        prefix = sentence.text[: first.start - sentence.start]
        return first if _is_subject_prefix(prefix, _SUBJECT_PREFIX) else None

    # ---- bodies

    def _main_body(self) -> str:
        """The body the document belongs to: its metadata, else its council, else the most named one."""
        stated = self.doc.body or read_body(self.text)
        if stated:
            return stated
        if self.named_bodies:
            return self.named_bodies.most_common(1)[0][0]
        bare = Counter(b.type for bodies in self.bodies for b in bodies if b.type not in STATE_LEVEL)
        return bare.most_common(1)[0][0] if bare else ""

    def _resolve_body(self, body: _Body) -> str:
        """Complete "der Landkreis" to "Landkreis Peine" when the document belongs to (or names) one."""
        if body.name:
            return body.full
        family = body_family(body.type)
        if body_family(self.main_body) == family and " " in self.main_body:
            return self.main_body
        same_family = [name for name, _ in self.named_bodies.most_common() if body_family(name) == family]
        return same_family[0] if same_family else body.type

    def _payer(self, sentence: _Sentence, amount: Amount, window: tuple[int, int], kind: str) -> str:
        """Who pays: a source named next to the amount, a body named as payer, else the document's body."""
        local = [
            m
            for m in self.mentions[sentence.index]
            if m.is_payer and window[0] <= m.start - sentence.start < window[1]
        ]
        if local:
            return local[0].canonical
        bodies = self.bodies[sentence.index]
        after = [b for b in bodies if b.start - amount.end in (0, 1) and not b.name]
        if after:
            return self._resolve_body(after[0])
        stated = [b for b in bodies if _PAYER_PREPOSITION.search(sentence.text[: b.start])]
        near = [b for b in stated if window[0] <= b.start < window[1]]
        if near:
            return self._resolve_body(near[-1])
        if stated:
            return " und ".join(dict.fromkeys(self._resolve_body(b) for b in stated))
        subject = self._subject_body(sentence)
        if subject:
            return subject
        return self.main_body if kind in _PAYMENT_KINDS else ""

    def _subject_body(self, sentence: _Sentence) -> str:
        """The body a sentence starts with ("Der Landkreis X zahlt …"), unless it receives the money."""
        bodies = [b for b in self.bodies[sentence.index] if b.type not in STATE_LEVEL]
        if not bodies or _RECEIVES.search(sentence.text):
            return ""
        if _is_subject_prefix(sentence.text[: bodies[0].start], _SUBJECT_PREFIX):
            return self._resolve_body(bodies[0])
        return ""

    def _member(self, sentence: _Sentence) -> str:
        """The body that is (or becomes, or stops being) the member; "" for "eine Mitgliedskommune"."""
        if _SOME_MEMBER.search(sentence.text):
            return ""
        for body in self.bodies[sentence.index]:
            before = sentence.text[: body.start]
            if body.type not in STATE_LEVEL and not re.search(r"\ban\s+(?:die|den)\s+$", before):
                return self._resolve_body(body)
        return self.main_body

    # ---- kinds

    def _dominant_contribution_kind(self) -> str:
        """What a plain "Beitrag" means here: the contribution the document names most, else by its topic."""
        counts = Counter(kind for _, kind in _kinds_in(self.text) if kind in _SPECIFIC_CONTRIBUTIONS)
        if counts:
            return counts.most_common(1)[0][0]
        return "Mitgliedsbeitrag" if re.search(r"\bMitglied", self.text) else ""

    def _kind(self, found: str) -> str:
        if found == "Beitrag" and self.contribution_kind:
            return self.contribution_kind
        return found

    # ---- purpose

    def purpose(self, organisation: str) -> str:
        """The sentence saying what the organisation does or is for ("… bündelt Kräfte …")."""
        if organisation not in self._purposes:
            self._purposes[organisation] = self._find_purpose(organisation)
        return self._purposes[organisation]

    def _find_purpose(self, organisation: str) -> str:
        """The first sentence about the organisation with a verb of purpose, else one defining it."""
        definition = ""
        for sentence in self.sentences:
            if sentence.role not in ("text", "list"):
                continue
            if self._purpose_subject(sentence) == organisation and _PURPOSE_VERB.search(sentence.text):
                return _one_line(sentence.text)
            subject = self._subject(sentence)
            defines = subject is not None and subject.canonical == organisation
            if defines and not definition and _DEFINITION.search(sentence.text):
                definition = _one_line(sentence.text)
        return definition

    def _purpose_subject(self, sentence: _Sentence) -> str:
        """The organisation a sentence is about: named first, or "sie"/"er" for the previous sentence's one."""
        mentions = self.mentions[sentence.index]
        if mentions:
            prefix = sentence.text[: mentions[0].start - sentence.start]
            return mentions[0].canonical if _is_subject_prefix(prefix, _PURPOSE_SUBJECT_PREFIX) else ""
        if sentence.index == 0 or not _PRONOUN.search(sentence.text):
            return ""
        previous = self.sentences[sentence.index - 1]
        subject = self._subject(previous)
        return subject.canonical if subject and previous.paragraph == sentence.paragraph else ""

    # ---- facts

    def facts(self) -> list[Fact]:
        ledger = _Ledger()
        for sentence in self.sentences:
            if sentence.role == "row":
                ledger.add(self._row_facts(sentence))
            else:
                ledger.add(self._amount_facts(sentence))
                if sentence.role != "header":
                    ledger.add(self._membership_facts(sentence))
        return ledger.rows

    def _fact(
        self,
        sentence: _Sentence,
        organisation: str,
        kind: str,
        amount: Amount | None = None,
        *,
        currency: str = "",
        period: str = "",
        years: str = "",
        payer: str = "",
        purpose: str | None = None,
    ) -> Fact:
        if purpose is None:
            purpose = self.purpose(organisation) if organisation else ""
        return Fact(
            doc_id=self.doc.doc_id,
            organisation=organisation,
            kind=kind,
            amount_text=amount.text if amount else "",
            value=amount.value if amount else None,
            currency=currency or (amount.currency if amount else ""),
            period=period,
            years=years,
            payer=payer,
            purpose=purpose,
            start=sentence.start,
            end=sentence.end,
        )

    def _amount_facts(self, sentence: _Sentence) -> list[Fact]:
        amounts = parse_amount(sentence.text)
        currencies = _shared_rates(amounts)
        groups = _amount_groups(sentence.text, amounts)
        right_years = [_right_attached_year(sentence.text, a) for a in amounts]
        label_organisation = self._list_label_organisation(sentence)
        facts = []
        for index, (amount, kind) in enumerate(zip(amounts, self._kinds_of(sentence), strict=True)):
            organisation = (
                label_organisation
                or self._organisation_of_sentence(sentence, sentence.start + amount.start)
                or self._organisation_from_context(sentence)
            )
            facts.append(
                self._fact(
                    sentence,
                    organisation,
                    kind,
                    amount,
                    currency=currencies[index],
                    period=_period(sentence.text, amounts, groups, index),
                    years=right_years[index] or _year_before(sentence.text, amount, right_years, amounts),
                    payer=self._payer(sentence, amount, _window(sentence.text, amounts, index), kind),
                )
            )
        return facts

    def _kinds_of(self, sentence: _Sentence) -> list[str]:
        """The kind of each amount in a sentence (cached: later sentences may inherit them)."""
        if sentence.index not in self._kinds:
            amounts = parse_amount(sentence.text)
            kinds: list[str] = []
            for index in range(len(amounts)):
                kinds.append(self._amount_kind(sentence, amounts, index, kinds))
            self._kinds[sentence.index] = kinds
        return self._kinds[sentence.index]

    def _amount_kind(self, sentence: _Sentence, amounts: list[Amount], index: int, kinds: list[str]) -> str:
        """The kind of payment, from the words around the amount; inherited when the sentence names none."""
        text = sentence.text
        amount = amounts[index]
        following = re.match(r"\s*([^\W\d_]+)", text[amount.end :])
        if following and _kind_of_word(following.group(1)):
            return self._kind(_kind_of_word(following.group(1)))
        clause_start = text.rfind(";", 0, amount.start) + 1
        previous_end = amounts[index - 1].end if index else 0
        for start in (max(clause_start, previous_end), clause_start, 0):
            kind = _nearest_kind(_kinds_in(text[start : amount.start]))
            if kind:
                return self._kind(kind)
        inherited = self._previous_kind(sentence, kinds)
        if inherited:
            return inherited
        next_start = amounts[index + 1].start if index + 1 < len(amounts) else len(text)
        after = _kinds_in(text[amount.end : min(next_start, amount.end + 60)])
        return self._kind(after[0][1]) if after else DEFAULT_KIND

    def _previous_kind(self, sentence: _Sentence, kinds: list[str]) -> str:
        """The kind of the amount before, in this sentence or an earlier one of the paragraph."""
        known = [k for k in kinds if k != DEFAULT_KIND]
        if known:
            return known[-1]
        if _kinds_in(sentence.text):
            return ""
        for earlier in reversed(self.sentences[: sentence.index]):
            if earlier.paragraph != sentence.paragraph:
                break
            known = [k for k in self._kinds_of(earlier) if k != DEFAULT_KIND]
            if known:
                return known[-1]
        return ""

    def _list_label_organisation(self, sentence: _Sentence) -> str:
        """The label of a list item "- Name: Jahresbeitrag 150 DM" when it names an organisation."""
        if sentence.role != "list" or ":" not in sentence.text:
            return ""
        label = LIST_MARKER.sub("", sentence.text.split(":", 1)[0], count=1).strip()
        label_end = sentence.start + sentence.text.index(":")
        named = [m for m in self.mentions[sentence.index] if m.end <= label_end and not m.is_payer]
        return label if named and len(label.split()) <= 10 else ""

    def _row_facts(self, sentence: _Sentence) -> list[Fact]:
        """A table row: its amount cell, with organisation and purpose from the row's other cells."""
        cells = sentence.text.split("|")
        header = self._table_header(sentence)
        intro = self._table_intro(sentence)
        facts = []
        for column, cell in enumerate(cells):
            for amount in parse_amount(cell):
                others = _text_cells([c for i, c in enumerate(cells) if i != column])
                organisation = self._row_organisation(sentence, others)
                purpose = "; ".join(c for c in others if c != organisation)
                heading = header[column] if column < len(header) else ""
                kind = _nearest_kind(_kinds_in(heading)) or _nearest_kind(_kinds_in(" ".join(others)))
                kind = self._kind(kind or _nearest_kind(_kinds_in(intro)) or DEFAULT_KIND)
                context = f"{heading} {' '.join(others)}"
                years = [_year_label(m) for m in _YEAR_EXPRESSION.finditer(context)] or [
                    _year_label(m) for m in _YEAR_EXPRESSION.finditer(intro)
                ]
                facts.append(
                    self._fact(
                        sentence,
                        organisation,
                        kind,
                        amount,
                        period=_period_words(context),
                        years=", ".join(dict.fromkeys(years)),
                        payer=self.main_body if kind in _PAYMENT_KINDS else "",
                        purpose=purpose or (self.purpose(organisation) if organisation else ""),
                    )
                )
        return facts

    def _row_organisation(self, sentence: _Sentence, cells: list[str]) -> str:
        for cell in cells:
            named = [m for m in self.mentions[sentence.index] if m.surface and m.surface in cell]
            if named:
                return named[0].canonical
        for cell in cells:
            bodies = [b for b in _bodies(cell) if b.name]
            if bodies:
                return bodies[0].full
        return cells[0] if cells else ""

    def _table_header(self, row: _Sentence) -> list[str]:
        """The cells of the nearest row above (in the same table) that holds no amount."""
        for earlier in reversed(self.sentences[: row.index]):
            if earlier.role != "row":
                break
            if not parse_amount(earlier.text):
                return [c.strip() for c in earlier.text.split("|")]
        return []

    def _table_intro(self, row: _Sentence) -> str:
        """The sentence just above a table ("Die Mittel … aus dem Haushalt 2022 werden … verteilt:")."""
        for earlier in reversed(self.sentences[: row.index]):
            if earlier.role != "row":
                return earlier.text if earlier.section == row.section else ""
        return ""

    def _membership_facts(self, sentence: _Sentence) -> list[Fact]:
        """Rows of kind "Mitgliedschaft": "ist Mitglied im …", "tritt … bei", "Austritt", "Gesellschafter an …"."""
        found: list[tuple[str, _Sentence]] = []
        for cue in _MEMBERSHIP_CUE.finditer(sentence.text):
            if not _NEGATION.search(sentence.text[max(0, cue.start() - 25) : cue.start()]):
                found += self._membership_organisations(sentence, sentence.start + cue.start())
        if not found:
            return []
        years = [_year_label(m) for m in _YEAR_EXPRESSION.finditer(sentence.text)]
        stated_years = ", ".join(dict.fromkeys(years)) or (str(self.doc.year) if self.doc.year else "")
        member = self._member(sentence)
        return [
            self._fact(source, organisation, MEMBERSHIP, years=stated_years, payer=member)
            for organisation, source in dict.fromkeys(found)
        ]

    def _membership_organisations(self, sentence: _Sentence, cue: int) -> list[tuple[str, _Sentence]]:
        """The organisation a membership cue is about: named after it, before it, listed below, or in context."""
        mentions = [m for m in self.mentions[sentence.index] if not m.is_payer]
        after = [m for m in mentions if m.start >= cue]
        before = [m for m in mentions if m.end <= cue]
        if after:
            return [(after[0].canonical, sentence)]
        if before:
            return [(before[-1].canonical, sentence)]
        if sentence.text.rstrip().endswith(":"):
            return self._listed_organisations(sentence)
        organisation = self._organisation_from_context(sentence)
        return [(organisation, sentence)] if organisation else []

    def _listed_organisations(self, sentence: _Sentence) -> list[tuple[str, _Sentence]]:
        """The organisations listed (or tabled) after "… folgende Mitgliedschaften zu kündigen:"."""
        listed = []
        for item in self.sentences[sentence.index + 1 :]:
            if item.role not in ("list", "row"):
                break
            if item.role == "row":
                is_data = parse_amount(item.text) or self.mentions[item.index]
                organisation = (
                    self._row_organisation(item, _text_cells(item.text.split("|"))) if is_data else ""
                )
            else:
                organisation = self._list_label_organisation(item) or self._organisation_of_sentence(item)
            if organisation:
                listed.append((organisation, item))
        return listed


def _text_cells(cells: list[str]) -> list[str]:
    """The cells of a table row that say something: no numbering, no amounts, not empty."""
    stripped = [c.strip() for c in cells]
    return [c for c in stripped if c and not re.fullmatch(r"[\d.\s]+", c) and not parse_amount(c)]


def _is_subject_prefix(prefix: str, pattern: re.Pattern[str]) -> bool:
    """Whether only an article (and a type word: "Der Verein Lit.Eifel e.V. …") precedes a subject."""
    match = pattern.fullmatch(prefix)
    return match is not None and (
        match.group("type") is None or _type_of(match.group("type").strip()) is not None
    )


def _known_names_pattern(named: list[_Mention]) -> re.Pattern[str] | None:
    """Further mentions of names found elsewhere: "Grünmetropole" once "Grünmetropole e.V." is known."""
    variants = {v for m in named for v in (m.surface, _without_legal_form(m.surface))}
    variants = {v for v in variants if len(v) >= 3 and _is_capitalised(v)}
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.IGNORECASE)


def _pattern_mentions(pattern: re.Pattern[str] | None, text: str, offset: int) -> list[_Mention]:
    if pattern is None:
        return []
    return [
        _Mention(offset + m.start(), offset + m.end(), m.group(), "known") for m in pattern.finditer(text)
    ]


def _assign_canonical_names(named: list[_Mention]) -> None:
    """Group mentions of the same organisation and give each group one display name.

    The display name is the form with a legal form, else the one in the title, else the most frequent.
    """
    keys = {_name_key(m.surface) for m in named}
    keys.discard(())
    merged = {key: _longest_extension(key, keys) for key in keys}
    groups: dict[tuple[str, ...], list[_Mention]] = {}
    for mention in named:
        key = _name_key(mention.surface)
        if key:
            groups.setdefault(merged[key], []).append(mention)
    title_keys = {_name_key(m.surface) for m in named if m.start < 0}
    for mentions in groups.values():
        counts = Counter(m.surface.strip() for m in mentions)
        best = max(
            counts, key=lambda s: (bool(_legal_form_of(s)), _name_key(s) in title_keys, counts[s], len(s))
        )
        for mention in mentions:
            mention.canonical = _nominative(best)


def _nominative(name: str) -> str:
    """The type word without genitive ending: "Zweckverbandes Großraum X" → "Zweckverband Großraum X"."""
    words = name.split(" ")
    for index, word in enumerate(words):
        match = _TYPE_WORD.fullmatch(word)
        if match and match.group("ending") and match.group("type").lower() != "fonds":
            words[index] = word[: match.start("ending")]
            break
    return " ".join(words)


def _defined_abbreviations(
    chosen: list[list[_Mention]], sentences: list[_Sentence | None], text: str
) -> dict[str, str]:
    """Abbreviations a document defines in parentheses: "… Nordheide mbH (WFN)" makes "WFN" that name."""
    defined = {}
    for mentions, sentence in zip(chosen, sentences, strict=True):
        for mention in mentions:
            if sentence is not None and mention.canonical:
                match = _DEFINED_ABBREVIATION.match(text, mention.end, sentence.end)
                if match:
                    defined[match.group(1)] = mention.canonical
    return defined


def _acronym_mentions(acronyms: dict[str, str], sentence: _Sentence, taken: list[_Mention]) -> list[_Mention]:
    """Acronyms of names found before: "Der EWH …" for "Netzwerk Erweiterter Wirtschaftsraum Hannover"."""
    mentions = []
    for token in _tokens(sentence.text, sentence.start):
        canonical = acronyms.get(token.text)
        overlaps = any(m.start < token.end and token.start < m.end for m in taken)
        if canonical and token.text.isupper() and token.text not in _LEGAL_FORMS and not overlaps:
            mentions.append(_Mention(token.start, token.end, token.text, "acronym", canonical=canonical))
    return mentions


def _longest_extension(key: tuple[str, ...], keys: set[tuple[str, ...]]) -> tuple[str, ...]:
    """The longer name `key` abbreviates ("Münsterland Touristik" → "… Touristik Grünes Band"), if unique."""
    longer = [other for other in keys if len(other) > len(key) and other[: len(key)] == key]
    if not longer:
        return key
    longest = max(longer, key=len)
    return longest if all(longest[: len(other)] == other for other in longer) else key


def _clause_bounds(sentence: _Sentence, position: int) -> tuple[int, int]:
    relative = position - sentence.start
    start = sentence.text.rfind(";", 0, relative) + 1
    end = sentence.text.find(";", relative)
    return sentence.start + start, sentence.start + (end if end >= 0 else len(sentence.text))


def _window(text: str, amounts: list[Amount], index: int) -> tuple[int, int]:
    """The stretch of the sentence that belongs to one amount: up to its neighbours or a clause break."""
    amount = amounts[index]
    left = amounts[index - 1].end if index else 0
    left = max(left, max(text.rfind(c, 0, amount.start) for c in ";()") + 1)
    if index:
        left = max(left, text.rfind(", ", 0, amount.start) + 1)
    right = amounts[index + 1].start if index + 1 < len(amounts) else len(text)
    breaks = [p for p in (text.find(c, amount.end) for c in ";(),") if p >= 0]
    return left, min([right, *breaks])


def _amount_groups(text: str, amounts: list[Amount]) -> list[int]:
    """Group numbers: amounts joined by "auf", "und", "bis" ("von 0,12 € auf 0,24 €") share a group."""
    groups = [0]
    for index in range(1, len(amounts)):
        gap = text[amounts[index - 1].end : amounts[index].start]
        gap = _YEAR_EXPRESSION.sub("", gap)
        gap = re.sub(r"\(\s*\)|\bim\b|\bJahr\b", "", gap)
        same = bool(_GROUP_GAP.fullmatch(gap))
        groups.append(groups[-1] if same else groups[-1] + 1)
    return groups


def _shared_rates(amounts: list[Amount]) -> list[str]:
    """A smaller amount beside a rate per inhabitant is a share of that rate ("12 Cent je Einwohner, (6 Cent)")."""
    rates = [a for a in amounts if "/" in a.currency]
    currencies = []
    for amount in amounts:
        currency = amount.currency
        if "/" not in currency:
            match = next(
                (r for r in rates if r.currency.startswith(currency) and amount.value <= r.value), None
            )
            currency = match.currency if match else currency
        currencies.append(currency)
    return currencies


def _period(text: str, amounts: list[Amount], groups: list[int], index: int) -> str:
    own = _own_period(text, amounts, index)
    if own:
        return own
    for other, group in enumerate(groups):
        if group == groups[index] and other != index:
            shared = _own_period(text, amounts, other)
            if shared:
                return shared
    return ""


def _own_period(text: str, amounts: list[Amount], index: int) -> str:
    amount = amounts[index]
    left, right = _window(text, amounts, index)
    if _RUNNING.match(text[amount.end : right]):
        return YEARLY
    return _period_words(amount.text) or _period_words(
        text[left : amount.start] + " " + text[amount.end : right]
    )


def _period_words(text: str) -> str:
    yearly = [m.start() for m in _YEARLY.finditer(text)]
    once = [m.start() for m in _ONE_OFF.finditer(text)]
    if yearly and once:
        return YEARLY if max(yearly) > max(once) else ONE_OFF
    return YEARLY if yearly else ONE_OFF if once else ""


def _right_attached_year(text: str, amount: Amount) -> str:
    """The year written right after an amount: "20.000 € (2025)", "10.000 € im Jahr 2026"."""
    for match in _YEAR_EXPRESSION.finditer(text, amount.end):
        gap = text[amount.end : match.start()]
        if len(gap) <= 8 and _RIGHT_ATTACHED_YEAR.fullmatch(gap):
            return _year_label(match)
        break
    return ""


def _year_before(text: str, amount: Amount, right_years: list[str], amounts: list[Amount]) -> str:
    """The nearest year stated before the amount in its clause, unless it belongs to an earlier amount."""
    clause_start = text.rfind(";", 0, amount.start) + 1
    taken = set()
    for other, label in zip(amounts, right_years, strict=True):
        if label:
            for match in _YEAR_EXPRESSION.finditer(text, other.end):
                taken.add(match.start())
                break
    candidates = [
        m for m in _YEAR_EXPRESSION.finditer(text[: amount.start], clause_start) if m.start() not in taken
    ]
    return _year_label(candidates[-1]) if candidates else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
