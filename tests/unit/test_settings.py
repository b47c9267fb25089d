"""Settings are read and checked once, at the edge; a bad value is one German line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import SettingsError, settings_from_env


def test_a_bad_upload_limit_makes_serve_print_one_german_line_and_exit_2(tmp_path: Path) -> None:
    environment = {**os.environ, "RATSAUSKUNFT_MAX_UPLOAD_MB": "fünfzig"}
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--store", str(tmp_path), "serve"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "RATSAUSKUNFT_MAX_UPLOAD_MB=„fünfzig“ ist ungültig" in lines[0]
    assert "ganze Zahl" in lines[0]


def test_variables_are_read_with_their_german_yes_and_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATSAUSKUNFT_MAX_UPLOAD_MB", " 7 ")
    monkeypatch.setenv("RATSAUSKUNFT_ANONYMOUS", "nein")
    monkeypatch.setenv("RATSAUSKUNFT_LLM_PROVIDER", "Ollama")
    settings = settings_from_env(store="index")
    assert settings.store == Path("index")
    assert settings.max_upload_bytes == 7 * 1024 * 1024
    assert settings.allow_anonymous is False
    assert settings.llm.provider == "ollama"


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATSAUSKUNFT_STORE", "")
    monkeypatch.setenv("RATSAUSKUNFT_INGEST_BATCH", "")
    settings = settings_from_env()
    assert settings.store == Path("data") and settings.ingest_batch == 32


def test_every_bad_variable_is_named_in_the_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATSAUSKUNFT_INGEST_BATCH", "0")
    monkeypatch.setenv("RATSAUSKUNFT_ANONYMOUS", "vielleicht")
    with pytest.raises(SettingsError) as raised:
        settings_from_env()
    message = str(raised.value)
    assert "RATSAUSKUNFT_INGEST_BATCH=„0“" in message and "RATSAUSKUNFT_ANONYMOUS=„vielleicht“" in message
    assert "\n" not in message
    assert raised.value.exit_code == 2
