"""A problem with one path fails that path, by name; the other files of the run are indexed.

Undecodable (non-UTF-8) and very long names, links that loop or lead nowhere, unreadable files
and folders: each becomes a failed FileResult with a German reason, and `ingest` exits non-zero.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import HashEmbedder

from ingest.pipeline import ADDED, FAILED, IngestReport, ingest_paths
from ingest.store import Store

pytestmark = pytest.mark.integration

VORLAGE = (
    "Vorlage {n}\nBetreff: Zuschuss an den Verein {n}\nStatus: öffentlich\n\nDer Verein {n} erhält 100 €.\n"
)


def _folder_with_good_files(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"gut-{n}.txt").write_text(VORLAGE.format(n=n), encoding="utf-8")
    return folder


def _ingest(tmp_path: Path, folder: Path) -> IngestReport:
    return ingest_paths(Store(tmp_path / "store", HashEmbedder.model_id), HashEmbedder(), [folder])


def _added(report: IngestReport) -> set[str]:
    return {r.doc_id for r in report.results if r.outcome == ADDED}


def test_a_file_name_that_is_not_utf8_fails_by_name_and_the_others_are_indexed(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    with open(os.path.join(os.fsencode(folder), b"vorlage-\xe4rger.txt"), "w", encoding="utf-8") as file:
        file.write(VORLAGE.format(n=3))
    report = _ingest(tmp_path, folder)
    assert _added(report) == {"gut-1", "gut-2"}
    [failure] = report.failed
    assert (
        failure.message
        == "vorlage-\ufffdrger.txt: Dateiname ist kein gültiges UTF-8 – bitte die Datei umbenennen."
    )
    failure.path.encode("utf-8")  # printable and storable


def test_a_readable_254_character_file_name_is_indexed(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    long_stem = "vorlage-" + "ä" * 60 + "x" * 122  # 254 bytes with ".txt"
    assert len((long_stem + ".txt").encode("utf-8")) == 254
    (folder / f"{long_stem}.txt").write_text(VORLAGE.format(n=4), encoding="utf-8")
    report = _ingest(tmp_path, folder)
    assert report.failed == []
    assert _added(report) == {"gut-1", "gut-2", long_stem}


def test_links_that_loop_or_lead_nowhere_fail_by_name(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    (folder / "kreis-a.txt").symlink_to("kreis-b.txt")
    (folder / "kreis-b.txt").symlink_to("kreis-a.txt")
    (folder / "weg.pdf").symlink_to("gibt-es-nicht.pdf")
    (folder / "oben").symlink_to("..")  # a link to a folder is not followed, so it cannot loop
    report = _ingest(tmp_path, folder)
    assert _added(report) == {"gut-1", "gut-2"}
    failed = {Path(r.path).name: r.message for r in report.failed}
    assert set(failed) == {"kreis-a.txt", "kreis-b.txt", "weg.pdf"}
    assert "symbolic links" in failed["kreis-a.txt"] or "Verknüpfung" in failed["kreis-a.txt"]
    assert failed["weg.pdf"] == "weg.pdf: Verknüpfung führt ins Leere."


def test_unreadable_files_and_folders_fail_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder_with_good_files(tmp_path)
    (folder / "gesperrt.txt").write_text(VORLAGE.format(n=5), encoding="utf-8")
    (folder / "geheim").mkdir()
    (folder / "geheim" / "innen.txt").write_text(VORLAGE.format(n=6), encoding="utf-8")
    real_open, real_scandir = Path.open, os.scandir

    def open_denied(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path.name == "gesperrt.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    def scandir_denied(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "geheim":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", open_denied)  # the tests run as root, where chmod 000 reads anyway
    monkeypatch.setattr(os, "scandir", scandir_denied)
    report = _ingest(tmp_path, folder)
    assert _added(report) == {"gut-1", "gut-2"}
    failed = {Path(r.path).name: r.message for r in report.failed}
    assert failed == {
        "gesperrt.txt": "gesperrt.txt: Datei kann nicht gelesen werden (Permission denied).",
        "geheim": "geheim: Ordner kann nicht gelesen werden (Permission denied).",
    }
    assert all(r.outcome == FAILED for r in report.failed)


def test_cli_ingest_exits_non_zero_and_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.service
    from ui.cli import main

    folder = _folder_with_good_files(tmp_path)
    (folder / "kreis-a.txt").symlink_to("kreis-a.txt")
    monkeypatch.setattr(assistant.service, "load_embedder", lambda _name: HashEmbedder())
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "ingest", str(folder)])
    assert result.exit_code == 1
    assert "2 hinzugefügt" in result.output
    assert "kreis-a.txt" in result.output
