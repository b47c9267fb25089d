"""German keyword analysis: tokens, Snowball stems, compound parts and council-domain synonyms.

Stemming fixes inflection (Zuschüsse → zuschuss); compounds defeat every stemmer, so a long word
also yields the parts that occur as words of their own in the indexed text or in the domain
vocabulary (Mitgliedsbeitrag → mitglied, beitrag). Synonyms bridge how council members ask and how
Vorlagen are written (Kosten ↔ Zuschuss, Beitrag, Umlage; Mitgliedschaft ↔ Beteiligung …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ingest.german.words import stem

_WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüß]+(?:[.,][0-9]+)*")

STOPWORDS = frozenset(
    [
        "a",
        "ab",
        "aber",
        "alle",
        "allem",
        "allen",
        "aller",
        "alles",
        "als",
        "also",
        "am",
        "an",
        "ander",
        "andere",
        "anderem",
        "anderen",
        "anderer",
        "anderes",
        "auch",
        "auf",
        "aus",
        "bei",
        "beim",
        "bin",
        "bis",
        "bist",
        "da",
        "damit",
        "dann",
        "das",
        "dass",
        "dem",
        "den",
        "denn",
        "der",
        "des",
        "desto",
        "dessen",
        "die",
        "dies",
        "diese",
        "diesem",
        "diesen",
        "dieser",
        "dieses",
        "doch",
        "dort",
        "du",
        "durch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "er",
        "es",
        "etwa",
        "euch",
        "euer",
        "eure",
        "für",
        "gegen",
        "gibt",
        "hat",
        "hatte",
        "hätte",
        "haben",
        "hier",
        "hin",
        "hinter",
        "ich",
        "ihm",
        "ihn",
        "ihnen",
        "ihr",
        "ihre",
        "im",
        "in",
        "ins",
        "ist",
        "ja",
        "jede",
        "jedem",
        "jeden",
        "jeder",
        "jedes",
        "jetzt",
        "kann",
        "kein",
        "keine",
        "können",
        "könnte",
        "man",
        "mehr",
        "mein",
        "mich",
        "mit",
        "muss",
        "musste",
        "nach",
        "nicht",
        "noch",
        "nun",
        "nur",
        "ob",
        "oder",
        "ohne",
        "sehr",
        "sein",
        "seine",
        "seinem",
        "seinen",
        "seiner",
        "seit",
        "sich",
        "sie",
        "sind",
        "so",
        "soll",
        "sollen",
        "sondern",
        "sowie",
        "über",
        "um",
        "und",
        "uns",
        "unser",
        "unsere",
        "unter",
        "viel",
        "vom",
        "von",
        "vor",
        "war",
        "waren",
        "warum",
        "was",
        "weil",
        "welche",
        "welchem",
        "welchen",
        "welcher",
        "welches",
        "wem",
        "wen",
        "wenn",
        "wer",
        "werden",
        "wie",
        "wieso",
        "wieviel",
        "viele",
        "wird",
        "wo",
        "wofür",
        "wozu",
        "wurde",
        "wurden",
        "zu",
        "zum",
        "zur",
        "zwischen",
        "eigentlich",
        "denn",
        "laut",
        "uns",
        "unsere",
        "etwas",
        "the",
        "of",
        "and",
        "for",
        "to",
        "in",
        "is",
        "a",
        "an",
        "what",
        "how",
        "does",
        "do",
        "which",
        "who",
        "much",
        "many",
        "each",
        "year",
    ]
)

# Question words that only say what kind of answer is wanted; they never need to match a passage.
QUESTION_WORDS = frozenset(
    [
        "wie",
        "was",
        "wer",
        "wann",
        "wo",
        "woher",
        "wohin",
        "warum",
        "wieso",
        "weshalb",
        "welche",
        "welcher",
        "welches",
        "wofür",
        "wozu",
        # the asker ("Was zahlen wir?") is the installation's body (`totals`), not a word to match
        "wir",
        "uns",
        "unser",
        "unsere",
        "unseren",
    ]
)

# Council-domain vocabulary: a query word (stem) also searches for these (stems), at lower weight.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "kosten",
        "kostet",
        "zahlen",
        "zahlt",
        "beitrag",
        "zuschuss",
        "umlage",
        "gesellschafterbeitrag",
        "mitgliedsbeitrag",
        "jahresbeitrag",
        "betrag",
        "teuer",
        "geld",
        "ausgaben",
        "mittel",
        "cost",
        "pay",
    ),
    ("mitgliedschaft", "mitglied", "beteiligung", "beteiligt", "gesellschafter", "beitritt", "member"),
    ("austritt", "austreten", "kündigen", "kündigung", "ausscheiden", "verlassen"),
    ("defizit", "fehlbetrag", "fehlbeträge"),
    ("bezahlt", "bezahlen", "finanziert", "finanzierung", "gedeckt", "deckung", "getragen"),
    ("verschmelzen", "verschmolzen", "verschmelzung", "zusammengeführt", "zusammenführung", "fusion"),
    ("vertritt", "vertreter", "vertreterin", "entsenden", "entsandt", "vertreten"),
    ("sparen", "spart", "einsparung", "einsparen", "eingespart", "ersparnis"),
    ("einwohner", "einwohnerin", "einwohnerinnen", "kopf"),
    ("zuschuss", "förderung", "zuwendung", "bekommen", "erhält", "erhalten"),
    ("jährlich", "jahr", "jahresbeitrag", "year"),
    ("beschlossen", "beschluss", "beschließt", "abgestimmt", "abstimmung"),
    # How a vote went is asked with "abgestimmt" but written as its outcome.
    (
        "abgestimmt",
        "abstimmung",
        "abstimmungsergebnis",
        "stimmergebnis",
        "einstimmig",
        "mehrheitlich",
        "gegenstimme",
        "gegenstimmen",
        "enthaltung",
        "enthaltungen",
        "stimmenthaltung",
        "stimmenthaltungen",
        "stimmen",
        "vote",
    ),
    ("metropolitan", "metropolregion"),
    ("fördersatz", "fördersätze", "förderquote", "förderanteil"),
    ("beitritt", "beitreten", "beigetreten", "eintritt", "eintreten", "eingetreten", "wiedereintritt"),
    ("kita", "kitas", "kindertagesstätte", "kindertagesstätten", "kindertageseinrichtung", "kindergarten"),
    ("vhs", "volkshochschule", "volkshochschulen", "kreisvolkshochschule"),
    ("kommune", "kommunen", "gemeinden", "städte", "municipality", "municipalities"),
    ("district", "landkreis"),
)

# Word parts a compound may end or begin with even when the corpus never uses them alone.
_DOMAIN_PARTS = frozenset(
    [
        "beitrag",
        "beiträge",
        "kosten",
        "zuschuss",
        "umlage",
        "mitglied",
        "mitglieds",
        "mitgliedschaft",
        "gesellschaft",
        "gesellschafter",
        "verein",
        "verband",
        "fonds",
        "haushalt",
        "einwohner",
        "jahr",
        "region",
        "kreis",
        "gemeinde",
        "stadt",
        "förderung",
        "mittel",
        "vertrag",
        "satzung",
        "ausschuss",
        "rat",
        "wirtschaft",
        "entwicklung",
        "struktur",
        "verwaltung",
        "sitzung",
    ]
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers with their separators kept: 60.000, 8.478,75)."""
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in _SYNONYM_GROUPS:
        stems = {stem(w) for w in group}
        for s in stems:
            table.setdefault(s, set()).update(stems - {s})
    return {k: frozenset(v) for k, v in table.items()}


