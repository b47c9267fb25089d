"""What the product writes to disk is owner-only, and exports are written once per change.

The store folder is 0700; the registry (every document's text), its SQLite side files, uploads
and the ledger CSV (non-public rows for members) are 0600. A page load of an unchanged store
reuses the CSV of the one before; beyond a few dozen exports the oldest are deleted.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from fakes import HashEmbedder

from ingest.store import Store
from ingest.uploads import ABANDONED_AFTER_S, UploadLimits, accept_upload, remove_abandoned_uploads
from ui import tables


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_folder_is_owner_only_and_the_registry_0600(tmp_path: Path) -> None:
    store = Store(tmp_path / "store", HashEmbedder.model_id)
    store.cache_vectors({"x": HashEmbedder().embed(["x"])[0]})  # a write: WAL and SHM exist now
    assert _mode(tmp_path / "store") == 0o700
    for name in ("registry.sqlite3", "registry.sqlite3-wal", "registry.sqlite3-shm", "write.lock"):
        assert _mode(tmp_path / "store" / name) == 0o600, name


def test_an_existing_world_readable_store_is_made_private_on_open(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    Store(folder, HashEmbedder.model_id).close()
    folder.chmod(0o755)
    (folder / "registry.sqlite3").chmod(0o644)
    Store(folder, HashEmbedder.model_id)
    assert _mode(folder) == 0o700
    assert _mode(folder / "registry.sqlite3") == 0o600


def test_an_accepted_upload_is_owner_only(tmp_path: Path) -> None:
    source = tmp_path / "vorlage.txt"
    source.write_text("Vorlage 1/2024\nBetreff: Zuschuss\n\nText.\n", encoding="utf-8")
    stored = accept_upload(source, "vorlage.txt", tmp_path / "store" / "uploads", UploadLimits())
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700


ROWS = [{"organisation": "Verein", "amount": "100 €", "doc_id": "a"}]


def test_the_same_ledger_gives_the_same_csv_written_once(tmp_path: Path) -> None:
    first = tables.write_ledger_csv(ROWS, tmp_path)
    written_at = first.stat().st_mtime_ns
    for _ in range(100):
        assert tables.write_ledger_csv(ROWS, tmp_path) == first
    assert first.stat().st_mtime_ns == written_at
    assert len(list(tmp_path.rglob("*.csv"))) == 1
    assert _mode(first) == 0o600


def test_a_changed_ledger_gets_a_new_csv_and_old_exports_are_deleted(tmp_path: Path) -> None:
    paths = [
        tables.write_ledger_csv([{**ROWS[0], "amount": f"{n} €"}], tmp_path)
        for n in range(tables.MAX_EXPORTS + 10)
    ]
    assert len(set(paths)) == len(paths)
    assert len(list(tmp_path.rglob("*.csv"))) <= tables.MAX_EXPORTS
    assert paths[-1].is_file()
    assert not list(tmp_path.rglob(".csv-*"))


def test_uploads_nobody_indexed_are_removed_after_a_day_indexed_ones_stay(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    indexed, abandoned, fresh, interrupted = (
        folder / name for name in ("indexiert.txt", "liegen-gelassen.txt", "gerade-eben.txt", ".upload-x1")
    )
    for path in (indexed, abandoned, fresh, interrupted):
        path.write_text("Text", encoding="utf-8")
    day_ago = time.time() - ABANDONED_AFTER_S - 60
    for path in (indexed, abandoned, interrupted):
        os.utime(path, (day_ago, day_ago))
    removed = remove_abandoned_uploads(folder, {str(indexed)})
    assert sorted(p.name for p in removed) == [".upload-x1", "liegen-gelassen.txt"]
    assert sorted(p.name for p in folder.iterdir()) == ["gerade-eben.txt", "indexiert.txt"]
