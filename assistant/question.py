"""Question analysis: what kind of answer a question wants, and what it names.

Kinds (`classify`) steer the composer: an amount, a date, a vote, a list, a reason. Follow-ups
("Und das EWH-Netzwerk?") are read together with the turn they continue. Cost questions also say
which kind of figure they want (`figure_kind`) and for which year (`asked_year`), so a passage
with another kind of figure is not taken for the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.keywords import QUESTION_WORDS, STOPWORDS, content_words
from ingest.german.words import stem

COST, MEMBERSHIP, PURPOSE, AGGREGATE, COMPARISON = "cost", "membership", "purpose", "aggregate", "comparison"
DECISION, DATE, LOOKUP, REASON, WHO, OTHER = "decision", "date", "lookup", "reason", "who", "other"
FUNDING = "funding"  # where the money comes from

_CUES: tuple[tuple[str, str], ...] = (
    (WHO, r"^\s*(?:und\s+)?wer\b|^\s*who\b"),
    (AGGREGATE, r"\binsgesamt\b|\bzusammen\b|\bgesamt|\bsumme\b|\bin total\b|\baltogether\b"),
    (
        COMPARISON,
        r"\bteurer\b|\bbilliger\b|\bgünstiger\b|\bmehr als\b|\bweniger als\b|\bvergleich|\bhöher als\b",
    ),
    (LOOKUP, r"\bworum geht\b|\bwas steht in\b|\bwelche vorlagen\b|\bwelche beschlüsse\b"),
    (
        DATE,
        r"^\s*(?:und\s+)?(?:seit|bis|ab)?\s*wann\b|\b(?:seit|bis|ab|zu|von)\s+wann\b|\bdatum\b"
        r"|\b(?:an|ab|seit|bis|zu|von)\s+welchem\s+(?:tag|termin|zeitpunkt)\b|\bzu welchem zeitpunkt\b|\bwhen\b",
    ),
    (PURPOSE, r"\bwozu\b|\bwofür\b|\bzweck\b|\bwas bringt\b|\bnutzen\b|\baufgaben?\b|\bschwerpunkt"),
    (REASON, r"\bwarum\b|\bweshalb\b|\bwieso\b|\baus welchem grund\b|\bwhy\b"),
    (
        FUNDING,  # not "Wie hoch ist der Betrag, der über Kredite finanziert wird?": an amount
        r"^(?!.*\bwie (?:hoch|viele?)\b)(?:.*\bwie\b.*\bfinanziert\b|.*\bwoher kommt\b|.*\bwoher kommen\b"
        r"|.*\baus welchen mitteln\b|.*\bwie\b.*\bgedeckt\b)",
    ),
    # "Was geschieht mit dem Zuschuss …?" asks what was decided about it, not what it costs
    (
        DECISION,
        r"\bwas (?:geschieht|passiert) mit\b|\bwas wird aus\b|\bwas soll mit\b.*\b(?:geschehen|passieren)\b",
    ),
    (
        COST,
        r"\bkost|\bzahl|\bbeitrag|\bzuschuss|\bpreis|\bteuer|\bgeld\b|\bbetrag|\bwie viel(?!e)|\bwieviel(?!e)|\bwie hoch|\bcost|\bpay",
    ),
    (
        MEMBERSHIP,
        r"\bmitglied|\bbeteiligt\b|\bbeteiligung|\bgesellschafter\b(?!beitrag)|vereine?n?\b|verbände\b",
    ),
    (DECISION, r"\bbeschlo|\babgestimmt|\bentschied|\bentschieden|\bwarum\b|\baustreten\b|\bausgetreten\b"),
    (COST, r"\bförderung\b|\bfördermittel|\bzuwendung"),  # "Was kriegen wir an Förderung …?"
)
_LIST_QUESTION = re.compile(r"^\s*(?:in\s+|bei\s+|an\s+)?welche[nmrs]?\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"^\s*(?:und|aber|sowie|auch|what about|and)\b", re.IGNORECASE)
_ASKS_AMOUNT = re.compile(
    r"\bwie hoch\b|\bwie viel\b|\bwieviel\b|\bwas kostet\b|\bwas kosten\b|\bwie teuer\b|"
    r"\bwelche[nrs]?\s+(?:\w+\s+)?\w*(?:betrag|beitrag|zuschuss|summe|preis|gebühr|anteil|förderung|zuwendung)\b|"
    r"\bwas zahl|\bhow much\b|\bwhat\b.*\b(?:fee|contribution|amount)\b",
    re.IGNORECASE,
)
# Kinds of figure a question may name, with the words a passage states them by (as parts of
# compounds too: "Jahresbeitrag" states a Beitrag). A passage with an amount of another kind does
# not answer the question.
FIGURE_KINDS: dict[str, tuple[str, ...]] = {
    "Mitgliedsbeitrag": ("beitrag", "beiträge"),
    "Jahresbeitrag": ("beitrag", "beiträge"),
    "Stammkapital": ("stammkapital", "stammeinlage", "kapital"),
    "Stammeinlage": ("stammeinlage", "stammkapital", "einlage"),
    "Eigenanteil": ("eigenanteil", "anteil"),
    "Hebesatz": ("hebesatz", "prozent", "%"),
    "Defizit": ("defizit", "fehlbetrag", "verlust"),
    "Gebühr": ("gebühr",),
    "Kaufpreis": ("preis",),
    "Miete": ("miete",),
    "Zuschuss": (
        "zuschuss",
        "zuschüss",
        "zuwendung",
        "förder",
        "beihilfe",
        "gewährt",
        "bewilligt",
        "erhält",
        "erhalten",
    ),
}


def classify(question: str) -> str:
    lowered = question.lower()
    for kind, pattern in _CUES:
        if re.search(pattern, lowered):
            return kind
    return COST if asks_amount(question) else OTHER  # "Welche Förderung bekommt …?"


# Words that point back to the previous turn: "Wer wollte stattdessen austreten?", and a
# demonstrative with nothing after it, "Bis wann läuft das?" (not "es": "Welche Programme gibt es?").
_POINTS_BACK = re.compile(
    r"\bstattdessen\b|\bdavon\b|\bdort\b|\bdabei\b|\bdafür\b|\bdeshalb\b|\b(?:das|dies|dieses)\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    """ "Und das EWH-Netzwerk?", "Wer wollte stattdessen austreten?" continue the previous turn."""
    return (
        bool(_FOLLOW_UP.match(question))
        or len(content_words(question)) <= 1
        or bool(_POINTS_BACK.search(question))
    )


def retrieval_query(question: str, history: list[str]) -> str:
    """A follow-up ("Und das EWH-Netzwerk?") is searched together with the turn it continues."""
    if history and is_follow_up(question):
        return f"{question} {history[-1]}"
    return question


# Particles of German separable verbs, which stand at the end of a question: "Aus welchem Verein
# treten wir aus?" asks about "austreten".
_PARTICLES = frozenset(
    [
        "ab",
        "an",
        "auf",
        "aus",
        "bei",
        "ein",
        "fest",
        "mit",
        "nach",
        "teil",
        "vor",
        "weg",
        "zu",
        "zurück",
        "zusammen",
    ]
)


def separable_verbs(question: str, known: Callable[[str], bool]) -> list[str]:
    """The separable verbs a question splits ("treten … aus" → "austreten"): its final particle
    joined to each of its words, where `known` (a stem of the corpus or of a synonym group) says
    the joined word exists."""
    words = re.findall(r"\w+", question)
    if len(words) < 3 or words[-1].lower() not in _PARTICLES:
        return []
    particle = words[-1].lower()
    joined = (particle + w.lower() for w in words[1:-1] if w.lower() not in STOPWORDS and len(w) >= 3)
    return [w for w in dict.fromkeys(joined) if known(stem(w))]


def question_kind(question: str, history: list[str]) -> str:
    kind = classify(question)
    if history and kind == OTHER and is_follow_up(question):
        return classify(history[-1])
    return kind


def capitalised_terms(question: str) -> list[str]:
    """Nouns and names of the question (German capitalises them), as stems; question words excluded."""
    tokens = re.findall(r"[A-Za-zÄÖÜäöüß][\w.-]*", question)
    terms: list[str] = []
    for i, token in enumerate(tokens):
        word = token.strip(".-").lower()
        if not token[0].isupper() or word in QUESTION_WORDS or word in STOPWORDS or len(word) < 3:
            continue
        if i == 0 and word in _COMMON_SENTENCE_STARTS:
            continue
        terms.extend(stem(part) for part in re.split(r"[-.]", word) if len(part) >= 3)
    return terms


def name_runs(question: str) -> list[list[str]]:
    """Runs of two or more capitalised words – names like "Zweckverband Großraum Braunschweig" –
    as stems; the question's first word only counts when it is no question or function word."""
    runs: list[list[str]] = []
    current: list[str] = []
    tokens = re.findall(r"[\wÄÖÜäöüß][\w.-]*|\S", question)
    for i, token in enumerate(tokens):
        word = token.strip(".-").lower()
        capital = token[:1].isupper() and token[:1].isalpha()
        sentence_start = i == 0 and word in _COMMON_SENTENCE_STARTS
        if capital and not sentence_start and word not in STOPWORDS and word not in QUESTION_WORDS:
            current.extend(stem(part) for part in re.split(r"[-.]", word) if part)
            continue
        if len(current) >= 2:
            runs.append(current)
        current = []
    if len(current) >= 2:
        runs.append(current)
    return runs


