"""Settings, built once at the edge (CLI, UI) from options and environment and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.embedding import DEFAULT_MODEL
from ingest.parsers import DocumentLimits


@dataclass(frozen=True)
class LLMSettings:
    """Optional LLM for wording only; off unless a provider is configured."""

    provider: str = ""  # "" (off), "openai" (any OpenAI-compatible endpoint) or "ollama"
    model: str = ""
    base_url: str = ""
    api_key: str = ""
    timeout_s: float = 60.0

    @property
    def enabled(self) -> bool:
        return bool(self.provider and self.model)


@dataclass(frozen=True)
class Settings:
    store: Path = Path("data")
    embedding_model: str = DEFAULT_MODEL
    chroma_url: str = ""
    max_upload_bytes: int = 50 * 1024 * 1024
    ingest_batch: int = 32  # documents embedded and written together by `ingest`
    write_wait_s: float = 30.0  # how long a change waits for another writer of the store
    max_document_chars: int = DocumentLimits.max_chars  # text one file may yield
    max_parse_seconds: float = DocumentLimits.max_seconds  # time parsing one file may take
    allow_anonymous: bool = True
    users_file: Path | None = None
    llm: LLMSettings = field(default_factory=LLMSettings)

    @property
    def document_limits(self) -> DocumentLimits:
        return DocumentLimits(self.max_document_chars, self.max_parse_seconds)

    @property
    def users_path(self) -> Path:
        return self.users_file or self.store / "users.json"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def settings_from_env(store: str | None = None) -> Settings:
    """Read RATSAUSKUNFT_* variables; an explicit `store` option wins over the environment."""
    return Settings(
        store=Path(store or _env("RATSAUSKUNFT_STORE", "data")),
        embedding_model=_env("RATSAUSKUNFT_EMBEDDING_MODEL", DEFAULT_MODEL),
        chroma_url=_env("RATSAUSKUNFT_CHROMA_URL"),
        max_upload_bytes=int(_env("RATSAUSKUNFT_MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        ingest_batch=max(1, int(_env("RATSAUSKUNFT_INGEST_BATCH", "32"))),
        write_wait_s=max(0.0, float(_env("RATSAUSKUNFT_WRITE_WAIT", "30"))),
        max_document_chars=int(_env("RATSAUSKUNFT_MAX_DOCUMENT_CHARS", str(DocumentLimits.max_chars))),
        max_parse_seconds=float(_env("RATSAUSKUNFT_MAX_PARSE_SECONDS", str(DocumentLimits.max_seconds))),
        allow_anonymous=_env("RATSAUSKUNFT_ANONYMOUS", "1").lower() not in ("0", "false", "no", "nein"),
        users_file=Path(_env("RATSAUSKUNFT_USERS")) if _env("RATSAUSKUNFT_USERS") else None,
        llm=LLMSettings(
            provider=_env("RATSAUSKUNFT_LLM_PROVIDER").lower(),
            model=_env("RATSAUSKUNFT_LLM_MODEL"),
            base_url=_env("RATSAUSKUNFT_LLM_BASE_URL"),
            api_key=_env("RATSAUSKUNFT_LLM_API_KEY"),
            timeout_s=float(_env("RATSAUSKUNFT_LLM_TIMEOUT", "60")),
        ),
    )
