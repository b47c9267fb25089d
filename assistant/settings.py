"""Settings, built once at the edge (CLI, UI) from options and environment and passed down.

`settings_from_env` reads the RATSAUSKUNFT_* variables through one pydantic-settings model, so
every value is checked once, when the program starts; a bad one ends in a `SettingsError` whose
German message names the variable, and the front end exits with its exit code (2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.embedding import DEFAULT_MODEL
from ingest.parsers import DocumentLimits
from ingest.types import RatsauskunftError

ENV_PREFIX = "RATSAUSKUNFT_"


class SettingsError(RatsauskunftError):
    """A setting whose value cannot be used, worded for whoever configures the installation."""

    exit_code = 2


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
    write_wait_s: float = 30.0  # how long a change waits for another writer of the store
    max_document_chars: int = DocumentLimits.max_chars  # text one file may yield
    max_parse_seconds: float = DocumentLimits.max_seconds  # time parsing one file may take
    allow_anonymous: bool = True
    users_file: Path | None = None
    llm: LLMSettings = field(default_factory=LLMSettings)
    own_body: str = ""  # whom "wir"/"uns" in questions means; empty: the body most documents belong to

    @property
    def document_limits(self) -> DocumentLimits:
        return DocumentLimits(self.max_document_chars, self.max_parse_seconds)

    @property
    def users_path(self) -> Path:
        return self.users_file or self.store / "users.json"


class Environment(BaseSettings):
    """The RATSAUSKUNFT_* variables (an empty one counts as unset), each checked on reading."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore", str_strip_whitespace=True
    )

    store: Path = Path("data")
    embedding_model: str = DEFAULT_MODEL
    chroma_url: str = ""
    max_upload_mb: Annotated[int, Field(gt=0)] = 50
    max_download_mb: Annotated[int, Field(gt=0)] = 50
    ingest_batch: Annotated[int, Field(gt=0)] = 32
    write_wait: Annotated[float, Field(ge=0)] = 30.0
    max_document_chars: Annotated[int, Field(gt=0)] = DocumentLimits.max_chars
    max_parse_seconds: Annotated[float, Field(gt=0)] = DocumentLimits.max_seconds
    anonymous: bool = True
    users: Path | None = None
    body: str = ""
    llm_provider: str = ""
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_timeout: Annotated[float, Field(gt=0)] = 60.0

    @field_validator("anonymous", mode="before")
    @classmethod
    def _german_yes_or_no(cls, value: Any) -> Any:
        """ "ja" and "nein" besides what pydantic knows (1/0, true/false, yes/no, on/off)."""
        if isinstance(value, str) and value.strip().lower() in ("ja", "nein"):
            return value.strip().lower() == "ja"
        return value


# What a variable must hold, for the message about a value that does not fit (German).
EXPECTED = {
    "max_upload_mb": "eine ganze Zahl größer als 0 (Megabyte)",
    "max_download_mb": "eine ganze Zahl größer als 0 (Megabyte)",
    "ingest_batch": "eine ganze Zahl größer als 0",
    "write_wait": "eine Zahl ab 0 (Sekunden)",
    "max_document_chars": "eine ganze Zahl größer als 0 (Zeichen)",
    "max_parse_seconds": "eine Zahl größer als 0 (Sekunden)",
    "anonymous": "ja oder nein (auch 1/0, true/false)",
    "llm_timeout": "eine Zahl größer als 0 (Sekunden)",
}


def settings_from_env(store: str | None = None) -> Settings:
    """Read RATSAUSKUNFT_* variables; an explicit `store` option wins over the environment."""
    try:
        env = Environment()
    except ValidationError as error:
        raise SettingsError(_german_message(error)) from None
    return Settings(
        store=Path(store) if store else env.store,
        embedding_model=env.embedding_model,
        chroma_url=env.chroma_url,
        max_upload_bytes=env.max_upload_mb * 1024 * 1024,
        max_download_bytes=env.max_download_mb * 1024 * 1024,
        ingest_batch=env.ingest_batch,
        write_wait_s=env.write_wait,
        max_document_chars=env.max_document_chars,
        max_parse_seconds=env.max_parse_seconds,
        allow_anonymous=env.anonymous,
        users_file=env.users,
        llm=LLMSettings(
            provider=env.llm_provider.lower(),
            model=env.llm_model,
            base_url=env.llm_base_url,
            api_key=env.llm_api_key,
            timeout_s=env.llm_timeout,
        ),
        own_body=env.body,
    )


def _german_message(error: ValidationError) -> str:
    """One line naming each variable whose value does not fit, with what it must hold."""
    problems = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else ""
        value = " ".join(str(problem.get("input", "")).split())
        expected = EXPECTED.get(name, "ein gültiger Wert")
        problems.append(f"{ENV_PREFIX}{name.upper()}=„{value}“ ist ungültig, erwartet wird {expected}")
    return "Einstellung ungültig: " + "; ".join(problems) + "."