_COMMON_SENTENCE_STARTS = frozenset(
    [
        "ist",
        "sind",
        "hat",
        "haben",
        "wird",
        "werden",
        "gibt",
        "kann",
        "darf",
        "soll",
        "muss",
        "und",
        "aber",
        "how",
        "what",
        "which",
        "who",
        "does",
        "is",
        "are",
    ]
)


COUNT_WORDS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "two": 2, "three": 3, "four": 4, "five": 5}
COUNT_WORD = "|".join(COUNT_WORDS)  # as a regex alternative
_ADDEND_COUNT = re.compile(rf"\b(?:beide[nrs]?|both)\b|\b(?:die|der|den|the)\s+({COUNT_WORD})\b", re.I)


def addend_count(question: str) -> int | None:
    """How many things a sum question adds up, when it says so: "die beiden …", "die drei …"."""
    match = _ADDEND_COUNT.search(question)
    if match is None:
        return None
    return COUNT_WORDS[match.group(1).lower()] if match.group(1) else 2


def asks_amount(question: str) -> bool:
    """The question wants an amount: "Wie hoch ist …?", "Was kostet …?" (not "Wie viele …?", not
    "Wie viel Prozent …?" – the composer shapes those by `asked_measures`)."""
    return bool(_ASKS_AMOUNT.search(question))


