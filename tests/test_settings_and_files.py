"""Settings rules, .env.example coverage, docker-compose structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.settings import ConfigurationError, Settings

ROOT = Path(__file__).resolve().parent.parent


def test_production_without_secret_key_is_a_startup_error() -> None:
    with pytest.raises((ConfigurationError, ValueError), match="SECRET_KEY"):
        Settings(ENVIRONMENT="production", SECRET_KEY=None, DATABASE_URL="postgresql://x/y",
                 _env_file=None)  # type: ignore[call-arg]


def test_embedded_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(SECRET_KEY=None, DATA_DIR=tmp_path, _env_file=None)  # type: ignore[call-arg]
    first = settings.secret_key()
    assert len(first) > 40
    again = Settings(SECRET_KEY=None, DATA_DIR=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert again.secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = set(Settings.model_fields) - documented
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_no_getenv_outside_settings() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        if any(part in {".venv", "tests", ".influency"} for part in path.parts) or path.name == "settings.py":
            continue
        if re.search(r"os\.getenv|os\.environ\.get|os\.environ\[", path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_compose_services_have_healthchecks_and_valid_dependencies() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "api", "worker", "mailpit", "minio"} <= set(services)
    assert "pgvector" in services["postgres"]["image"]
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            expected = "service_completed_successfully" if dependency == "migrate" else "service_healthy"
            assert rule["condition"] == expected
            if expected == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} needs a healthcheck"
