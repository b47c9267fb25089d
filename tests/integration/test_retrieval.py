"""Hybrid retrieval on a tiny corpus: numbers, filters, German inflection and compounds, snippets."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from langchain_core.retrievers import BaseRetriever

from assistant.lc import HybridRetriever
from assistant.retrieval import FUSION_SCORES, RetrievalSettings, Retriever, mark_snippet
from assistant.types import SearchFilters
from ingest.pipeline import ingest_paths
from ingest.store import Store

pytestmark = pytest.mark.integration

DOCS = {
    "kall.txt": """Vorlage - 157/2017

Betreff: Mitgliedschaft der Gemeinde Kall in der Lit.Eifel e.V.
Vorlage-Art: Beschlussvorlage
Status: öffentlich
Beratungsfolge:
Rat der Gemeinde Kall – 27.06.2017

Sachverhalt:
Der Verein Lit.Eifel e.V. veranstaltet jedes Jahr ein Literaturfestival in der Eifel.

Finanzielle Auswirkungen:
Der Mitgliedsbeitrag für Kommunen beträgt 48,00 € jährlich.
""",
    "fonds.txt": """Vorlage - 2022/346

Betreff: Kommunaler Strukturentwicklungsfonds – Verteilung der Haushaltsmittel 2022
Vorlage-Art: Beschlussvorlage
Status: öffentlich
Beratungsfolge:
Ausschuss für Wirtschaft und Touristik – 21.11.2022 – ungeändert beschlossen

Sachverhalt:
Mit dem Fonds unterstützt der Landkreis Vorhaben der Gemeinden, die die Daseinsvorsorge sichern.
Die Zuschüsse werden nach den Förderrichtlinien verteilt.
""",
    "geheim.txt": """Vorlage - 2023/117

Betreff: Ankauf einer Teilfläche für die Rettungswache
Vorlage-Art: Beschlussvorlage
Status: nichtöffentlich
Beratungsfolge:
Kreisausschuss – 19.06.2023

Beschlussvorschlag:
Der Kreisausschuss stimmt dem Ankauf zum Kaufpreis von 386.400 € zu.
""",
    "haushalt.txt": """Vorlage - 2014/284

Betreff: Haushaltssatzung 2015
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich
Beratungsfolge:
Kreisausschuss – 08.12.2014

Sachverhalt:
Die Kreisumlage bleibt unverändert; die Beiträge an Verbände werden überprüft.
""",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory, embedder) -> Retriever:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path_factory.mktemp("store"), embedder.model_id)
    report = ingest_paths(store, embedder, [folder])
    assert report.count("added") == len(DOCS)
    return Retriever(store, embedder)


def test_document_number_in_the_query_ranks_that_document_first(retriever):
    hits = retriever.search("Was steht in Vorlage 2014/284?", role="member")
    assert hits[0].doc_id == "haushalt"


def test_committee_filter_keeps_only_documents_of_that_committee(retriever):
    hits = retriever.search(
        "Beschlussvorlage", filters=SearchFilters(committee="Kreisausschuss"), role="member"
    )
    assert hits and {h.doc_id for h in hits} <= {"geheim", "haushalt"}


def test_year_filter_keeps_only_documents_of_that_year(retriever):
    hits = retriever.search(
        "Zuschuss Beitrag", filters=SearchFilters(year_from=2022, year_to=2022), role="member"
    )
    assert hits and {h.doc_id for h in hits} == {"fonds"}


def test_type_filter_keeps_only_documents_of_that_type(retriever):
    hits = retriever.search(
        "Kreisumlage", filters=SearchFilters(doc_type="Mitteilungsvorlage"), role="member"
    )
    assert [h.doc_id for h in hits] == ["haushalt"] * len(hits) and hits


def test_body_filter_matches_the_body_named_in_the_document(retriever):
    hits = retriever.search("Mitgliedsbeitrag", filters=SearchFilters(body="Kall"), role="member")
    assert hits and {h.doc_id for h in hits} == {"kall"}


def test_inflected_query_finds_the_base_form(retriever):
    hits = retriever.search("Zuschüssen des Fonds", role="member")
    assert hits[0].doc_id == "fonds"


def test_part_of_a_compound_finds_the_compound(retriever):
    keywords_only = Retriever(retriever.store, None)
    hits = keywords_only.search("Beitrag für Kommunen", role="member")
    assert hits[0].doc_id == "kall"  # "Mitgliedsbeitrag" contains "Beitrag"


def test_council_synonym_finds_what_the_document_calls_it(retriever):
    hits = retriever.search("Was kostet die Lit.Eifel?", role="member")
    assert hits[0].doc_id == "kall"


def test_quoted_phrase_must_appear_literally(retriever):
    hits = retriever.search('"Daseinsvorsorge sichern"', role="member")
    assert hits and all("Daseinsvorsorge sichern" in h.text for h in hits)


def test_public_role_never_gets_a_non_public_passage(retriever):
    for query in ("Kaufpreis 386.400 €", "2023/117", "Rettungswache Ankauf"):
        assert all(h.doc_id != "geheim" for h in retriever.search(query, role="public"))
    assert retriever.search("Kaufpreis 386.400 €", role="member")[0].doc_id == "geheim"


def test_snippet_marks_the_matching_words():
    snippet = mark_snippet("Der Mitgliedsbeitrag für Kommunen beträgt 48,00 € jährlich.", "Kommunen Beitrag")
    assert "«Kommunen»" in snippet


def test_hybrid_retriever_works_through_langchains_interface(retriever):
    lc_retriever: BaseRetriever = HybridRetriever(retriever=retriever, k=2, role="member")
    documents = lc_retriever.invoke("Literaturfestival in der Eifel")
    assert documents[0].metadata["doc_id"] == "kall"
    assert documents[0].metadata["reference"] == "157/2017"
    assert "Literaturfestival" in documents[0].page_content


def test_search_falls_back_to_keywords_when_the_chroma_server_stops_answering(retriever, monkeypatch):
    import httpx

    def unreachable(*args, **kwargs):
        raise httpx.ConnectError("connection refused")

    monkeypatch.setattr(retriever.store._collection, "query", unreachable)
    hits = retriever.search("Literaturfestival in der Eifel", role="member")
    assert hits and hits[0].doc_id == "kall"


# --- fusion of keyword and dense scores ---------------------------------------------------------

FUSION_DOCS = {
    "turnhalle.txt": """Vorlage - 2024/011

