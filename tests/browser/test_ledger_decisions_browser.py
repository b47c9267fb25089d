"""The Beteiligungen chart and table and the Beschlüsse tab in headless Chromium.

One app for the module over the shipped corpus/ (Vorlage 2015/179: memberships and grants of the
Landkreis Peine) and four small documents written here: a public Vorlage with a yearly
grant and a one-off amount for a later year, the public Niederschrift of the committee that
decided on it (two agenda items, one rejected), a public Beschlussauszug of 2023, and a
non-public Niederschrift with a decision, a sale and a yearly lease for "Wallgraben GmbH" that no
public visitor may see.

With RATSAUSKUNFT_SCREENSHOTS=docs the README's pictures of the chart and the Beschlüsse tab are
written to docs/ (small palette PNGs); every run writes its screenshots to test-artifacts/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

from page_steps import sign_in  # noqa: E402  (after the importorskip)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS_ENV = "RATSAUSKUNFT_SCREENSHOTS"
UPLOAD_LIMIT_BYTES = 256 * 1024
NON_PUBLIC_NAME = "Wallgraben"

VORLAGE_TXT = """Vorlage - 2024/031

Betreff: Zuschuss an den Radverkehrsverein Peiner Land e.V.
Vorlage-Art: Beschlussvorlage
Status: öffentlich
Datum: 05.02.2024
Beratungsfolge:
Kreisausschuss – 12.03.2024 – Empfehlung
Kreistag – 20.03.2025 – ungeändert beschlossen

Beschlussvorschlag:
Der Landkreis Peine gewährt dem Radverkehrsverein Peiner Land e.V. ab 2024 einen jährlichen Zuschuss in Höhe von 12.500 €. Für 2025 erhält der Verein zusätzlich 4.000 € für neue Wegweiser.

Sachverhalt:
Der Verein plant und betreut das Radwegenetz im Kreisgebiet.
"""

NIEDERSCHRIFT_TXT = """Niederschrift über die 12. Sitzung des Kreisausschusses am 12.03.2024
Status: öffentlich
Datum: 12.03.2024

TOP 4 Zuschuss an den Radverkehrsverein Peiner Land e.V. (Vorlage 2024/031)

Beschluss:

Der Kreisausschuss empfiehlt dem Kreistag, den Zuschuss wie vorgeschlagen zu gewähren.

Abstimmungsergebnis: Ja: 9, Nein: 2, Enthaltungen: 1

TOP 5 Umbenennung der Kreisstraße 12 in Fuhseallee

Beschluss:

Der Kreisausschuss lehnt die Umbenennung ab.

Abstimmungsergebnis: Ja: 3, Nein: 8
"""

AUSZUG_TXT = """Beschlussauszug Gemeinderat Lindenau
Status: öffentlich
Datum: 14.06.2023
Beschluss: mehrheitlich beschlossen

Abstimmung: Ja: 13, Nein: 2, Enthaltungen: 1

Der Gemeinderat Lindenau beschließt den Beitritt zum Naturpark Hohes Moor e.V. zum 01.01.2024.
"""

NON_PUBLIC_TXT = """Niederschrift über die 13. Sitzung des Kreisausschusses am 09.04.2024 (nichtöffentlicher Teil)
Status: nichtöffentlich
Datum: 09.04.2024

TOP 2 Verkauf des Grundstücks Am Wallgraben 7

Beschluss:

Der Kreisausschuss beschließt den Verkauf des Grundstücks Am Wallgraben 7 an die Wallgraben GmbH. Der Landkreis zahlt der Wallgraben GmbH jährlich 9.000 € Pacht.

Abstimmungsergebnis: einstimmig
"""


@pytest.fixture(scope="module")
def app_url(
    tmp_path_factory: pytest.TempPathFactory, assistant_with_users: Callable[..., Any], serve_app: Any
) -> Iterator[str]:
    corpus = tmp_path_factory.mktemp("ledger-corpus")
    (corpus / "vorlage-2024-031.txt").write_text(VORLAGE_TXT, encoding="utf-8")
    (corpus / "niederschrift-ka-2024-03.txt").write_text(NIEDERSCHRIFT_TXT, encoding="utf-8")
    (corpus / "lindenau-naturpark.txt").write_text(AUSZUG_TXT, encoding="utf-8")
    (corpus / "niederschrift-ka-2024-04-geheim.txt").write_text(NON_PUBLIC_TXT, encoding="utf-8")
    assistant = assistant_with_users([REPO / "corpus", corpus], UPLOAD_LIMIT_BYTES)
    with serve_app(assistant) as url:
        yield url


@pytest.fixture
def requests_elsewhere() -> list[str]:
    """Every request the page sent to a host other than the app's own (there must be none)."""
    return []


