"""What every bench script needs first: offline settings, the repository on sys.path, the commit.

Import it before anything of the project: `import benchenv` (the script's own folder is still on
sys.path then). It drops that folder from sys.path afterwards, so bench/ingest.py cannot shadow
the `ingest` package.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_name, _value)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
EVAL_DIR = REPO.parent / "shared" / "eval"
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]


def commit() -> str:
    """The commit measured, marked when the work tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout
    return head.stdout.strip() + ("+uncommitted" if dirty.strip() else "")


def default_model() -> str:
    """The embedder `ratsauskunft` itself would use."""
    from assistant.settings import settings_from_env

    return settings_from_env().embedding_model
