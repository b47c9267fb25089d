"""The `ratsauskunft` command line, driven through click's runner on stores in tmp_path."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ui.cli import main

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


def run(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store")
    code, output = run(store, "ingest", str(CORPUS))
    assert code == 0, output
    return store


def test_ingest_of_the_development_set_indexes_every_format_with_its_metadata(tmp_path, eval_docs):
    code, output = run(tmp_path, "ingest", str(eval_docs))
    assert code == 0, output
    assert "18 hinzugefügt" in output
    code, output = run(tmp_path, "documents", "--json")
    docs = {d["doc_id"]: d for d in json.loads(output)["documents"]}
    assert len(docs) == 18
    assert docs["2014-284-lueneburg"]["title"].startswith(
        "Haushaltssatzung und Haushaltsplan 2015"
    )  # Windows-1252
    assert docs["2023-117-peine-grundstueck"]["status"] == "nichtöffentlich"
    assert docs["2022-0214-hann-muenden"]["reference"] == "BesV/0214/22"
    assert docs["2021-0412-darmstadt-dieburg"]["reference"] == "2021/0412"  # docx
    assert docs["2025-064-peine-ftz"]["reference"] == "2025/064"  # pdf
    assert docs["2022-346-lueneburg"]["status"] == "öffentlich"  # html
    assert docs["2015-179-peine"]["status"] == ""  # no status line: counts as non-public


def test_reingest_of_unchanged_files_skips_them(corpus_store):
    code, output = run(corpus_store, "ingest", str(CORPUS))
    assert code == 0 and "0 hinzugefügt, 0 aktualisiert, 1 unverändert" in output


def test_failing_file_is_reported_and_sets_the_exit_code_while_others_are_indexed(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "leer.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "docs" / "gut.txt").write_text(
        "Vorlage - 1/2024\n\nSachverhalt:\nEin Satz.\n", encoding="utf-8"
    )
    code, output = run(tmp_path / "store", "ingest", str(tmp_path / "docs"))
    assert code == 1
    assert "1 hinzugefügt" in output and "1 fehlgeschlagen" in output
    assert "leer.txt" in output and "leer" in output.lower()


def test_ask_answers_the_seed_question_with_a_quoted_figure(corpus_store):
    code, output = run(corpus_store, "ask", "Was kostet die Mitgliedschaft in der Metropolregion?", "--json")
    answer = json.loads(output)
    assert code == 0 and "3.000" in answer["answer"] and not answer["abstained"]
    assert any("3.000 €" in c["quote"] for c in answer["citations"])


def test_ask_takes_the_history_of_a_conversation(corpus_store, tmp_path):
    history = tmp_path / "history.json"
    history.write_text(json.dumps(["Was kostet die Mitgliedschaft in der Metropolregion?"]), encoding="utf-8")
    code, output = run(
        corpus_store,
        "ask",
        "Und das Netzwerk Erweiterter Wirtschaftsraum Hannover?",
        "--history-json",
        str(history),
        "--json",
    )
    assert code == 0 and "4.400" in json.loads(output)["answer"]


def test_search_json_has_the_documented_shape(corpus_store):
    code, output = run(corpus_store, "search", "2015/179", "--json", "--k", "3")
    hits = json.loads(output)["hits"]
    assert code == 0 and hits[0]["reference"] == "2015/179"
    assert set(hits[0]) >= {"doc_id", "reference", "title", "section", "score", "snippet", "start", "end"}


def test_ledger_csv_lists_the_three_organisations_of_the_seed(corpus_store):
    code, output = run(corpus_store, "ledger", "--csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    amounts = {(r["amount"], r["period"]) for r in rows}
    assert code == 0
    assert {("60.000 €", "jährlich"), ("4.400 €", "jährlich"), ("3.000 €", "jährlich")} <= amounts
    assert any(r["amount"] == "30.000 €" and r["years"] == "2016" for r in rows)
    assert all(r["reference"] == "2015/179" for r in rows)


def test_remove_takes_a_document_out_of_the_index(tmp_path):
    store = tmp_path / "store"
    run(store, "ingest", str(CORPUS))
    code, output = run(store, "remove", "vorlage-2015-179")
    assert code == 0
    code, output = run(store, "documents", "--json")
    assert json.loads(output)["documents"] == []
    code, output = run(store, "remove", "vorlage-2015-179")
    assert code == 1