@pytest.fixture
def page(open_page: Any, app_url: str, requests_elsewhere: list[str]) -> Iterator[Any]:
    own_host = urlsplit(app_url).netloc
    with open_page(app_url, "#transcript") as page:
        page.on(
            "request",
            lambda request: (
                urlsplit(request.url).netloc not in (own_host, "") and requests_elsewhere.append(request.url)
            ),
        )
        yield page


def _screenshot(locator: Any, name: str, readme_name: str = "") -> None:
    """A screenshot into test-artifacts/, and for the README into $RATSAUSKUNFT_SCREENSHOTS as a
    small palette PNG."""
    path = ARTIFACTS / f"{name}.png"
    locator.screenshot(path=str(path))
    target = os.environ.get(SCREENSHOTS_ENV, "")
    if readme_name and target:
        from PIL import Image

        folder = REPO / target
        folder.mkdir(exist_ok=True)
        with Image.open(path) as image:
            image.convert("RGB").quantize(colors=64).save(folder / readme_name, optimize=True)


def _choose(page: Any, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _bar_labels(page: Any) -> list[str]:
    """The accessible name of each bar of the ledger chart: "Organisation: …; Betrag in €: …"."""
    bars = page.locator("#ledger-chart .role-mark path")
    return [str(bars.nth(i).get_attribute("aria-label")) for i in range(bars.count())]


def _cells(page: Any, table: str, column: int) -> list[str]:
    return page.locator(f"#{table} [data-testid^='cell-'][data-testid$='-{column}']").all_inner_texts()


def _scrolls_sideways(table: Any) -> bool:
    """Whether some box of the table must be scrolled sideways to see all its columns."""
    return bool(
        table.evaluate(
            """t => [t, ...t.querySelectorAll('*')].some(e => {
                 const overflow = getComputedStyle(e).overflowX;
                 return (overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1;
               })"""
        )
    )


def _bar_heights_once_drawn(page: Any, tall: int, short: int, ratio: float) -> list[float]:
    """The bars' heights once bar `tall` stands `ratio` times as high as bar `short`, or as they
    are after 30 s. Vega grows the bars in; on a busy machine a read can catch them mid-way, every
    bar at the same height (15 s were once not enough at load 5)."""
    read = "paths => paths.map(p => p.getBoundingClientRect().height)"
    bars = page.locator("#ledger-chart .role-mark path")
    heights: list[float] = []
    for _ in range(150):
        heights = [float(h) for h in bars.evaluate_all(read)]
        if heights[short] > 0 and heights[tall] / heights[short] == pytest.approx(ratio, rel=0.05):
            break
        page.wait_for_timeout(200)
    return heights


def _open_ledger(page: Any) -> None:
    page.get_by_role("tab", name="Beteiligungen").click()
    expect(page.locator("#ledger-chart .role-mark path").first).to_be_visible(timeout=30_000)


def _open_decisions(page: Any) -> None:
    page.get_by_role("tab", name="Beschlüsse").click()
    expect(page.locator("#decision-table")).to_contain_text("TOP 5", timeout=30_000)


# --- ledger ---------------------------------------------------------------------------------------


def test_ledger_chart_has_one_bar_per_organisation_and_year_without_loading_anything_from_outside(
    page: Any, requests_elsewhere: list[str]
) -> None:
    _open_ledger(page)
    labels = _bar_labels(page)
    grant = [i for i, label in enumerate(labels) if "Peiner" in label and "(ab 2024)" in label]
    extra = [i for i, label in enumerate(labels) if "Peiner" in label and "(2025)" in label]
    assert len(grant) == len(extra) == 1, labels
    assert "12.500 €" in labels[grant[0]] and "4.000 €" in labels[extra[0]]
    assert any("Allianz für die Region GmbH (2016)" in label and "30.000 €" in label for label in labels)
    assert any("Metropolregion" in label and "(jährlich)" in label for label in labels)
    heights = _bar_heights_once_drawn(page, grant[0], extra[0], 12_500 / 4_000)
    # tallest first
    assert all(taller >= shorter - 0.5 for taller, shorter in zip(heights, heights[1:], strict=False))
    assert heights[grant[0]] / heights[extra[0]] == pytest.approx(12_500 / 4_000, rel=0.05)
    expect(page.locator("#ledger-totals")).to_contain_text("Landkreis Peine")
    _screenshot(page.locator("#ledger-chart"), "21-ledger-chart", "screenshot-ledger-chart.png")
    assert requests_elsewhere == []


def test_ledger_columns_wrap_fit_the_page_and_align_amounts_right(page: Any) -> None:
    _open_ledger(page)
    table = page.locator("#ledger-table")
    headers = table.locator("th[data-testid^='header-']").all_inner_texts()
    for name in ("Organisation", "Zahler", "Zweck"):
        column = headers.index(name)
        header = table.locator(f"th[data-testid='header-{column}']")
        box = header.bounding_box()
        assert box["width"] >= 140, (name, box)
        assert box["x"] + box["width"] <= 1400, (name, box)  # on screen at 1400 px, no sideways scrolling
        cells = table.locator(f"[data-testid^='cell-'][data-testid$='-{column}']")
        overflowing = cells.evaluate_all(
            "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)"
        )
        assert overflowing == [], (name, overflowing)
    assert not _scrolls_sideways(table)
    amount = headers.index("Betrag")
    first_amount = table.locator(f"[data-testid='cell-0-{amount}']")
    assert "€" in first_amount.inner_text()
    assert first_amount.evaluate("c => getComputedStyle(c).textAlign") == "right"
    organisation = table.locator(f"[data-testid='cell-0-{headers.index('Organisation')}']")
    assert organisation.evaluate("c => getComputedStyle(c).textAlign") != "right"
    _screenshot(page.locator("#ledger-table"), "22-ledger-table")


# --- decisions ------------------------------------------------------------------------------------


def test_decisions_list_committee_date_item_outcome_and_vote(page: Any) -> None:
    _open_decisions(page)
    table = page.locator("#decision-table")
    headers = table.locator("th[data-testid^='header-']").all_inner_texts()
    assert headers == ["Gremium", "Datum", "TOP/Vorlage", "Gegenstand", "Ergebnis", "Abstimmung"]
    items = _cells(page, "decision-table", 2)
    assert "TOP 5" in items and "TOP 4 · 2024/031" in items
    row = items.index("TOP 5")
    assert _cells(page, "decision-table", 4)[row] == "abgelehnt"
    assert _cells(page, "decision-table", 5)[row] == "Ja 3, Nein 8"
    assert _cells(page, "decision-table", 1)[row] == "12.03.2024"
    assert "Kreisausschuss" in _cells(page, "decision-table", 0)  # the Beratungsfolge step
    overflowing = table.locator("[data-testid^='cell-']").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)"
    )
    assert overflowing == []
    assert not _scrolls_sideways(table)
    _screenshot(page.locator("#decision-table"), "23-decisions")


