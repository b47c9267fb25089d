"""Both offline embedding backends load from installed packages and give comparable unit vectors."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embedding import DEFAULT_MODEL, USE_ONNX, load_embedder

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("model", ["minilm", USE_ONNX])
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


def test_default_embedder_is_the_multilingual_use_model():
    assert DEFAULT_MODEL == USE_ONNX
    assert load_embedder().model_id == "use-multilingual-v3-onnx-quantized"


def test_unknown_model_directory_gives_a_clear_error(tmp_path):
    from ingest.types import IngestError

    with pytest.raises(IngestError, match="konnte nicht geladen werden"):
        load_embedder(str(tmp_path / "kein-modell"))
