"""The assistant against a real Chroma server (`chroma run`) instead of the embedded store.

Vectors live in the server; the registry (SQLite) stays in the store directory. Several assistants
that share the store directory and the server share one index; stores with different registries
share the server without touching each other's vectors.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.types import Role

pytestmark = [pytest.mark.integration, pytest.mark.server]

BIN = Path(sys.executable).parent
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
METROPOLREGION_QUESTION = "Was kostet die Mitgliedschaft in der Metropolregion?"
BRIDGE_TXT = """Vorlage - 2023/041

Betreff: Sanierung der Fuhsebrücke in Abbensen
Status: öffentlich

Sachverhalt:
Die Fuhsebrücke in Abbensen ist marode. Die Sanierung kostet voraussichtlich 412.000 €.

Beschlussvorschlag:
Der Kreisausschuss beschließt die Sanierung der Fuhsebrücke.
"""
LIBRARY_TXT = """Vorlage - 2023/077

Betreff: Zuschuss an den Förderverein der Kreisbibliothek
Status: öffentlich

Sachverhalt:
Der Förderverein der Kreisbibliothek erhält einen Zuschuss von jährlich 2.500 € für Lesungen.
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _http_client(url: str) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port = url.removeprefix("http://").split(":")
    return chromadb.HttpClient(host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False))


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server on a free loopback port, answering before the first test runs."""
    folder = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (folder / "server.log").open("wb") as log:
        address = ["--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(
            [str(BIN / "chroma"), "run", "--path", str(folder / "data"), *address],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    _http_client(url).heartbeat()
                    break
                except Exception:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"Chroma server did not start: {(folder / 'server.log').read_text()}"
                        ) from None
                    time.sleep(0.2)
            yield url
        finally:
            _stop(server)


def _assistant(store: Path, chroma_url: str, embedder: Any) -> Any:
    from assistant.service import Assistant
    from assistant.settings import Settings

    return Assistant(Settings(store=store, chroma_url=chroma_url), embedder=embedder)


@pytest.fixture(scope="module")
def extra_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("extra")
    (folder / "2023-041-fuhsebruecke.txt").write_text(BRIDGE_TXT, encoding="utf-8")
    (folder / "2023-077-kreisbibliothek.txt").write_text(LIBRARY_TXT, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, chroma_url: str, embedder: Any, extra_docs: Path) -> Any:
    """An assistant whose vectors live in the server, with corpus/ and two small documents."""
    assistant = _assistant(tmp_path_factory.mktemp("store"), chroma_url, embedder)
    report = assistant.ingest([CORPUS, extra_docs], role=Role.ADMIN, user="test")
    assert not report.failed, report.failed
    return assistant


def _server_vectors(chroma_url: str, collection_name: str) -> dict[str, Any]:
    collection = _http_client(chroma_url).get_collection(collection_name)
    result = collection.get(include=["metadatas"])
    return {"ids": result["ids"], "metadatas": result["metadatas"]}


def _doc_ids(hits: list[Any]) -> set[str]:
    return {hit.doc_id for hit in hits}


def test_ask_answers_with_citations_from_the_server_index(served: Any) -> None:
    answer = served.ask(METROPOLREGION_QUESTION)
    assert "3.000" in answer.text
    assert not answer.abstained
    assert any("3.000 €" in citation.quote for citation in answer.citations)


def test_search_ranks_the_matching_documents_first(served: Any) -> None:
    assert served.search("Metropolregion Kosten")[0].reference == "2015/179"
    assert served.search("Sanierung der Fuhsebrücke")[0].doc_id == "2023-041-fuhsebruecke"


def test_dense_retrieval_queries_the_server(served: Any) -> None:
    from ingest.embedding import embed_query

    vector = embed_query(served.embedder, "Förderverein Kreisbibliothek Lesungen")
    matches = served.store.dense_query(vector, 3, None)
    assert matches[0].doc_id == "2023-077-kreisbibliothek"


def test_vectors_live_in_the_server_not_in_the_store_directory(served: Any, chroma_url: str) -> None:
    vectors = _server_vectors(chroma_url, served.store.collection_name)
    assert len(vectors["ids"]) == len(served.store.chunks())
    assert {m["doc_id"] for m in vectors["metadatas"]} == {
        "vorlage-2015-179",
        "2023-041-fuhsebruecke",
        "2023-077-kreisbibliothek",
    }
    assert (served.settings.store / "registry.sqlite3").exists()
    assert not (served.settings.store / "chroma").exists()


def test_reingest_of_changed_document_replaces_its_vectors_on_the_server(
    tmp_path: Path, chroma_url: str, embedder: Any
) -> None:
    assistant = _assistant(tmp_path / "store", chroma_url, embedder)
    source = tmp_path / "docs" / "2023-041-fuhsebruecke.txt"
    source.parent.mkdir()
    source.write_text(BRIDGE_TXT, encoding="utf-8")
    assistant.ingest([source.parent], role=Role.ADMIN, user="test")
    old_ids = set(_server_vectors(chroma_url, assistant.store.collection_name)["ids"])

    source.write_text(BRIDGE_TXT.replace("412.000 €", "455.000 €"), encoding="utf-8")
    report = assistant.ingest([source.parent], role=Role.ADMIN, user="test")

    assert [r.outcome for r in report.results] == ["updated"]
    vectors = _server_vectors(chroma_url, assistant.store.collection_name)
    assert set(vectors["ids"]) == set(assistant.store._current_vectors().chunk_of)
    registry = dict(assistant.store._db.execute("SELECT text, vector_id FROM chunks"))
    assert [v for text, v in registry.items() if "455.000" in text and v not in old_ids]
    assert "455.000" in assistant.ask("Was kostet die Sanierung der Fuhsebrücke?").text


def test_two_assistants_on_one_store_and_server_share_the_index(
    tmp_path: Path, chroma_url: str, embedder: Any, extra_docs: Path
) -> None:
    writer = _assistant(tmp_path / "store", chroma_url, embedder)
    reader = _assistant(tmp_path / "store", chroma_url, embedder)
    writer.ingest([CORPUS], role=Role.ADMIN, user="test")
    assert reader.search("Metropolregion Kosten")[0].reference == "2015/179"
    assert "2023-041-fuhsebruecke" not in _doc_ids(reader.search("Fuhsebrücke Sanierung"))

    writer.ingest([extra_docs / "2023-041-fuhsebruecke.txt"], role=Role.ADMIN, user="test")

    assert reader.search("Fuhsebrücke Sanierung")[0].doc_id == "2023-041-fuhsebruecke"
    assert "412.000" in reader.ask("Was kostet die Sanierung der Fuhsebrücke?").text


def test_stores_with_different_registries_keep_their_vectors_apart_on_one_server(
    tmp_path: Path, chroma_url: str, embedder: Any, extra_docs: Path
) -> None:
    first = _assistant(tmp_path / "first", chroma_url, embedder)
    first.ingest([CORPUS], role=Role.ADMIN, user="test")
    before = len(_server_vectors(chroma_url, first.store.collection_name)["ids"])

    second = _assistant(tmp_path / "second", chroma_url, embedder)
    second.ingest(
        [extra_docs], role=Role.ADMIN, user="test"
    )  # starts with a repair that deletes vectors its registry does not own

    assert first.store.collection_name != second.store.collection_name
    assert len(_server_vectors(chroma_url, first.store.collection_name)["ids"]) == before
    assert "vorlage-2015-179" not in _doc_ids(second.search("Metropolregion Kosten"))


def test_embedded_store_moves_to_the_server_with_one_ingest(
    tmp_path: Path, chroma_url: str, embedder: Any
) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ingest.embedding import embed_query

    Assistant(Settings(store=tmp_path), embedder=embedder).ingest([CORPUS], role=Role.ADMIN, user="test")
    moved = _assistant(tmp_path, chroma_url, embedder)
    assert moved.store.dense_query(embed_query(embedder, "Metropolregion"), 3, None) == []

    report = moved.ingest([CORPUS], role=Role.ADMIN, user="test")

    assert [r.outcome for r in report.results] == ["skipped"]
    vectors = _server_vectors(chroma_url, moved.store.collection_name)
    assert len(vectors["ids"]) == len(moved.store.chunks())
    assert moved.store.dense_query(embed_query(embedder, "Metropolregion"), 3, None)


def test_cli_uses_the_server_named_in_the_environment(tmp_path: Path, chroma_url: str) -> None:
    env = {**os.environ, "RATSAUSKUNFT_CHROMA_URL": chroma_url}
    store = tmp_path / "store"
    cli = [str(BIN / "ratsauskunft"), "--store", str(store)]

    ingested = subprocess.run([*cli, "ingest", str(CORPUS)], env=env, capture_output=True, text=True)
    searched = subprocess.run(
        [*cli, "search", "Metropolregion Kosten", "--json"], env=env, capture_output=True, text=True
    )

    assert ingested.returncode == 0, ingested.stderr
    assert searched.returncode == 0, searched.stderr
    assert json.loads(searched.stdout)["hits"][0]["reference"] == "2015/179"
    assert not (store / "chroma").exists()


def test_unreachable_server_is_reported_in_german(tmp_path: Path) -> None:
    from ingest.store import ChromaUnavailable, Store

    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(ChromaUnavailable, match=f"Chroma-Server unter {url} ist nicht erreichbar"):
        Store(tmp_path, "minilm", chroma_url=url)


def test_cli_reports_an_unreachable_server_without_a_traceback(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    env = {**os.environ, "RATSAUSKUNFT_CHROMA_URL": url}
    command = [str(BIN / "ratsauskunft"), "--store", str(tmp_path), "search", "Metropolregion"]

    result = subprocess.run(command, env=env, capture_output=True, text=True)

    assert result.returncode == 1
    assert f"Chroma-Server unter {url} ist nicht erreichbar" in result.stderr
    assert "Traceback" not in result.stderr