def test_decision_filters_narrow_the_list(page: Any) -> None:
    _open_decisions(page)
    _choose(page, "decision-outcome", "abgelehnt")
    table = page.locator("#decision-table")
    expect(table).not_to_contain_text("TOP 4")
    assert _cells(page, "decision-table", 2) == ["TOP 5"]
    _choose(page, "decision-outcome", "alle")
    expect(table).to_contain_text("TOP 4")
    _choose(page, "decision-year", "2023")
    expect(table).not_to_contain_text("TOP 4")
    assert _cells(page, "decision-table", 5) == ["mehrheitlich (Ja 13, Nein 2, Enthaltungen 1)"]
    _choose(page, "decision-year", "alle")
    _choose(page, "decision-committee", "Kreistag")
    expect(table).not_to_contain_text("TOP 5")
    assert all("Kreistag" in name for name in _cells(page, "decision-table", 0))


def test_click_on_a_decision_opens_its_passage_in_the_document(page: Any) -> None:
    _open_decisions(page)
    row = _cells(page, "decision-table", 2).index("TOP 5")
    page.locator(f"#decision-table [data-testid='cell-{row}-3']").click()
    document = page.locator("#decision-document")
    expect(document.locator("mark.passage")).to_contain_text("Ja: 3, Nein: 8")
    expect(document.locator(".doc-text")).to_contain_text("Umbenennung der Kreisstraße 12")
    _screenshot(page.locator("#decision-document"), "24-decision-passage")

    step = _cells(page, "decision-table", 4).index("Empfehlung")
    page.locator(f"#decision-table [data-testid='cell-{step}-0']").click()
    expect(document.locator("mark.passage")).to_contain_text("Kreisausschuss – 12.03.2024 – Empfehlung")
    expect(document.locator(".doc-meta")).to_contain_text("2024/031")
    _screenshot(
        page.locator("#decision-table").locator("xpath=ancestor::div[@role='tabpanel'][1]"),
        "25-decisions-tab",
        "screenshot-decisions.png",
    )


# --- access ---------------------------------------------------------------------------------------


def _shown_everywhere(page: Any) -> str:
    """What the ledger and decisions tabs show: tables, bars and the filters' choices."""
    _open_ledger(page)
    texts = [page.locator("#ledger-table").inner_text(), page.locator("#ledger-totals").inner_text()]
    texts += _bar_labels(page)
    _open_decisions(page)
    texts.append(page.locator("#decision-table").inner_text())
    for elem_id in ("decision-committee", "decision-year", "decision-outcome"):
        page.locator(f"#{elem_id} input").click()
        texts += page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
    return "\n".join(texts)


def test_public_visitor_sees_no_non_public_row_bar_or_decision(page: Any) -> None:
    public = _shown_everywhere(page)
    assert NON_PUBLIC_NAME not in public
    assert "einstimmig" not in public and "09.04.2024" not in public
    sign_in(page, "ratsmitglied")
    member = _shown_everywhere(page)
    assert NON_PUBLIC_NAME in member  # the same views do show it to a member
    assert "einstimmig" in member and "09.04.2024" in member
