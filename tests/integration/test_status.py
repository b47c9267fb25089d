"""No silent access trap: a document without a status line counts as non-public, and the command line says
so – at ingest, and on stderr when `ask`/`search` run as public – until `ingest --status öffentlich`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ui.cli import main

pytestmark = pytest.mark.integration

NO_STATUS_TXT = """Vorlage - 2024/150

Betreff: Zuschuss für die Musikschule Nordheide
Datum: 04.06.2024

Beschlussvorschlag:
Die Musikschule Nordheide erhält vom Landkreis einen Zuschuss. Der Zuschuss beträgt jährlich 24.000 €.
"""
QUESTION = "Wie hoch ist der Zuschuss für die Musikschule Nordheide?"


def run(store: Path, *args: str) -> Any:
    result = CliRunner().invoke(
        main, ["--store", str(store), *args], env={"RATSAUSKUNFT_EMBEDDING_MODEL": "minilm"}
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "vorlage-2024-150.txt").write_text(NO_STATUS_TXT, encoding="utf-8")
    return docs


def test_ingest_counts_documents_without_status_and_names_the_status_option(
    tmp_path: Path, folder: Path
) -> None:
    output = run(tmp_path / "store", "ingest", str(folder)).stdout
    assert "1 Dokument gilt als nicht öffentlich (1 ohne Status-Angabe)" in output
    assert "ratsauskunft ingest --status öffentlich" in output


def test_ask_and_search_as_public_hint_at_non_public_documents_on_stderr_only(
    tmp_path: Path, folder: Path
) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(folder))
    asked = run(store, "ask", QUESTION, "--json")
    assert json.loads(asked.stdout)["abstained"]
    assert asked.stderr.count("\n") == 1 and "Hinweis: 1 Dokument gilt als nicht öffentlich" in asked.stderr
    assert "Hinweis" in run(store, "search", "Musikschule", "--json").stderr
    assert "Hinweis" not in run(store, "ask", QUESTION, "--role", "member").stderr


def test_ingest_with_status_oeffentlich_makes_the_same_question_answerable_and_keeps_it(
    tmp_path: Path, folder: Path
) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(folder))
    output = run(store, "ingest", "--status", "öffentlich", str(folder)).stdout
    assert "1 aktualisiert" in output and "nicht öffentlich" not in output
    sidecar = folder / "vorlage-2024-150.txt.meta.json"
    assert json.loads(sidecar.read_text(encoding="utf-8")) == {"status": "öffentlich"}
    asked = run(store, "ask", QUESTION, "--json")
    answer = json.loads(asked.stdout)
    assert not answer["abstained"] and "24.000" in answer["answer"]
    assert asked.stderr == ""
    assert "1 unverändert" in run(store, "ingest", str(folder)).stdout
    assert "öffentlich" in run(store, "documents").stdout.splitlines()[0]


def test_status_option_leaves_a_stated_status_alone(tmp_path: Path, folder: Path) -> None:
    stated = folder / "vorlage-2024-151.txt"
    stated.write_text(NO_STATUS_TXT.replace("Datum:", "Status: nichtöffentlich\nDatum:"), encoding="utf-8")
    output = run(tmp_path / "store", "ingest", "--status", "öffentlich", str(folder)).stdout
    assert "1 Dokument gilt als nicht öffentlich (1 nichtöffentlich)" in output
    assert not (folder / "vorlage-2024-151.txt.meta.json").exists()
