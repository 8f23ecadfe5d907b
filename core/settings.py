"""The one settings object. Every environment variable the system reads is declared here and nowhere else.

`Settings.embedded` is true when no `DATABASE_URL` is given: the system then runs on embedded defaults
(embedded PostgreSQL under `DATA_DIR`, a generated `SECRET_KEY` kept in `DATA_DIR`, local stand-ins).
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigurationError(RuntimeError):
    """The configuration cannot work; raised at startup, before anything is served."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- runtime
    ENVIRONMENT: Literal["development", "production", "test"] = "development"
    DEBUG: bool = False
    LOG_LEVEL: str = "INFO"
    LOG_FORMAT: Literal["json", "console"] = "console"
    HOST: str = "127.0.0.1"
    PORT: int = 8000
    DATA_DIR: Path = Path(".influency")
    CORS_ORIGINS: list[str] = Field(default_factory=lambda: ["http://localhost:3000"])
    MAX_REQUEST_BODY_BYTES: int = 10 * 1024 * 1024

    # --- security
    SECRET_KEY: SecretStr | None = None
    JWT_ISSUER: str = "influency"
    JWT_ALGORITHM: str = "HS256"
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
    REFRESH_TOKEN_EXPIRE_DAYS: int = 14
    AUTH_RATE_LIMIT_PER_IP: int = 20
    AUTH_RATE_LIMIT_PER_ACCOUNT: int = 10
    AUTH_RATE_LIMIT_WINDOW_SECONDS: int = 60

    # --- database / queues
    DATABASE_URL: str | None = None
    DATABASE_POOL_SIZE: int = 10
    REDIS_URL: str = "redis://127.0.0.1:6379/0"
    RABBITMQ_URL: str = "amqp://guest:guest@127.0.0.1:5672/"
    BROKER: Literal["redis", "rabbitmq", "stub"] = "redis"
    WORKER_PROCESSES: int = 1
    WORKER_THREADS: int = 4

    # --- email
    SMTP_HOST: str = "127.0.0.1"
    SMTP_PORT: int = 1025
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: SecretStr | None = None
    SMTP_USE_TLS: bool = False
    EMAIL_FROM_NAME: str = "Influency"
    EMAIL_FROM_ADDRESS: str = "outreach@influency.local"

    # --- WhatsApp Cloud API
    WHATSAPP_BUSINESS_ACCOUNT_ID: str | None = None
    WHATSAPP_ACCESS_TOKEN: SecretStr | None = None
    WHATSAPP_PHONE_NUMBER_ID: str | None = None
    WHATSAPP_WEBHOOK_VERIFY_TOKEN: str | None = None
    WHATSAPP_APP_SECRET: SecretStr | None = None
    WHATSAPP_BUSINESS_PORT: int = 8001

    # --- files (local directory by default; S3 when a bucket is set)
    STORAGE_BACKEND: Literal["local", "s3"] = "local"
    AWS_ACCESS_KEY_ID: str | None = None
    AWS_SECRET_ACCESS_KEY: SecretStr | None = None
    AWS_REGION: str = "us-east-1"
    S3_BUCKET_NAME: str | None = None
    S3_ENDPOINT_URL: str | None = None
    MAX_UPLOAD_BYTES: int = 5 * 1024 * 1024

    # --- models
    LLM_PROVIDER: Literal["auto", "offline", "openai"] = "auto"
    OPENAI_API_KEY: SecretStr | None = None
    OPENAI_BASE_URL: str | None = None
    LLM_MODEL: str = "gpt-4o-mini"
    EMBEDDING_PROVIDER: Literal["minilm", "hash"] = "minilm"
    EMBEDDING_BATCH_SIZE: int = 64
    TORCH_THREADS: int = 1

    # --- creator search
    SEARCH_EXACT_MAX_ROWS: int = 4_000
    SEARCH_HNSW_EF_SEARCH: int = 200

    @model_validator(mode="after")
    def _production_needs_explicit_secrets(self) -> Settings:
        if self.ENVIRONMENT == "production":
            if self.SECRET_KEY is None:
                raise ConfigurationError("SECRET_KEY must be set when ENVIRONMENT=production")
            if self.DATABASE_URL is None:
                raise ConfigurationError("DATABASE_URL must be set when ENVIRONMENT=production")
        return self

    # ---------------------------------------------------------------- derived values
    @property
    def embedded(self) -> bool:
        """No external database configured: run everything on embedded defaults."""
        return self.DATABASE_URL is None

    @property
    def data_dir(self) -> Path:
        path = self.DATA_DIR.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def llm_provider(self) -> Literal["offline", "openai"]:
        if self.LLM_PROVIDER == "auto":
            return "openai" if self.OPENAI_API_KEY or self.OPENAI_BASE_URL else "offline"
        return self.LLM_PROVIDER

    def secret_key(self) -> str:
        """The signing key. In embedded mode it is generated once and kept in the data directory."""
        if self.SECRET_KEY is not None:
            return self.SECRET_KEY.get_secret_value()
        if self.ENVIRONMENT == "production":
            raise ConfigurationError("SECRET_KEY must be set when ENVIRONMENT=production")
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return key_file.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()


def process_environment() -> dict[str, str]:
    """A copy of this process's environment, for spawning child processes with overrides."""
    return dict(os.environ)


def set_process_defaults() -> None:
    """Environment defaults that third-party libraries read themselves (not our settings)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    runtime_dir = Path("/tmp") / f"influency-runtime-{os.getuid()}"
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