def synonyms(word_stem: str) -> frozenset[str]:
    return _synonyms().get(word_stem, frozenset())


class CompoundSplitter:
    """Splits German compounds into parts that are known words (from the corpus or the domain)."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.vocabulary = {w for w in vocabulary if len(w) >= 4 and w.isalpha()} | _DOMAIN_PARTS
        self.stems = {stem(w) for w in self.vocabulary}
        self._parts: dict[str, list[str]] = {}

    def known(self, part: str) -> bool:
        """A word of the vocabulary, or an inflected form of one (zahlungen → zahlung)."""
        return part in self.vocabulary or (len(part) >= 4 and stem(part) in self.stems)

    def parts(self, word: str) -> list[str]:
        word = word.lower()
        if word not in self._parts:
            self._parts[word] = self._split(word)
        return self._parts[word]

    def _split(self, word: str) -> list[str]:
        if len(word) < 9 or not word.isalpha():
            return []
        found: list[str] = []
        for i in range(4, len(word) - 3):
            head, tail = word[:i], word[i:]
            if self.known(tail):
                found.append(tail)
                linked = head[:-1] if head.endswith("s") and self.known(head[:-1]) else head
                if self.known(linked):
                    found.append(linked)
                break
        return found


def analyze(text: str, splitter: CompoundSplitter | None = None) -> list[str]:
    """Index terms of a text: stems of its content words plus stems of their compound parts."""
    terms: list[str] = []
    for word in content_words(text):
        terms.append(stem(word))
        if splitter is not None:
            terms.extend(stem(part) for part in splitter.parts(word))
    return terms