Betreff: Sanierung der Turnhalle Nord
Status: öffentlich

Sachverhalt:
Die Turnhalle Nord wird saniert. Der Gemeinderat hat über die Turnhalle beraten.
Das Dach der Turnhalle ist seit Jahren undicht, die Heizung stammt aus dem Baujahr 1974 und die
Umkleiden entsprechen nicht mehr den Anforderungen an Barrierefreiheit. Die Schulen und die
Sportvereine nutzen die Halle an allen Wochentagen; während der Arbeiten weichen sie in die Halle
der Nachbargemeinde aus. Der Bauausschuss hat drei Varianten geprüft: eine Teilsanierung des
Daches, eine umfassende Sanierung mit neuer Haustechnik und einen Neubau an anderer Stelle. Die
Verwaltung empfiehlt die umfassende Sanierung, weil sie die Nutzung für weitere dreißig Jahre
sichert und Fördermittel des Landes für energetische Maßnahmen in Anspruch genommen werden können.
Die Arbeiten sollen in den Sommerferien beginnen und im Frühjahr abgeschlossen sein. Während der
Bauzeit bleibt der Schulsport in der Turnhalle Süd möglich; Vereine erhalten Ersatzzeiten.

Abstimmungsergebnis:
Einstimmig bei einer Enthaltung.
""",
    "bücherei.txt": """Vorlage - 2024/012

Betreff: Öffnungszeiten der Bücherei
Status: öffentlich

Sachverhalt:
Die Bücherei öffnet künftig auch samstags. Die Turnhalle ist nicht betroffen.
""",
}

# Words that mean the same to the fake model below: a vote and the ways of asking for it.
_TOPICS = {"votum": "vote", "abstimmungsergebnis": "vote", "einstimmig": "vote", "enthaltung": "vote"}


class TopicEmbedder:
    """A fake model that knows one paraphrase: a "Votum" is a vote result."""

    model_id = "test-topic-embedder"

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                topic = _TOPICS.get(word, word)
                vectors[row, int(hashlib.sha256(topic.encode()).hexdigest(), 16) % 64] += (
                    3.0 if topic == "vote" else 1.0
                )
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


@pytest.fixture(scope="module")
def fusion_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder: Path = tmp_path_factory.mktemp("fusion-docs")
    for name, text in FUSION_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path_factory.mktemp("fusion-store"), TopicEmbedder.model_id)
    ingest_paths(store, TopicEmbedder(), [folder])
    return store


def _first_passage(store: Store, settings: RetrievalSettings, query: str) -> str:
    hits = Retriever(store, TopicEmbedder(), settings).search(query, k=3, role="member")
    return hits[0].text


def test_dense_scores_lift_the_passage_that_answers_a_paraphrased_question(fusion_store):
    query = "Wie ging das Votum zur Turnhalle aus?"
    keywords_only = RetrievalSettings(use_dense=False)
    fused = RetrievalSettings(fusion=FUSION_SCORES, dense_share=0.5)

    assert "Einstimmig" not in _first_passage(fusion_store, keywords_only, query)
    assert "Einstimmig" in _first_passage(fusion_store, fused, query)


def test_reranking_only_reorders_passages_the_keyword_side_found(fusion_store):
    rerank = RetrievalSettings(fusion=FUSION_SCORES, dense_share=0.9, dense_candidates=0)
    hits = Retriever(fusion_store, TopicEmbedder(), rerank).search("Enthaltung Bücherei", k=10, role="member")
    keyword_hits = Retriever(fusion_store, None, RetrievalSettings(use_dense=False)).search(
        "Enthaltung Bücherei", k=10, role="member"
    )
    assert {(h.doc_id, h.chunk_index) for h in hits} == {(h.doc_id, h.chunk_index) for h in keyword_hits}


def test_score_fusion_falls_back_to_keywords_when_the_chroma_server_stops_answering(
    fusion_store, monkeypatch
):
    import httpx

    def unreachable(*args, **kwargs):
        raise httpx.ConnectError("connection refused")

    monkeypatch.setattr(fusion_store._collection, "query", unreachable)
    monkeypatch.setattr(fusion_store._collection, "get", unreachable)
    fused = RetrievalSettings(fusion=FUSION_SCORES, dense_share=0.5)
    assert "Bücherei" in _first_passage(fusion_store, fused, "Öffnungszeiten der Bücherei")


def test_a_question_how_a_vote_went_finds_the_passage_with_its_outcome_by_keywords(fusion_store):
    keywords_only = RetrievalSettings(use_dense=False)
    first = _first_passage(fusion_store, keywords_only, "Wie wurde über die Turnhalle abgestimmt?")
    assert "Einstimmig" in first
