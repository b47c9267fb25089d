"""German numbers, amounts of money and dates as council documents write them.

"60.000 €", "1,3 Millionen Euro", "12 Cent je Einwohner", "5.000,- €" are amounts; "13.10.2022",
"22.04.15" and "1. Januar 2026" are dates. `format_amount` writes an amount back the same way.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# ------------------------------------------------------------------------------------------ amounts

_WS = r"[ \t\u00a0\u202f]*(?:\n[ \t\u00a0\u202f]*)?"
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NO_CENTS = r"(?:,(?:--?|–))?"  # "5.000,- €"
_SCALE = r"Milliarden|Milliarde|Millionen|Million|Mio\.|Mrd\.|Tausend|Tsd\."
_UNIT_AFTER = r"€|Euro\b|EUR\b|TEUR\b|T€|DM\b|D-Mark\b|Cent\b|ct\b"
_UNIT_BEFORE = r"€|EUR\b|DM\b"
_PER = (
    rf"{_WS}(?:pro|je){_WS}"
    rf"(?P<per>Einwohner(?:innen|in|n)?(?:{_WS}und{_WS}Einwohner(?:n)?)?|EW\b|Kopf\b"
    rf"|Quadratmeter\b|qm\b|m²|m2\b)"
    rf"(?:{_WS}(?:und|pro|im|je){_WS}Jahr\b)?"
)
_AMOUNT = re.compile(
    rf"(?<![\w.,/])(?:"
    rf"(?P<unit_before>{_UNIT_BEFORE}){_WS}(?!(?:19|20)\d\d\b(?![.,]\d))"  # not "EUR 2024"
    rf"(?P<number_before>{_NUMBER}){_NO_CENTS}(?!\d|[.,]\d)"
    rf"(?:{_WS}(?P<scale_before>{_SCALE}))?"
    rf"|(?P<number>{_NUMBER}){_NO_CENTS}(?!\d|[.,]\d)(?:{_WS}(?P<scale>{_SCALE}))?{_WS}(?P<unit>{_UNIT_AFTER})"
    rf")(?:{_PER})?"
)
_SCALES = {"tausend": 1e3, "tsd.": 1e3, "mio.": 1e6, "million": 1e6, "millionen": 1e6}
_SCALES |= {"mrd.": 1e9, "milliarde": 1e9, "milliarden": 1e9}


@dataclass(frozen=True)
class Amount:
    """An amount of money as written in a text; `start`/`end` are offsets into that text."""

    value: float
    currency: str  # EUR, DM, EUR/Einwohner, EUR/m²
    text: str
    start: int
    end: int


def parse_amount(text: str) -> list[Amount]:
    """Every amount of money in `text`, in order: "60.000 €", "1,3 Millionen Euro", "12 Cent je Einwohner" …

    A number needs a currency to count, so dates, Vorlage numbers, years, areas, percentages and
    "3,8 Millionen Einwohner" are not amounts.
    """
    return [_amount(match) for match in _AMOUNT.finditer(text)]


def _amount(match: re.Match[str]) -> Amount:
    number = match.group("number") or match.group("number_before")
    unit = match.group("unit") or match.group("unit_before")
    scale = (match.group("scale") or match.group("scale_before") or "").lower()
    value = float(number.replace(".", "").replace(",", ".")) * _SCALES.get(scale, 1.0)
    if unit in ("Cent", "ct"):
        value /= 100
    elif unit in ("TEUR", "T€"):
        value *= 1000
    currency = "DM" if unit in ("DM", "D-Mark") else "EUR"
    per = match.group("per") or ""
    if per:
        currency += "/m²" if per[0] in "Qqm" else "/Einwohner"
    return Amount(round(value, 6), currency, match.group(), match.start(), match.end())


def format_number(value: float) -> str:
    """12500.0 → "12.500", 46684.75 → "46.684,75", 0.5 → "0,50": how the documents write numbers."""
    whole = abs(value - round(value)) < 0.005
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def format_amount(value: float, currency: str) -> str:
    """67400.0, "EUR" → "67.400 €"; the currency as `parse_amount` names it."""
    unit = {"EUR": "€", "DM": "DM", "EUR/Einwohner": "€ pro Einwohner"}.get(currency, currency)
    return f"{format_number(value)} {unit}".strip()


# -------------------------------------------------------------------------------------------- dates

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
MONTH_NAMES = "|".join(MONTHS)
NUMERIC_DATE = r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?!\d)"
WORDED_DATE = rf"(?<!\d)\d{{1,2}}\.\s?(?:{MONTH_NAMES})\s+\d{{4}}(?!\d)"
DATE = re.compile(rf"{NUMERIC_DATE}|{WORDED_DATE}", re.IGNORECASE)


def iso_date(value: str) -> str:
    """The first German date in `value` ("13.10.2022", "22.04.15", "1. Januar 2026") as ISO; "" if none."""
    match = DATE.search(value)
    if match is None:
        return ""
    parts = [part for part in re.split(r"[.\s]+", match.group()) if part]
    day, month_text, year_text = parts[0], parts[1], parts[2]
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    year = int(year_text) + (2000 if int(year_text) < 50 else 1900) if len(year_text) == 2 else int(year_text)
    try:
        return datetime.date(year, month, int(day)).isoformat()
    except ValueError:
        return ""


def german_date(iso: str) -> str:
    """An ISO date "2022-10-13" as the documents write it, "13.10.2022"; anything else as given."""
    parts = iso.split("-")
    return f"{parts[2]}.{parts[1]}.{parts[0]}" if len(parts) == 3 else iso
