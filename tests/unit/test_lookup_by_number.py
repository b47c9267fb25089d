"""Lookup by number through search and ask, on a tiny corpus in the layouts of real RIS exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import HashEmbedder

from assistant.answer import Composer
from assistant.retrieval import Retriever
from ingest.pipeline import ingest_paths
from ingest.store import Store

DOCS = {
    "sportfoerderung.txt": (
        "Landeshauptstadt Musterstadt\nGRDrs 417/2016\n\nRichtlinien der Sportförderung\nBeschlussvorlage\n\n"
        "Betreff: Neue Richtlinien zur Sportförderung\n\nBeschlussantrag:\n"
        "Den neuen Richtlinien zur Förderung der Sportvereine wird zugestimmt.\n"
    ),
    "volkshochschule.txt": (
        "Vorlage - VO/2020/115-01\n\nBetreff: Zuschuss an die Volkshochschule\nStatus: öffentlich\n"
        "Bezüglich: VO/2020/115\n\nSachverhalt:\nDie Volkshochschule erhält im Jahr 2021 einen Zuschuss von 12.000 €.\n"
    ),
    "niederschrift.txt": (
        "Niederschrift\nüber die öffentliche Sitzung der Stadtverordnetenversammlung vom 03.03.2016\n\n"
        "Tagesordnung:\n1. Eröffnung der Sitzung\n"
        "2. Umbau der alten Mühle zum Heimatmuseum (DS-Nr.: 021/2016)\n"
        "3. Satzung über die Erhebung von Hundesteuer (DS-Nr.: 022/2016)\n"
    ),
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder: Path = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    embedder = HashEmbedder()
    store = Store(tmp_path_factory.mktemp("store"), embedder.model_id)
    ingest_paths(store, embedder, [folder])
    return Retriever(store, embedder)


@pytest.mark.parametrize(
    ("query", "doc_id"),
    [
        ("GRDrs 417/2016", "sportfoerderung"),
        ("417/2016", "sportfoerderung"),
        ("vo 2020/115-1", "volkshochschule"),
        ("Was wurde zu VO/2020/115 beschlossen?", "volkshochschule"),
        ("DS-Nr. 22/2016", "niederschrift"),
    ],
)
def test_number_in_any_writing_finds_its_document_first(
    retriever: Retriever, query: str, doc_id: str
) -> None:
    assert retriever.search(query, role="member")[0].doc_id == doc_id


def test_worum_geht_es_describes_the_numbered_document(retriever: Retriever) -> None:
    answer = Composer(retriever).compose("Worum geht es in der Vorlage VO 2020/115-01?", role="member")
    assert "Volkshochschule" in answer.text and answer.citations


def test_number_of_an_agenda_item_is_answered_with_its_line(retriever: Retriever) -> None:
    answer = Composer(retriever).compose("Worum geht es in DS-Nr. 022/2016?", role="member")
    assert "Hundesteuer" in answer.text and "Heimatmuseum" not in answer.text
