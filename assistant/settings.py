"""Settings, built once at the edge (CLI, UI) from options and environment and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.embedding import DEFAULT_MODEL


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
    max_download_bytes: int = 50 * 1024 * 1024  # per file fetched by import-oparl
    ingest_batch: int = 32  # documents embedded and written together by `ingest`
    allow_anonymous: bool = True
    users_file: Path | None = None
    llm: LLMSettings = field(default_factory=LLMSettings)

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
        max_download_bytes=int(_env("RATSAUSKUNFT_MAX_DOWNLOAD_MB", "50")) * 1024 * 1024,
        ingest_batch=max(1, int(_env("RATSAUSKUNFT_INGEST_BATCH", "32"))),
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
