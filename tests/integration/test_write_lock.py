"""One writer per store: concurrent ingests, uploads and removals never leave a half-indexed store.

Each test runs real processes against one store folder with the HashEmbedder (no model): the lock
is a property of the store, not of the encoder.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import HashEmbedder

from ingest.pipeline import ingest_paths
from ingest.store import Store
from ingest.writelock import StoreBusy

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]

INGEST_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ingest.pipeline import ingest_paths
    from ingest.store import Store
    from fakes import HashEmbedder

    register = Store._register

    def slow_register(*args, **kwargs):  # a slow disk: vectors written, registry not yet
        time.sleep(float(sys.argv[3]))
        return register(*args, **kwargs)

    Store._register = slow_register
    store = Store(Path(sys.argv[1]), HashEmbedder.model_id, write_wait_s=120)
    report = ingest_paths(store, HashEmbedder(), [Path(sys.argv[2])], batch_documents=2)
    print(report.summary())
    sys.exit(1 if report.failed else 0)
    """
)

HOLD_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ingest.writelock import WriteLock

    with WriteLock(Path(sys.argv[1])).held():
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def _vorlagen(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir(parents=True)
    for number in range(count):
        paragraphs = "\n\n".join(
            f"Absatz {k}: Der Ausschuss {prefix} berät Maßnahme {number}-{k} mit Kosten von {k * 100} Euro."
            for k in range(1 + number % 7)
        )
        (folder / f"{prefix}-{number:03d}.txt").write_text(
            f"Vorlage {prefix}/{number}\nBetreff: Maßnahme {number} ({prefix})\nStatus: öffentlich\n\n{paragraphs}\n",
            encoding="utf-8",
        )
    return folder


def _run(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=REPO,
        env={
            "PYTHONPATH": f"{REPO}:{REPO / 'tests'}",
            "ANONYMIZED_TELEMETRY": "False",
            "PATH": "/usr/bin:/bin",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_ingest_processes_at_once_leave_every_document_complete(tmp_path: Path) -> None:
    store_folder = tmp_path / "store"
    first = _vorlagen(tmp_path / "a", "A", 24)
    second = _vorlagen(tmp_path / "b", "B", 24)
    slow = _run(INGEST_SCRIPT, str(store_folder), str(first), "0.3")
    time.sleep(2.0)  # the second run starts (and repairs) while the first is halfway through
    runs = [slow, _run(INGEST_SCRIPT, str(store_folder), str(second), "0")]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "24 hinzugefügt" in out
    store = Store(store_folder, HashEmbedder.model_id)
    assert len(store.documents()) == 48
    report = store.reconcile()
    assert report.incomplete_documents == []
    assert report.orphan_vectors_removed == 0


def test_a_writer_refuses_with_a_german_message_while_another_process_holds_the_store(
    tmp_path: Path,
) -> None:
    store_folder = tmp_path / "store"
    store = Store(store_folder, HashEmbedder.model_id, write_wait_s=0.5)
    holder = _run(HOLD_SCRIPT, str(store_folder), "30")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        notes: list[str] = []
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="gerade von einem anderen Vorgang geändert"):
            ingest_paths(store, HashEmbedder(), [_vorlagen(tmp_path / "a", "A", 2)], on_wait=notes.append)
        assert time.monotonic() - started < 5
        assert notes and "warte bis zu" in notes[0]
        with pytest.raises(StoreBusy):
            store.remove_document("A-000")
    finally:
        holder.kill()
        holder.wait()
    assert store.documents() == []
    assert ingest_paths(store, HashEmbedder(), [tmp_path / "a"]).count("added") == 2


def test_a_killed_writer_never_leaves_a_stale_lock(tmp_path: Path) -> None:
    store_folder = tmp_path / "store"
    store_folder.mkdir()
    holder = _run(HOLD_SCRIPT, str(store_folder), "60")
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    store = Store(store_folder, HashEmbedder.model_id, write_wait_s=0.5)
    assert ingest_paths(store, HashEmbedder(), [_vorlagen(tmp_path / "a", "A", 1)]).count("added") == 1


def test_cli_ingest_says_in_german_that_the_store_is_busy_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.service
    from ui.cli import main

    store_folder = tmp_path / "store"
    store_folder.mkdir()
    monkeypatch.setattr(assistant.service, "load_embedder", lambda _name: HashEmbedder())
    monkeypatch.setenv("RATSAUSKUNFT_WRITE_WAIT", "0.5")
    holder = _run(HOLD_SCRIPT, str(store_folder), "30")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        docs = _vorlagen(tmp_path / "a", "A", 1)
        result = CliRunner().invoke(main, ["--store", str(store_folder), "ingest", str(docs)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert "warte bis zu 0 s" in result.output or "warte bis zu 1 s" in result.output
    assert "Der Index wird gerade von einem anderen Vorgang geändert" in result.output
