"""Uploads are verified for what they claim to be, served so no browser runs them, and bounded per creator:
decoded images under a pixel limit, no polyglots (other data after an image's end), no active PDF content,
nosniff + sandboxing CSP + safe Content-Disposition on download, a storage quota."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import httpx
import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from tests.conftest import login, manager_headers
from tools.storage.local import LocalFileStorage


def _image(kind: str, size: tuple[int, int] = (8, 8), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(out, kind, **options)
    return out.getvalue()


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (6, 6), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return out.getvalue()


def _pdf(active: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if active == "javascript":
        script = writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                                      NameObject("/JS"): TextStringObject("app.alert('hi');")}))
        names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), script])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})
    elif active == "open_action":
        action = DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                   NameObject("/URI"): TextStringObject("https://example.com")})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    elif active == "page_aa":
        writer.pages[0][NameObject("/AA")] = DictionaryObject()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mp4() -> bytes:
    ftyp = struct.pack(">I", 20) + b"ftypisom" + struct.pack(">I", 512) + b"isom"
    mdat = struct.pack(">I", 16) + b"mdat" + b"\x00" * 8
    return ftyp + mdat


_HIDDEN_JS_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 3 0 R >> >> endobj\n"
                  b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                  b"3 0 obj << /Names [(x) << /S /JavaScript /J#53 (app.alert(1)) >>] >> endobj\n"
                  b"trailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
async def creator(client: httpx.AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setattr("api.routers.creators.get_storage", lambda: LocalFileStorage(tmp_path))
    response = await client.post("/auth/register/creator", json={
        "email": "pia@example.com", "username": "pia", "password": "correct-horse-1", "full_name": "Pia Lund"})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {(await login(client, 'pia'))['access_token']}"}


async def _upload(client: httpx.AsyncClient, headers: dict, name: str, data: bytes, kind: str) -> httpx.Response:
    return await client.post("/creators/me/portfolio", headers=headers, files={"file": (name, data, kind)})


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("photo.jpg", _image("JPEG"), "image/jpeg"),
    ("photo.png", _image("PNG"), "image/png"),
    ("photo.webp", _image("WEBP"), "image/webp"),
    ("loop.gif", _animated_gif(), "image/gif"),
    ("progressive.jpg", _image("JPEG", (64, 48), progressive=True), "image/jpeg"),
    ("media kit.pdf", _pdf(), "application/pdf"),
    ("clip.mp4", _mp4(), "video/mp4"),
])
async def test_genuine_files_are_accepted(client: httpx.AsyncClient, creator: dict, name: str, data: bytes,
                                          kind: str) -> None:
    response = await _upload(client, creator, name, data, kind)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(("name", "data", "kind", "code"), [
    ("page.png", _image("PNG") + b"<html><script>alert(document.cookie)</script></html>", "image/png",
     "trailing_data"),
    ("archive.png", _image("PNG") + _zip(), "image/png", "trailing_data"),
    ("page.jpg", _image("JPEG") + b"<script>alert(1)</script>", "image/jpeg", "trailing_data"),
    ("page.gif", _animated_gif() + b"PK\x03\x04zip", "image/gif", "trailing_data"),
    ("page.webp", _image("WEBP") + b"<html></html>", "image/webp", "trailing_data"),
    ("huge.png", _png_claiming(100_000, 100_000), "image/png", "image_too_large"),
    ("html.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "image/png", "invalid_file"),
    ("truncated.jpg", _image("JPEG")[:60], "image/jpeg", "invalid_file"),
    ("script.pdf", _pdf("javascript"), "application/pdf", "pdf_active_content"),
    ("open.pdf", _pdf("open_action"), "application/pdf", "pdf_active_content"),
    ("page-action.pdf", _pdf("page_aa"), "application/pdf", "pdf_active_content"),
    ("hidden.pdf", _HIDDEN_JS_PDF, "application/pdf", "pdf_active_content"),
    ("clip.mp4", _mp4() + b"<html></html>", "video/mp4", "invalid_file"),
])
async def test_disguised_and_active_files_are_refused(client: httpx.AsyncClient, creator: dict, name: str,
                                                      data: bytes, kind: str, code: str) -> None:
    response = await _upload(client, creator, name, data, kind)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert (await client.get("/creators/me", headers=creator)).json()["portfolio"] == []


async def test_a_large_image_within_the_upload_size_is_bounded_by_pixels(client: httpx.AsyncClient, creator: dict,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "MAX_IMAGE_PIXELS", 1000)
    response = await _upload(client, creator, "wide.png", _image("PNG", (100, 20)), "image/png")
    assert response.status_code == 422 and response.json()["details"] == {"max_pixels": 1000}
    assert "at most 1,000 pixels" in response.json()["message"]


async def test_files_are_served_so_browsers_never_run_them(client: httpx.AsyncClient, creator: dict) -> None:
    manager = await manager_headers(client)
    image = (await _upload(client, creator, "cover final.png", _image("PNG"), "image/png")).json()
    pdf = (await _upload(client, creator, "médiakit\r\nX-Evil: 1.pdf", _pdf(), "application/pdf")).json()

    shown = await client.get(image["url"], headers=manager)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert shown.headers["content-disposition"] == (
        "inline; filename=\"cover_final.png\"; filename*=UTF-8''cover%20final.png")

    downloaded = await client.get(pdf["url"], headers=manager)
    assert downloaded.status_code == 200 and downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert downloaded.headers["content-security-policy"] == "default-src 'none'; sandbox"
    disposition = downloaded.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and "\r" not in disposition and "\n" not in disposition
    assert "x-evil" not in downloaded.headers
    assert "filename*=UTF-8''m%C3%A9diakit" in disposition
    assert (await client.get("/health")).headers["x-content-type-options"] == "nosniff"  # every response


def test_content_disposition_cannot_be_broken_by_the_file_name() -> None:
    from api.files import content_disposition

    assert content_disposition("attachment", 'a"b;\r\nX: y/../évil.pdf', fallback="id.pdf") == (
        "attachment; filename=\"vil.pdf\"; filename*=UTF-8''%C3%A9vil.pdf")
    assert content_disposition("attachment", 'a"b;c.pdf', fallback="id.pdf") == (
        "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%3Bc.pdf")
    assert content_disposition("inline", "", fallback="id.png") == (
        "inline; filename=\"id.png\"; filename*=UTF-8''id.png")


async def test_a_creator_cannot_exceed_the_storage_quota(client: httpx.AsyncClient, creator: dict,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    photo = _image("PNG", (32, 32))
    monkeypatch.setattr(get_settings(), "CREATOR_STORAGE_QUOTA_BYTES", 2 * len(photo) + 10)
    statuses = [(await _upload(client, creator, f"p{n}.png", photo, "image/png")).status_code for n in range(3)]
    assert statuses == [201, 201, 413]
    refused = await _upload(client, creator, "p.png", photo, "image/png")
    body = refused.json()
    assert refused.status_code == 413 and body["code"] == "storage_quota_exceeded"
    assert body["message"].startswith(f"storage quota of {(2 * len(photo) + 10) / 1000:.1f} kB reached")
    assert body["details"]["quota_bytes"] == 2 * len(photo) + 10 and body["details"]["used_bytes"] == 2 * len(photo)
    assert len((await client.get("/creators/me", headers=creator)).json()["portfolio"]) == 2
