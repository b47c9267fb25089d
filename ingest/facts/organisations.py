"""Organisations named in a sentence: by legal form ("… GmbH", "… e.V."), by a type word with a name
("Verein X", "Zweckverband …"), by quotes, and once named by shorter mentions ("die Gesellschaft",
an acronym of the initials, an abbreviation defined in parentheses).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.facts.layout import Sentence
from ingest.german.places import (
    BODY_WORDS,
)
from ingest.german.words import stem, word_set

_TOKEN = re.compile(r"e\.\s?[VG]\.|[^\W\d_]\w*(?:[.\-][^\W\d_]\w*)*|\d+(?:[.,]\d+)*|[^\w\s]")
_LEGAL_FORMS = frozenset({"gGmbH", "GmbH", "mbH", "e.V.", "e. V.", "eG", "e.G.", "e. G.", "AG", "KG"})
_LEGAL_FORMS |= frozenset({"KGaA", "GbR", "AöR", "UG", "SE"})
_COMPANY_FORMS = word_set("gGmbH GmbH mbH AG KG KGaA UG SE")
_TYPE_WORD = re.compile(
    r"(?P<prefix>[^\W\d_]*?)(?P<type>verein|verband|netzwerk|gemeinschaft|allianz|stiftung|genossenschaft"
    r"|gesellschaft|fonds|metropolregion|agentur|vereinigung)(?P<ending>e?s)?",
    re.IGNORECASE,
)
FUNCTION_WORDS = word_set(
    "der die das dem den des ein eine einem einen einer eines im ins am zum zur vom beim dieser diese "
    "dieses diesem diesen jeder jede jedes kein keine sein seine seinem seinen ihr ihre ihrem ihren "
    "unser unsere alle beide mehrere und oder sowie in mit für bei auch nach vor seit ab als um aus "
    "zu über unter durch gegen ohne bis wegen dafür damit darüber zudem zusätzlich bisher danach "
    "hinzu zusammen insgesamt ob wenn dass da so es er sie wir nachdem nr von an auf dazu daher "
    "deshalb außerdem jedoch aber sofern soweit falls wie was wer wo zunächst derzeit heute"
)
RELATION_WORD = re.compile(
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
PAYER_BEFORE = re.compile(
    r"(?:(?:aus\s+(?:den\s+)?Mitteln|finanziert\s+(?:durch|von))\s+(?:des|der|dem|den)?|\bvon\s+(?:der|dem)|\bvom)\s*$"
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


@dataclass
class Mention:
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
        and lowered not in FUNCTION_WORDS
        and lowered not in _BODY_WORDS
        and not RELATION_WORD.search(lowered)
        and word not in _LEGAL_FORMS
    )


def type_of(word: str) -> tuple[str, bool] | None:
    """("verein", is_compound) for "Verein"/"Eifelverein", None for words that are no organisation type."""
    match = _TYPE_WORD.fullmatch(word)
    if match is None or not _is_capitalised(word):
        return None
    return match.group("type").lower(), bool(match.group("prefix"))


def name_mentions(text: str, offset: int) -> list[Mention]:
    """Organisation names in one sentence, before choosing among overlapping ones."""
    tokens = _tokens(text, offset)
    mentions = _quoted_mentions(text, offset)
    mentions += _legal_form_mentions(tokens)
    mentions += _type_word_mentions(tokens)
    return mentions


def _quoted_mentions(text: str, offset: int) -> list[Mention]:
    mentions = []
    for match in _QUOTED.finditer(text):
        name = match.group(1).strip()
        if len(name.split()) <= 8 and not re.search(r"[:;!?]", name):
            start = offset + match.start(1)
            mentions.append(Mention(start, start + len(name), name, "quoted"))
    return mentions


def _legal_form_mentions(tokens: list[_Token]) -> list[Mention]:
    """Names ending in a legal form: "Allianz für die Region GmbH", "Lit.Eifel e.V." …"""
    mentions = []
    for index, token in enumerate(tokens):
        if token.text not in _LEGAL_FORMS:
            continue
        first = _name_start_before(tokens, index)
        if first < index:
            surface_start, surface_end = tokens[first].start, token.end
            mentions.append(Mention(surface_start, surface_end, "", "legal"))
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
        if _is_name_word(word) and type_of(word) != ("verein", False):
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
    if lowered in _BODY_WORDS or RELATION_WORD.search(lowered):
        return False
    return lowered in FUNCTION_WORDS or not before[0].isalnum() or type_of(before) is not None


def _type_word_mentions(tokens: list[_Token]) -> list[Mention]:
    """Names made with a type word ("Netzwerk X", "Zweckverband") and back-references ("der Verein")."""
    mentions = []
    for index, token in enumerate(tokens):
        kind = type_of(token.text)
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
                mentions.append(Mention(tokens[first].start, tokens[last].end, "", rule))
                continue
            if index + 1 < len(tokens) and tokens[index + 1].text in '„"“»':
                continue  # Verein "X e.V.": the quoted name is the mention
            anaphor_type = kind[0]
        if anaphor_type and previous in _DEFINITE:
            mentions.append(Mention(token.start, token.end, token.text, "anaphor", anaphor_type))
    return mentions


def _is_adjective_of_name(word: str) -> bool:
    """An adjective that belongs to the name: "Rheinischer Verein …", "Kommunaler …fonds"."""
    lowered = word.lower()
    return bool(_ADJECTIVE.fullmatch(word)) and lowered not in FUNCTION_WORDS and _is_name_word(word)


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
        return _is_capitalised(word) and lowered not in FUNCTION_WORDS
    if word in _COMPANY_FORMS:
        return True
    return _is_name_word(word) and lowered not in _TIME_WORDS and type_of(word) is None


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
        return step if _is_capitalised(word) and word.lower() not in FUNCTION_WORDS else 0
    return step if _continues_type_name(word, False) and word not in _COMPANY_FORMS else 0


def without_overlaps(mentions: list[Mention]) -> list[Mention]:
    rank = {"legal": 0, "quoted": 0, "known": 1, "type": 1, "acronym": 2, "anaphor": 3}
    chosen: list[Mention] = []
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


def initials_of(surface: str) -> set[str]:
    words = [w for w in _without_legal_form(surface).split() if _is_capitalised(w)]
    initials = {"".join(w[0] for w in words)}
    if len(words) > 2 and type_of(words[0]) is not None:
        initials.add("".join(w[0] for w in words[1:]))
    return {i.upper() for i in initials if len(i) >= 3}


def matches_type(type_word: str, canonical: str) -> bool:
    lowered = canonical.lower()
    form = _legal_form_of(canonical)
    if type_word in ("gesellschaft", "gmbh"):
        return form in _COMPANY_FORMS or "gesellschaft" in lowered
    if type_word == "verein":
        return form in ("e.V.", "e. V.") or "verein" in lowered
    if type_word == "genossenschaft":
        return form in ("eG", "e.G.", "e. G.") or type_word in lowered
    return type_word in lowered


def known_names_pattern(named: list[Mention]) -> re.Pattern[str] | None:
    """Further mentions of names found elsewhere: "Grünmetropole" once "Grünmetropole e.V." is known."""
    variants = {v for m in named for v in (m.surface, _without_legal_form(m.surface))}
    variants = {v for v in variants if len(v) >= 3 and _is_capitalised(v)}
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.IGNORECASE)


def pattern_mentions(pattern: re.Pattern[str] | None, text: str, offset: int) -> list[Mention]:
    if pattern is None:
        return []
    return [Mention(offset + m.start(), offset + m.end(), m.group(), "known") for m in pattern.finditer(text)]


def assign_canonical_names(named: list[Mention]) -> None:
    """Group mentions of the same organisation and give each group one display name.

    The display name is the form with a legal form, else the one in the title, else the most frequent.
    """
    keys = {_name_key(m.surface) for m in named}
    keys.discard(())
    merged = {key: _longest_extension(key, keys) for key in keys}
    groups: dict[tuple[str, ...], list[Mention]] = {}
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


def defined_abbreviations(
    chosen: list[list[Mention]], sentences: list[Sentence | None], text: str
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


def acronym_mentions(acronyms: dict[str, str], sentence: Sentence, taken: list[Mention]) -> list[Mention]:
    """Acronyms of names found before: "Der EWH …" for "Netzwerk Erweiterter Wirtschaftsraum Hannover"."""
    mentions = []
    for token in _tokens(sentence.text, sentence.start):
        canonical = acronyms.get(token.text)
        overlaps = any(m.start < token.end and token.start < m.end for m in taken)
        if canonical and token.text.isupper() and token.text not in _LEGAL_FORMS and not overlaps:
            mentions.append(Mention(token.start, token.end, token.text, "acronym", canonical=canonical))
    return mentions


def _longest_extension(key: tuple[str, ...], keys: set[tuple[str, ...]]) -> tuple[str, ...]:
    """The longer name `key` abbreviates ("Münsterland Touristik" → "… Touristik Grünes Band"), if unique."""
    longer = [other for other in keys if len(other) > len(key) and other[: len(key)] == key]
    if not longer:
        return key
    longest = max(longer, key=len)
    return longest if all(longest[: len(other)] == other for other in longer) else key
