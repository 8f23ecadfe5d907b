"""File storage, both real implementations: a local directory and S3 against a local S3-compatible server
(moto's standalone `moto_server` on 127.0.0.1, a free port) — plus the portfolio upload endpoint on each."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tools.storage.base import FileStorage, ObjectNotFound
from tools.storage.local import LocalFileStorage
from tools.storage.s3 import S3FileStorage


def _png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def _s3(endpoint: str, region: str = "eu-west-1") -> S3FileStorage:
    return S3FileStorage(f"portfolio-{uuid.uuid4().hex[:8]}", endpoint_url=endpoint, region=region,
                         access_key_id="testing", secret_access_key="testing")


async def _round_trip(storage: FileStorage) -> None:
    key = f"portfolio/{uuid.uuid4()}/a.png"
    assert not await storage.exists(key)
    await storage.put(key, b"first", "image/png")
    await storage.put(key, b"second", "image/png")  # overwrite
    assert await storage.exists(key) and await storage.get(key) == b"second"
    await storage.delete(key)
    await storage.delete(key)  # already gone: no error
    with pytest.raises(ObjectNotFound):
        await storage.get(key)
    for bad in ("../escape", "/abs/path", "a//b", "a/../../b", ""):
        with pytest.raises(ValueError):
            await storage.put(bad, b"x", "text/plain")


async def test_local_storage(tmp_path: Path) -> None:
    await _round_trip(LocalFileStorage(tmp_path))
    assert not [path for path in tmp_path.rglob(".upload-*")]  # noqa: ASYNC240  (no temporary files left behind)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
async def test_s3_storage_against_a_local_s3_server(s3_endpoint: str, region: str) -> None:
    storage = _s3(s3_endpoint, region)
    await _round_trip(storage)  # the bucket is created on first use
    assert storage.client.get_bucket_location(Bucket=storage.bucket)["LocationConstraint"] in (None, region)


def test_settings_choose_the_backend(tmp_path: Path) -> None:
    from core.settings import ConfigurationError, Settings
    from tools.storage import build_storage

    local = build_storage(Settings(DATA_DIR=tmp_path, _env_file=None))  # type: ignore[call-arg]
    assert isinstance(local, LocalFileStorage) and local.root == (tmp_path / "files").resolve()
    s3 = build_storage(Settings(STORAGE_BACKEND="s3", S3_BUCKET_NAME="b", S3_ENDPOINT_URL="http://127.0.0.1:9",
                                _env_file=None))  # type: ignore[call-arg]
    assert isinstance(s3, S3FileStorage) and s3.bucket == "b"
    with pytest.raises(ConfigurationError):
        build_storage(Settings(STORAGE_BACKEND="s3", _env_file=None))  # type: ignore[call-arg]


# ------------------------------------------------------------------ the portfolio endpoint on both backends


async def _creator_headers(client: httpx.AsyncClient) -> dict:
    from tests.conftest import login

    response = await client.post("/auth/register/creator", json={
        "email": "pia@example.com", "username": "pia", "password": "correct-horse-1", "full_name": "Pia Lund"})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {(await login(client, 'pia'))['access_token']}"}


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileStorage:
    chosen: FileStorage = (LocalFileStorage(tmp_path) if request.param == "local"
                           else _s3(request.getfixturevalue("s3_endpoint")))
    monkeypatch.setattr("api.routers.creators.get_storage", lambda: chosen)
    return chosen


async def test_portfolio_upload_and_download(client: httpx.AsyncClient, storage: FileStorage) -> None:
    from tests.conftest import manager_headers

    headers = await _creator_headers(client)
    png = _png()
    response = await client.post("/creators/me/portfolio", headers=headers, data={"title": "Cover shot"},
                                 files={"file": ("cover.png", png, "image/png")})
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["content_type"] == "image/png" and item["size_bytes"] == len(png) and item["title"] == "Cover shot"
    profile = (await client.get("/creators/me", headers=headers)).json()
    assert [entry["id"] for entry in profile["portfolio"]] == [item["id"]]
    download = await client.get(item["url"], headers=await manager_headers(client))
    assert download.status_code == 200 and download.content == png
    assert download.headers["content-type"] == "image/png"


async def test_portfolio_rejects_wrong_types_and_sizes(client: httpx.AsyncClient, storage: FileStorage,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    headers = await _creator_headers(client)
    cases = [
        (("notes.txt", b"just text", "text/plain"), 415),
        (("fake.png", b"MZ\x90\x00 executable", "image/png"), 415),  # the bytes decide, not the header
        (("cover.png", _png(), "application/pdf"), 415),  # declared type disagrees with the content
        (("empty.png", b"", "image/png"), 422),
    ]
    for upload, status in cases:
        response = await client.post("/creators/me/portfolio", headers=headers, files={"file": upload})
        assert response.status_code == status, (upload[0], response.text)
    monkeypatch.setattr(get_settings(), "MAX_UPLOAD_BYTES", 50)
    response = await client.post("/creators/me/portfolio", headers=headers,
                                 files={"file": ("big.png", _png() + b"\x00" * 100, "image/png")})
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert (await client.get("/creators/me", headers=headers)).json()["portfolio"] == []
