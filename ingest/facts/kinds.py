"""What an amount is: its kind of payment (Mitgliedsbeitrag, Zuschuss, Umlage …), its period
(jährlich, einmalig) and its years, read from the words around it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.german.numbers import Amount

MEMBERSHIP = "Mitgliedschaft"
DEFAULT_KIND = "Betrag"
YEARLY = "jährlich"
ONE_OFF = "einmalig"


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
SPECIFIC_CONTRIBUTIONS = ("Mitgliedsbeitrag", "Gesellschafterbeitrag", "Projektbeitrag")
PAYMENT_KINDS = frozenset(
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
YEAR_EXPRESSION = re.compile(
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
TOTAL = re.compile(r"\b(?:Zusammen|zusammen|Insgesamt|insgesamt|Summe|gesamt)\b")


@lru_cache(maxsize=4096)
def kind_of_word(word: str) -> str:
    """The kind of payment a word names ("Jahresbeitrag" → "Mitgliedsbeitrag"), else ""."""
    match = _KIND_WORD.fullmatch(word.lower())
    return _KINDS[int(match.lastgroup[1:])][0] if match and match.lastgroup else ""


def kinds_in(text: str) -> list[tuple[int, str]]:
    """(position, kind) of every word in `text` that names a kind of payment."""
    found = []
    for match in re.finditer(r"[^\W\d_]+", text):
        kind = kind_of_word(match.group())
        if kind:
            found.append((match.start(), kind))
    return found


def nearest_kind(found: list[tuple[int, str]]) -> str:
    """The last specific kind before the amount, else the last generic one ("Kosten", "Beitrag")."""
    specific = [kind for _, kind in found if kind not in _GENERIC_KINDS]
    if specific:
        return specific[-1]
    return found[-1][1] if found else ""


def year_label(match: re.Match[str]) -> str:
    first, last = match.group("first"), match.group("last")
    if last:
        return f"{first}-{last}"
    prefix = (match.group("prefix") or "").split()
    return f"{prefix[0].lower()} {first}" if prefix else first


def amount_window(text: str, amounts: list[Amount], index: int) -> tuple[int, int]:
    """The stretch of the sentence that belongs to one amount: up to its neighbours or a clause break."""
    amount = amounts[index]
    left = amounts[index - 1].end if index else 0
    left = max(left, max(text.rfind(c, 0, amount.start) for c in ";()") + 1)
    if index:
        left = max(left, text.rfind(", ", 0, amount.start) + 1)
    right = amounts[index + 1].start if index + 1 < len(amounts) else len(text)
    breaks = [p for p in (text.find(c, amount.end) for c in ";(),") if p >= 0]
    return left, min([right, *breaks])


def amount_groups(text: str, amounts: list[Amount]) -> list[int]:
    """Group numbers: amounts joined by "auf", "und", "bis" ("von 0,12 € auf 0,24 €") share a group."""
    groups = [0]
    for index in range(1, len(amounts)):
        gap = text[amounts[index - 1].end : amounts[index].start]
        gap = YEAR_EXPRESSION.sub("", gap)
        gap = re.sub(r"\(\s*\)|\bim\b|\bJahr\b", "", gap)
        same = bool(_GROUP_GAP.fullmatch(gap))
        groups.append(groups[-1] if same else groups[-1] + 1)
    return groups


def shared_rates(amounts: list[Amount]) -> list[str]:
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


def period_of_amount(text: str, amounts: list[Amount], groups: list[int], index: int) -> str:
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
    left, right = amount_window(text, amounts, index)
    if _RUNNING.match(text[amount.end : right]):
        return YEARLY
    return period_words(amount.text) or period_words(
        text[left : amount.start] + " " + text[amount.end : right]
    )


def period_words(text: str) -> str:
    yearly = [m.start() for m in _YEARLY.finditer(text)]
    once = [m.start() for m in _ONE_OFF.finditer(text)]
    if yearly and once:
        return YEARLY if max(yearly) > max(once) else ONE_OFF
    return YEARLY if yearly else ONE_OFF if once else ""


def right_attached_year(text: str, amount: Amount) -> str:
    """The year written right after an amount: "20.000 € (2025)", "10.000 € im Jahr 2026"."""
    for match in YEAR_EXPRESSION.finditer(text, amount.end):
        gap = text[amount.end : match.start()]
        if len(gap) <= 8 and _RIGHT_ATTACHED_YEAR.fullmatch(gap):
            return year_label(match)
        break
    return ""


def year_before(text: str, amount: Amount, right_years: list[str], amounts: list[Amount]) -> str:
    """The nearest year stated before the amount in its clause, unless it belongs to an earlier amount."""
    clause_start = text.rfind(";", 0, amount.start) + 1
    taken = set()
    for other, label in zip(amounts, right_years, strict=True):
        if label:
            for match in YEAR_EXPRESSION.finditer(text, other.end):
                taken.add(match.start())
                break
    candidates = [
        m for m in YEAR_EXPRESSION.finditer(text[: amount.start], clause_start) if m.start() not in taken
    ]
    return year_label(candidates[-1]) if candidates else ""