# Measures other than money a question may ask for, by the words it asks with; the composer only
# answers one of them with a sentence that states such a measure (`answer.MEASURES`).
PERCENT, COUNT, DURATION, AREA = "percent", "count", "duration", "area"
_MEASURE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        PERCENT,
        re.compile(
            r"prozent|\bwie viel %|(?:hebe|förder|umlage|zins|steuer)s?(?:satz|sätze)\b|\bquote\b|\bpercentage\b",
            re.IGNORECASE,
        ),
    ),
    (COUNT, re.compile(r"\bwie ?viele\b|\bhow many\b|\banzahl\b", re.IGNORECASE)),
    (
        AREA,
        re.compile(
            r"\bwie gro(?:ß|ss)\b.*(?:grundstück|fläche|areal|gelände|gebiet)|\bwie viele? (?:quadratmeter|hektar)",
            re.IGNORECASE,
        ),
    ),
    (
        DURATION,
        re.compile(r"\bwie lange\b|\bhow long\b|\bwelche[nr]? (?:\w+ )?(?:dauer|laufzeit)\b", re.IGNORECASE),
    ),
)


def asked_measures(question: str) -> set[str]:
    """The shares, numbers of things, lengths of time or areas the question asks for ("Wie viele
    Wochenstunden … und wie lange?" asks for a count and a duration)."""
    return {measure for measure, cue in _MEASURE_CUES if cue.search(question)}


def figure_kind(question: str) -> str | None:
    """The kind of figure the question names, from `FIGURE_KINDS` ("Wie hoch ist der Mitgliedsbeitrag")."""
    lowered = question.lower()
    for kind in FIGURE_KINDS:
        if kind.lower() in lowered or (kind == "Gebühr" and "gebühr" in lowered):
            return kind
    return None


def asked_year(question: str) -> str:
    years = re.findall(r"\b(?:19|20)\d{2}\b", question)
    return years[0] if len(years) == 1 else ""


def years_in(text: str) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d{2}\b", text))


def is_list_question(question: str) -> bool:
    """ "Welche Vereine …?", "In welchen Verbänden …?": the answer is a list."""
    return bool(_LIST_QUESTION.match(question))


# "Welcher Verein", "Welches Gremium", "Welchem Verband" opening the question: one thing asked to be
# named (not "Welche", "Welchen", which may ask for several; not "Unter welcher Bedingung", "Bis zu
# welchem Anteil", which ask for a circumstance).
_WHICH_THING = re.compile(r"^\s*[Ww]elche[rsm]\s+([A-ZÄÖÜ]\w+)\b")


def asked_thing(question: str) -> str | None:
    """What a "Welcher Verein …?" question asks to be named, as a stem ("verein"); None for other
    questions and for ones that only ask for a figure ("Welchen Betrag …")."""
    match = _WHICH_THING.match(question)
    if match is None or _ASKS_AMOUNT.search(question):
        return None
    return stem(match.group(1))


_COUNTED = re.compile(r"\b(?:wie ?viele|how many)\s+([^?.,;:]*)", re.IGNORECASE)


def counted_noun(question: str) -> str | None:
    """The stem of what a "Wie viele …?" question counts ("Wie viele neue Stellen …" → "stell"):
    the first capitalised of the next three words, or in an all-lower-case question the first."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    words = [w.strip("\"'„“") for w in match.group(1).split()[:3]]
    nouns = words[:1] if question.islower() else [w for w in words if w[:1].isupper()]
    if not nouns or nouns[0].lower() in QUESTION_WORDS or nouns[0].lower() in STOPWORDS:
        return None
    return stem(nouns[0].lower().split("-")[-1])
