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

_GENERATED_SECRETS: dict[tuple[str, str], str] = {}  # (DATA_DIR, file name) → the secret read from that file


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
    # FastAPI's native OpenTelemetry request telemetry (to the provider an operator configures). Off by default:
    # nothing here configures one, and FastAPI looked for one in the environment on every request (8.4 µs; 0.2 off).
    FASTAPI_TELEMETRY: bool = False
    MAX_HEADER_BYTES: int = 64 * 1024  # request line + headers; more is a 431 before the app sees anything

    # --- security
    SECRET_KEY: SecretStr | None = None
    JWT_ISSUER: str = "influency"
    JWT_ALGORITHM: str = "HS256"
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
    REFRESH_TOKEN_EXPIRE_DAYS: int = 14
    AUTH_RATE_LIMIT_PER_IP: int = 20
    AUTH_RATE_LIMIT_PER_ACCOUNT: int = 10
    AUTH_RATE_LIMIT_WINDOW_SECONDS: int = 60
    # Password hashing (argon2, ~CPU-bound tens of ms) runs in its own bounded thread pool, off the event loop.
    PASSWORD_HASH_THREADS: int = Field(default=2, ge=1, le=64)
    # Proxies whose X-Forwarded-For / -Proto are believed (comma-separated IPs or CIDRs, "*" for any). Empty: none,
    # the client address is the TCP peer's.
    FORWARDED_ALLOW_IPS: str = ""
    EMAIL_CHANGE_TOKEN_TTL_HOURS: int = 24  # a new creator email takes effect once confirmed within this window

    # --- database / queues
    DATABASE_URL: str | None = None
    # Per event loop and per pool (+ as many overflow): the API's read-only units have a pool of their own.
    DATABASE_POOL_SIZE: int = 10
    # A pooled connection idle this long is pinged before use (store/db.py); 0 pings at every checkout.
    DATABASE_PING_IDLE_SECONDS: float = Field(default=1.0, ge=0)
    REDIS_URL: str = "redis://127.0.0.1:6379/0"
    RABBITMQ_URL: str = "amqp://guest:guest@127.0.0.1:5672/"
    BROKER: Literal["redis", "rabbitmq", "stub"] = "redis"
    WORKER_PROCESSES: int = 1
    WORKER_THREADS: int = 4
    # async actors: "shared", one event loop per worker process that every worker thread's job runs on
    # concurrently, or "per_thread", a loop per worker thread (workers/runtime.py says why shared is the default)
    WORKER_EVENT_LOOPS: Literal["per_thread", "shared"] = "shared"
    # which event loop those are: uvloop (libuv, its transports in C, as the API runs) or the standard library's
    WORKER_LOOP_IMPL: Literal["uvloop", "asyncio"] = "uvloop"
    # Dramatiq's Redis broker puts a dead worker's unacked (prefetched) messages back on their queue once the
    # worker missed heartbeats this long; a maintenance pass runs every BROKER_MAINTENANCE_INTERVAL_SECONDS in
    # each worker (workers/broker_maintenance.py). Worst case back on the queue: the sum of the two.
    BROKER_HEARTBEAT_TIMEOUT_SECONDS: float = Field(default=15, gt=0)
    BROKER_MAINTENANCE_INTERVAL_SECONDS: float = Field(default=5, gt=0)
    BROKER_DEAD_MESSAGE_TTL_SECONDS: int = Field(default=86_400, gt=0)  # how long dead-lettered messages are kept

    # --- `influency up` (cli/supervisor.py): a service that exits is restarted after a backoff that doubles
    # from the initial delay up to the cap, and starts over once the service stayed up RESET_AFTER seconds.
    UP_SERVICES: list[str] = Field(default_factory=list)  # only these services (names: `influency services`)
    SUPERVISOR_BACKOFF_INITIAL_SECONDS: float = Field(default=1.0, gt=0)
    SUPERVISOR_BACKOFF_MAX_SECONDS: float = Field(default=30.0, gt=0)
    SUPERVISOR_RESET_AFTER_SECONDS: float = Field(default=60.0, gt=0)

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

    # --- channels (transports, local stand-ins, webhooks, do-not-contact)
    PUBLIC_BASE_URL: str | None = None  # how the outside world reaches the API (unsubscribe links); None: HOST:PORT
    EMAIL_REPLY_DOMAIN: str | None = None  # reply+<token>@<domain>; None: the domain of EMAIL_FROM_ADDRESS
    SMTP_TIMEOUT_SECONDS: float = 30.0
    INBOUND_EMAIL_SECRET: SecretStr | None = None  # shared secret of POST /webhooks/email/inbound
    WHATSAPP_API_BASE_URL: str | None = None  # None: the local stand-in unless a token is set or in production
    WHATSAPP_GRAPH_VERSION: str = "v23.0"
    WHATSAPP_HTTP_TIMEOUT_SECONDS: float = 15.0
    WHATSAPP_SEND_RATE_PER_SECOND: int = 80  # per business phone number, shared by every worker through Redis
    WHATSAPP_RECIPIENT_INTERVAL_SECONDS: float = 6.0  # at most one message per recipient in this interval
    WHATSAPP_WEBHOOK_MAX_AGE_SECONDS: int = 7 * 24 * 3600  # older (replayed) webhook items are ignored
    WHATSAPP_STANDIN_PORT: int = 8002
    # Local stand-ins start only when their settings point at loopback and no server already answers there
    # ("auto"); "off" never starts them (you run your own mail catcher or use a real provider).
    SMTP_SINK: Literal["auto", "off"] = "auto"
    WHATSAPP_STANDIN: Literal["auto", "off"] = "auto"
    WHATSAPP_STANDIN_WEBHOOK_URL: str | None = None  # None: this API's /webhooks/whatsapp
    WHATSAPP_STANDIN_STATUS_DELAY_SECONDS: float = 0.2  # between the stand-in's sent/delivered/read webhooks

    # --- files (local directory by default; S3 when a bucket is set)
    STORAGE_BACKEND: Literal["local", "s3"] = "local"
    AWS_ACCESS_KEY_ID: str | None = None
    AWS_SECRET_ACCESS_KEY: SecretStr | None = None
    AWS_REGION: str = "us-east-1"
    S3_BUCKET_NAME: str | None = None
    S3_ENDPOINT_URL: str | None = None
    MAX_UPLOAD_BYTES: int = 5 * 1024 * 1024
    CREATOR_STORAGE_QUOTA_BYTES: int = 100 * 1024 * 1024  # all of one creator's uploaded files together
    MAX_IMAGE_PIXELS: int = 40_000_000  # uploaded images larger than this (width x height) are refused

    # --- models
    LLM_PROVIDER: Literal["auto", "offline", "openai"] = "auto"
    OPENAI_API_KEY: SecretStr | None = None
    OPENAI_BASE_URL: str | None = None
    LLM_MODEL: str = "gpt-4o-mini"
    # One model call's whole time, retries included: a hung model costs at most this, then the rules answer.
    LLM_CALL_BUDGET_SECONDS: float = Field(default=20, gt=0, le=120)
    LLM_MAX_RETRIES: int = Field(default=1, ge=0, le=3)
    EMBEDDING_PROVIDER: Literal["minilm", "hash"] = "minilm"
    EMBEDDING_BATCH_SIZE: int = 64
    # MiniLM's weights on CPU: bfloat16 embeds ~2x faster with the same neighbours (bench/reindex.py measures
    # both); "auto" takes bfloat16 where the CPU computes it natively (AVX512-BF16 / AMX), else float32.
    EMBEDDING_PRECISION: Literal["auto", "float32", "bfloat16"] = "auto"
    TORCH_THREADS: int = 1

    # --- contracts and payments
    PAYMENT_PROVIDER: Literal["ledger", "stripe"] = "ledger"
    STRIPE_API_KEY: SecretStr | None = None
    STRIPE_API_BASE: str | None = None
    STRIPE_WEBHOOK_SECRET: SecretStr | None = None
    STRIPE_WEBHOOK_TOLERANCE_SECONDS: int = 300
    STRIPE_MAX_NETWORK_RETRIES: int = 2
    ESIGN_PROVIDER: Literal["click"] = "click"
    SIGNING_BASE_URL: str | None = None  # signing links; None: PUBLIC_BASE_URL, else http://HOST:PORT
    SIGNING_TOKEN_TTL_HOURS: int = 72
    IDEMPOTENCY_KEY_TTL_HOURS: int = 24
    IDEMPOTENCY_LOCK_SECONDS: int = 60
    INVOICE_NUMBER_PREFIX: str = "INV"
    PDF_FALLBACK_FONTS: list[Path] = Field(default_factory=list)
    CONTRACT_TEMPLATE: str = "standard"  # bundled template id (store/contracts/templates/<id>_contract.json)
    # The scheduler (`influency scheduler`) enqueues each periodic sweep at its interval (store/jobs/registry.py).
    # contracts.sweep: agreed negotiations get a contract
    CONTRACT_SWEEP_INTERVAL_SECONDS: float = Field(default=60, gt=0)

    # --- agents and approvals
    AGENT_SHORTLIST_SIZE: int = 10
    AGENT_SEARCH_LIMIT: int = 25
    AGENT_MAX_SEARCH_CALLS: int = 8
    AGENT_MAX_DRAFT_ATTEMPTS: int = 5
    AGENT_RUN_TIME_LIMIT_SECONDS: int = 600
    # A run left `running` by a dead step (its advisory lock is free) and untouched this long is recovered by the
    # agents.sweep (every AGENT_RUN_SWEEP_INTERVAL_SECONDS): an `agents.recover` job continues it from its last
    # checkpoint; after AGENT_RUN_MAX_RECOVERIES in a row it becomes `needs_attention` and the manager is told.
    AGENT_RUN_STALE_AFTER_SECONDS: float = Field(default=60, gt=0)
    AGENT_RUN_SWEEP_INTERVAL_SECONDS: float = Field(default=30, gt=0)
    AGENT_RUN_MAX_RECOVERIES: int = Field(default=3, ge=0)
    CHECKPOINT_POOL_SIZE: int = 10
    # "exit": checkpoints written when a step stops (interrupt, end, error); "sync" after every node
    AGENT_CHECKPOINT_DURABILITY: Literal["sync", "async", "exit"] = "exit"
    APPROVAL_EXPIRY_HOURS: dict[str, float] = Field(default_factory=dict)
    APPROVAL_EXPIRY_ACTION: dict[str, Literal["expire", "escalate"]] = Field(default_factory=dict)
    APPROVAL_SWEEP_INTERVAL_SECONDS: float = Field(default=60, gt=0)  # approvals.sweep: expire / escalate due approvals

    # --- creator search
    SEARCH_EXACT_MAX_ROWS: int = 4_000
    SEARCH_HNSW_EF_SEARCH: int = 200

    # --- negotiation and sending
    BROKER_NAMESPACE: str = "dramatiq"  # Redis key prefix of the broker's queues (tests use their own)
    # A send claimed but never recorded (its worker died) is re-driven by the sweeper once the lease ran out: at
    # most lease + MESSAGE_SWEEP_INTERVAL_SECONDS (90 s by default). The send job's time limit is kept below the
    # lease (store/jobs/registry.py), so a live but slow attempt is stopped before anyone re-drives it.
    MESSAGE_SEND_LEASE_SECONDS: int = Field(default=60, ge=2)
    MESSAGE_SEND_MAX_ATTEMPTS: int = 6  # provider attempts per message before it fails for good
    # Email send jobs the relay finds pending together go out as one job of up to this many messages (one claim,
    # one record, concurrent SMTP over the pool); 1 sends every email in its own job.
    MESSAGE_SEND_BATCH_SIZE: int = Field(default=25, ge=1, le=500)
    # A message still queued this long without an attempt (its job was lost) is re-driven; the claim makes a
    # redundant job harmless.
    MESSAGE_REDRIVE_QUEUED_AFTER_SECONDS: int = Field(default=60, gt=0)
    # messages.sweep: re-drive stuck sends, due follow-ups
    MESSAGE_SWEEP_INTERVAL_SECONDS: float = Field(default=30, gt=0)
    WHATSAPP_OUTREACH_TEMPLATE: str = "creator_outreach"  # first contact outside the 24-hour window
    WHATSAPP_FOLLOW_UP_TEMPLATE: str = "creator_follow_up"  # later messages outside the 24-hour window
    WHATSAPP_TEMPLATE_LANGUAGE: str = "en"
    NEGOTIATION_MAX_ROUNDS: int = 3  # fee rounds before the policy accepts, escalates or declines

    # --- orchestration speed (README "Performance"): wake-ups, consumer back-off, pools, inbox counts
    OUTBOX_RELAY_LISTEN: bool = True  # False behind a transaction-mode pooler (no LISTEN): poll only
    # safety net: the relay wakes on NOTIFY from each commit
    OUTBOX_RELAY_POLL_SECONDS: float = Field(default=2.0, gt=0)
    OUTBOX_RELAY_FALLBACK_POLL_SECONDS: float = Field(default=0.2, gt=0)  # while it cannot LISTEN
    WORKER_INTERACTIVE_IDLE_POLL_MS: int = Field(default=10, ge=1)  # longest idle back-off of the interactive consumer
    WORKER_BULK_IDLE_POLL_MS: int = Field(default=1000, ge=1)  # bulk (and delayed retries) can wait a second
    SMTP_POOL_SIZE: int = Field(default=4, ge=1)  # SMTP connections kept open per event loop (worker thread)
    SMTP_POOL_IDLE_SECONDS: float = Field(default=30.0, gt=0)  # an idle pooled connection older than this is closed
    APPROVALS_EXACT_TOTAL_MAX: int = Field(default=10_000, ge=0)  # above this many rows the inbox total is an estimate

    # --- analytics (tracked links, conversions, post metrics)
    TRACKING_BASE_URL: str | None = None  # where short links point (`<base>/r/<code>`); None: PUBLIC_BASE_URL
    CONVERSION_WEBHOOK_SECRET: SecretStr | None = None  # HMAC-SHA256 key of POST /webhooks/conversions/{org}
    SHOPIFY_WEBHOOK_SECRET: SecretStr | None = None  # the Shopify app's secret (X-Shopify-Hmac-Sha256)
    ATTRIBUTION_WINDOW_DAYS: int = 30  # an order is credited to its last click no older than this
    CLICK_DEDUP_WINDOW_SECONDS: int = 1800  # repeated clicks of one visitor on one link count once in this window
    CLICK_BOT_PATTERN: str = (r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless|curl|wget|python-|"
                              r"httpclient|monitor|scanner|^$")  # user agents whose clicks are never counted
    CLICK_FLUSH_BATCH: int = 5_000  # clicks moved from the Redis buffer to Postgres per flush
    # analytics.sweep: flush clicks, rollups, due posts
    ANALYTICS_SWEEP_INTERVAL_SECONDS: float = Field(default=5.0, gt=0)
    ANALYTICS_DEFAULT_CURRENCY: str = "USD"  # reporting currency of a campaign whose brief sets none
    METRICS_POLL_INTERVAL_MINUTES: int = 360  # how often a published post's metrics are read
    METRICS_POLL_MAX_BACKOFF_MINUTES: int = 24 * 60  # longest wait after repeated failures or quota errors
    METRICS_STANDIN_PORT: int = 8003  # local Instagram / YouTube / TikTok stand-in (embedded defaults)
    INSTAGRAM_ACCESS_TOKEN: SecretStr | None = None
    INSTAGRAM_API_BASE_URL: str | None = None  # None: graph.facebook.com with a token, else the stand-in
    YOUTUBE_API_KEY: SecretStr | None = None
    YOUTUBE_API_BASE_URL: str | None = None  # None: www.googleapis.com with a key, else the stand-in
    TIKTOK_ACCESS_TOKEN: SecretStr | None = None
    TIKTOK_API_BASE_URL: str | None = None  # None: open.tiktokapis.com with a token, else the stand-in
    METRICS_HTTP_TIMEOUT_SECONDS: float = 15.0

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
        return self._secret_or_generated("SECRET_KEY", self.SECRET_KEY, "secret_key")

    def _secret_or_generated(self, name: str, configured: SecretStr | str | None, filename: str) -> str:
        """The configured secret; outside production a missing one is generated once into the data directory,
        so every process of a local system (API, stand-ins, workers) agrees on it with no configuration."""
        value = configured.get_secret_value() if isinstance(configured, SecretStr) else configured
        if value:  # an empty `NAME=` line in .env counts as unset
            return value
        if self.ENVIRONMENT == "production":
            raise ConfigurationError(f"{name} must be set when ENVIRONMENT=production")
        # Read once per process and directory: the signing key is needed on every authenticated request, and a
        # generated secret never changes once linked into place (below).
        cache_key = (str(self.DATA_DIR), filename)
        if cache_key in _GENERATED_SECRETS:
            return _GENERATED_SECRETS[cache_key]
        key_file = self.data_dir / filename
        if not key_file.exists():
            # written aside, then linked into place: never seen half-written, and if several processes of the
            # same system race, the first link wins and everyone reads that one
            temporary = key_file.with_name(f".{filename}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            try:
                os.link(temporary, key_file)
            except FileExistsError:
                pass
            finally:
                temporary.unlink()
        _GENERATED_SECRETS[cache_key] = key_file.read_text().strip()
        return _GENERATED_SECRETS[cache_key]

    # ---------------------------------------------------------------- channels
    def whatsapp_app_secret(self) -> str:
        """Signs (stand-in) and verifies (receiver) webhook bodies: `X-Hub-Signature-256`."""
        return self._secret_or_generated("WHATSAPP_APP_SECRET", self.WHATSAPP_APP_SECRET, "whatsapp_app_secret")

    def whatsapp_verify_token(self) -> str:
        """Echo token of the webhook subscription handshake (`GET /webhook?hub.verify_token=...`)."""
        return self._secret_or_generated("WHATSAPP_WEBHOOK_VERIFY_TOKEN", self.WHATSAPP_WEBHOOK_VERIFY_TOKEN,
                                         "whatsapp_verify_token")

    def inbound_email_secret(self) -> str:
        return self._secret_or_generated("INBOUND_EMAIL_SECRET", self.INBOUND_EMAIL_SECRET, "inbound_email_secret")

    def ensure_channel_secrets(self) -> None:
        """Outside production, generate the channel dev secrets now, so they can be read from DATA_DIR
        (curl examples, a provider's dashboard) before the first webhook arrives."""
        if self.ENVIRONMENT != "production":
            self.whatsapp_app_secret()
            self.whatsapp_verify_token()
            self.inbound_email_secret()

    @property
    def public_base_url(self) -> str:
        """Where recipients reach the API (unsubscribe links): required in production, HOST:PORT elsewhere."""
        if self.PUBLIC_BASE_URL:
            return self.PUBLIC_BASE_URL.rstrip("/")
        if self.ENVIRONMENT == "production":
            raise ConfigurationError("PUBLIC_BASE_URL must be set when ENVIRONMENT=production (unsubscribe links)")
        return f"http://{self.HOST}:{self.PORT}"

    @property
    def signing_base_url(self) -> str:
        """Prefix of signing links: SIGNING_BASE_URL when a separate signing host is set, else the public base URL."""
        return (self.SIGNING_BASE_URL or self.public_base_url).rstrip("/")

    @property
    def email_reply_domain(self) -> str:
        return self.EMAIL_REPLY_DOMAIN or self.EMAIL_FROM_ADDRESS.rpartition("@")[2]

    @property
    def whatsapp_api_base_url(self) -> str:
        """Meta's Graph API when a token is configured or in production, else the local stand-in."""
        if self.WHATSAPP_API_BASE_URL:
            return self.WHATSAPP_API_BASE_URL.rstrip("/")
        token = self.WHATSAPP_ACCESS_TOKEN.get_secret_value() if self.WHATSAPP_ACCESS_TOKEN else ""
        if token or self.ENVIRONMENT == "production":
            return "https://graph.facebook.com"
        return f"http://127.0.0.1:{self.WHATSAPP_STANDIN_PORT}"

    @property
    def whatsapp_phone_number_id(self) -> str:
        return self.WHATSAPP_PHONE_NUMBER_ID or "100000000000001"  # the stand-in accepts any id

    @property
    def whatsapp_business_account_id(self) -> str:
        return self.WHATSAPP_BUSINESS_ACCOUNT_ID or "200000000000002"

    @property
    def whatsapp_standin_webhook_url(self) -> str:
        return self.WHATSAPP_STANDIN_WEBHOOK_URL or f"http://127.0.0.1:{self.PORT}/webhooks/whatsapp"


    # ---------------------------------------------------------------- analytics
    def conversion_webhook_secret(self) -> str:
        return self._secret_or_generated("CONVERSION_WEBHOOK_SECRET", self.CONVERSION_WEBHOOK_SECRET,
                                         "conversion_webhook_secret")

    def shopify_webhook_secret(self) -> str:
        return self._secret_or_generated("SHOPIFY_WEBHOOK_SECRET", self.SHOPIFY_WEBHOOK_SECRET,
                                         "shopify_webhook_secret")

    @property
    def tracking_base_url(self) -> str:
        return (self.TRACKING_BASE_URL or self.public_base_url).rstrip("/")

    def metrics_api_base_url(self, platform: str) -> str:
        """The platform's real API when a credential is configured or in production, else the local stand-in."""
        configured = {"instagram": (self.INSTAGRAM_API_BASE_URL, self.INSTAGRAM_ACCESS_TOKEN,
                                    "https://graph.facebook.com"),
                      "youtube": (self.YOUTUBE_API_BASE_URL, self.YOUTUBE_API_KEY, "https://www.googleapis.com"),
                      "tiktok": (self.TIKTOK_API_BASE_URL, self.TIKTOK_ACCESS_TOKEN, "https://open.tiktokapis.com")}
        base_url, credential, real = configured[platform]
        if base_url:
            return base_url.rstrip("/")
        if (credential and credential.get_secret_value()) or self.ENVIRONMENT == "production":
            return real
        return f"http://127.0.0.1:{self.METRICS_STANDIN_PORT}/{platform}"

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
