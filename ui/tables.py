"""Tables the app shows: the ledger with its chart, totals and CSV export, the decisions, the document
list, upload previews."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ingest.german.numbers import format_number, german_date
from ingest.types import FIELD_LABELS, Document
from ui.render import committees_text

LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("organisation", "Organisation"),
    ("kind", "Art"),
    ("amount", "Betrag"),
    ("value", "Wert"),
    ("currency", "Währung"),
    ("period", "Zeitraum"),
    ("years", "Jahre"),
    ("payer", "Zahler"),
    ("body", "Körperschaft"),
    ("reference", "Vorlage"),
    ("date", "Datum"),
    ("purpose", "Zweck"),
    ("doc_id", "Dokument-ID"),
)
# The table on the page leaves out the body (mostly the payer again), the value and currency (the
# amount as written says both) and the document id (Vorlage and Datum name it), and shortens the
# purpose; the CSV keeps everything.
LEDGER_DISPLAY_COLUMNS = tuple(
    column for column in LEDGER_COLUMNS if column[0] not in ("body", "value", "currency", "doc_id")
)
# Pixel widths that keep Organisation, Zahler and Zweck readable (cells wrap) at 1400 px; the table
# scrolls sideways on narrower screens instead of cutting text off.
LEDGER_DISPLAY_WIDTHS: list[str | int] = [210, 130, 95, 85, 75, 150, 90, 105, 250]
# Amounts are right-aligned, so their digits line up.
LEDGER_NUMBER_COLUMNS = ("Betrag",)
PURPOSE_DISPLAY_CHARS = 80
TOTAL_HEADERS = ["Körperschaft", "Jahr", "Währung", "Summe", "Posten"]
TOTAL_NUMBER_COLUMNS = ("Summe", "Posten")
SUMMABLE_CURRENCIES = ("EUR", "DM")

DOCUMENT_FIELDS = ("doc_id", "reference", "title", "status", "date", "committees", "doc_type")
DOCUMENT_HEADERS = [FIELD_LABELS[name] for name in DOCUMENT_FIELDS]

# The clerk's preview of uploaded files; the columns between Datei and Prüfung are editable.
PREVIEW_FIELDS = ("reference", "title", "status", "committees", "doc_type", "date")
PREVIEW_HEADERS = ["Datei", *(FIELD_LABELS[name] for name in PREVIEW_FIELDS), "Prüfung"]
COMMITTEE_SEPARATOR = "; "
NO_STATUS_TEXT = "nicht angegeben"


def ledger_cells(row: Mapping[str, Any]) -> list[Any]:
    """A ledger row as the table on the page shows it."""
    return [_display(key, row.get(key)) for key, _ in LEDGER_DISPLAY_COLUMNS]


def ledger_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    records = [ledger_cells(row) for row in rows]
    return pd.DataFrame(records, columns=[header for _, header in LEDGER_DISPLAY_COLUMNS])


def right_aligned(frame: pd.DataFrame, columns: Iterable[str]) -> Any:
    """The frame as a Styler whose `columns` are right-aligned (Gradio's table keeps cell styles)."""
    return frame.style.set_properties(subset=list(columns), **{"text-align": "right"})


CHART_ORGANISATION = "Organisation"
CHART_YEAR = "Jahr"
CHART_VALUE = "Betrag (€)"
CHART_AMOUNT = "Betrag"  # the same sum written the German way, for the tooltip
CHART_COLUMNS = [CHART_ORGANISATION, CHART_YEAR, CHART_VALUE, CHART_AMOUNT]


def ledger_chart_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One bar per organisation and year, "Organisation (Jahr)": its euro amounts summed per year
    (years as the totals count them, "jährlich" for a recurring amount without a year).
    The same amount for the same organisation and year counts once, however many documents
    mention it (a Vorlage and the Niederschrift of its decision); memberships without an amount
    and other currencies are left out."""
    amounts = {
        (str(row.get("organisation") or "ohne Angabe"), _year_of(row), float(row["value"]))
        for row in rows
        if row.get("value") is not None and row.get("currency") == "EUR"
    }
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for organisation, year, value in amounts:
        sums[(organisation, year)] += value
    records = [
        [
            f"{organisation} ({year})",
            year,
            total,
            f"{format_number(total)} €",
        ]
        for (organisation, year), total in sorted(sums.items(), key=lambda item: (-item[1], item[0]))
    ]
    return pd.DataFrame(records, columns=CHART_COLUMNS)


def _display(key: str, value: Any) -> Any:
    """A ledger cell on the page: the purpose sentence shortened (the CSV keeps it whole)."""
    text = _cell(value)
    if key == "purpose" and isinstance(text, str) and len(text) > PURPOSE_DISPLAY_CHARS:
        return text[: PURPOSE_DISPLAY_CHARS - 1].rstrip() + "…"
    return text


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _year_of(row: Mapping[str, Any]) -> str:
    years = str(row.get("years") or "").strip()
    if years:
        return years
    return "jährlich" if row.get("period") == "jährlich" else "ohne Angabe"


def ledger_sums(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Sums per paying body, year and currency; per-inhabitant rates and memberships are not summed."""
    totals: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for row in rows:
        value, currency = row.get("value"), str(row.get("currency") or "")
        if value is None or currency not in SUMMABLE_CURRENCIES:
            continue
        body = str(row.get("payer") or row.get("body") or "ohne Angabe")
        totals[(body, _year_of(row), currency)].append(float(value))
    return [
        {"body": body, "year": year, "currency": currency, "total": sum(values), "count": len(values)}
        for (body, year, currency), values in sorted(totals.items())
    ]


def ledger_totals(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    records = [
        [s["body"], s["year"], s["currency"], format_number(s["total"]), s["count"]]
        for s in ledger_sums(rows)
    ]
    return pd.DataFrame(records, columns=TOTAL_HEADERS)


def _csv_safe(value: Any) -> Any:
    """Text starting like a spreadsheet formula is prefixed so Excel shows it instead of running it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


MAX_EXPORTS = 32  # CSV files kept in the export folder; older ones are deleted


def write_ledger_csv(rows: Iterable[Mapping[str, Any]], folder: Path) -> Path:
    """A semicolon-separated UTF-8 file (with BOM, so Excel reads umlauts), owner-only (0600).

    Its subfolder is named after its content, so the same rows (every page load of an unchanged
    store) give the same file, written once; beyond MAX_EXPORTS the oldest exports are deleted.
    """
    content = io.StringIO(newline="")
    writer = csv.writer(content, delimiter=";")
    writer.writerow([header for _, header in LEDGER_COLUMNS])
    for row in rows:
        writer.writerow([_csv_safe(_cell(row.get(key))) for key, _ in LEDGER_COLUMNS])
    data = content.getvalue().encode("utf-8-sig")
    target = folder / hashlib.sha256(data).hexdigest()[:24] / "beteiligungen.csv"
    if not target.is_file():
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".csv-")  # created 0600
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
        _prune_exports(folder)
    return target


def _prune_exports(folder: Path) -> None:
    exports = sorted(folder.glob("*/beteiligungen.csv"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in exports[MAX_EXPORTS:]:
        shutil.rmtree(old.parent, ignore_errors=True)


def documents_frame(documents: Iterable[Document]) -> pd.DataFrame:
    records = [[_document_cell(d, name) for name in DOCUMENT_FIELDS] for d in documents]
    return pd.DataFrame(records, columns=DOCUMENT_HEADERS)


def _document_cell(doc: Document, name: str) -> str:
    if name == "committees":
        return committees_text(doc)
    if name == "status":
        return doc.status or NO_STATUS_TEXT
    return str(getattr(doc, name))


def preview_row(name: str, doc: Document | None, problem: str = "") -> list[str]:
    if doc is None:
        return [name, *("" for _ in PREVIEW_FIELDS), problem]
    return [name, *(_preview_cell(doc, field) for field in PREVIEW_FIELDS), problem or "bereit"]


def _preview_cell(doc: Document, name: str) -> str:
    if name == "committees":
        return COMMITTEE_SEPARATOR.join(doc.committees)
    return str(getattr(doc, name))


def preview_frame(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=PREVIEW_HEADERS)


def corrections(parsed: list[str], edited: list[Any]) -> dict[str, Any]:
    """The fields a clerk changed in a preview row, as `parse()` overrides."""
    changed: dict[str, Any] = {}
    for offset, field in enumerate(PREVIEW_FIELDS, start=1):
        before, after = (
            str(parsed[offset]).strip(),
            str(edited[offset] if edited[offset] is not None else "").strip(),
        )
        if before == after:
            continue
        if field == "committees":
            changed[field] = [name.strip() for name in after.split(";") if name.strip()]
        else:
            changed[field] = after
    return changed


# --- decisions ------------------------------------------------------------------------------------

DECISION_HEADERS = ["Gremium", "Datum", "TOP/Vorlage", "Gegenstand", "Ergebnis", "Abstimmung"]
# Together within the 1216 px the page gives a full-width table at 1400 px.
DECISION_WIDTHS: list[str | int] = [190, 100, 150, 360, 170, 220]
_ITEM_LABEL = re.compile(r"^((?:TOP|Tagesordnungspunkt|Punkt|Ö|NÖ)?\s*\d{1,2}(?:\.\d{1,2})*\.?)\s*(.*)$")


def decision_cells(row: Mapping[str, Any]) -> list[str]:
    """A decision row (Assistant.decisions) as the table shows it. TOP/Vorlage is the agenda item a
    decision closes ("TOP 5"), with the Vorlage number where its heading names it, else the Vorlage;
    Gegenstand is the rest of the heading, else the document's subject (or id)."""
    item = str(row.get("item") or "")
    reference = str(row.get("reference") or "")
    label, subject = "", ""
    if match := _ITEM_LABEL.match(item):
        label, subject = match.group(1).rstrip("."), match.group(2)
    where = " · ".join(part for part in (label, reference if not item or reference in item else "") if part)
    return [
        str(row.get("committee") or ""),
        german_date(str(row.get("date") or "")),
        where,
        subject or str(row.get("title") or row.get("doc_id") or ""),
        str(row.get("outcome") or ""),
        _vote_text(str(row.get("vote") or "")),
    ]


def _vote_text(vote: str) -> str:
    """ "(Ja 3, Nein 8)" without its brackets; "einstimmig (Ja 9, Nein 0)" as it is."""
    return vote[1:-1] if vote.startswith("(") and vote.endswith(")") else vote


def decisions_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([decision_cells(row) for row in rows], columns=DECISION_HEADERS)


def decision_choices(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """What the decision filters offer: the committees, years (newest first) and outcomes of `rows`."""
    rows = list(rows)
    committees = {name.strip() for row in rows for name in str(row.get("committee") or "").split(",")}
    years = {str(row.get("date") or "")[:4] for row in rows}
    return {
        "committee": sorted(committees - {""}),
        "year": sorted((y for y in years if y.isdigit()), reverse=True),
        "outcome": sorted({str(row.get("outcome") or "") for row in rows} - {""}),
    }
