"""Portfolio uploads: check size, real content type and content, the creator's quota; store the bytes, record the
item.

The content type is taken from the file's first bytes (magic numbers), not from the client's header, and must be
one of the allowed kinds; a declared type that disagrees is rejected too. The content is then verified for that
type (`content_check.py`: images decoded under a pixel limit, nothing appended, PDFs without active content). All
of a creator's files together stay within `CREATOR_STORAGE_QUOTA_BYTES` (the creator row is locked while counting,
so concurrent uploads cannot both squeeze in). The bytes are stored before the row is flushed; if the flush fails
the object is removed again.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import PurePath

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, InvalidInput, PayloadTooLarge
from core.settings import get_settings
from store.creators.service import CreatorService
from store.models import PortfolioItem
from tools.storage.base import FileStorage
from tools.storage.content_check import check_upload

ALLOWED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif",
                 "video/mp4": ".mp4", "application/pdf": ".pdf"}
_GENERIC = {"", "application/octet-stream"}


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


def sniff_content_type(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


async def upload_portfolio_item(session: AsyncSession, storage: FileStorage, user_id: uuid.UUID, *, data: bytes,
                                filename: str, declared_type: str | None, title: str = "") -> PortfolioItem:
    limit = get_settings().MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise PayloadTooLarge(f"file is larger than {limit:,} bytes", code="file_too_large",
                              details={"max_bytes": limit})
    if not data:
        raise InvalidInput("file is empty", code="empty_file")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise UnsupportedMediaType(f"unsupported file type; upload one of {', '.join(sorted(ALLOWED_TYPES))}",
                                   details={"allowed": sorted(ALLOWED_TYPES)})
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in _GENERIC and declared != content_type:
        raise UnsupportedMediaType(f"the file is {content_type} but was sent as {declared}")
    settings = get_settings()
    # decoding is CPU work: off the event loop
    await asyncio.to_thread(check_upload, data, content_type, max_pixels=settings.MAX_IMAGE_PIXELS)

    service = CreatorService(session)
    creator = await service.my_profile(user_id, for_update=True)
    used = await service.storage_used(creator)
    quota = settings.CREATOR_STORAGE_QUOTA_BYTES
    if used + len(data) > quota:
        raise PayloadTooLarge(
            f"storage quota of {_megabytes(quota)} reached: {_megabytes(used)} used, this file needs "
            f"{_megabytes(len(data))}; delete files to make room", code="storage_quota_exceeded",
            details={"quota_bytes": quota, "used_bytes": used, "file_bytes": len(data)})
    key = f"portfolio/{creator.id}/{uuid.uuid4().hex}{ALLOWED_TYPES[content_type]}"
    await storage.put(key, data, content_type)
    try:
        return await service.add_portfolio_item(
            creator, storage_key=key, content_type=content_type, size_bytes=len(data),
            original_filename=PurePath(filename or "").name[:255], title=title.strip()[:200])
    except BaseException:
        await storage.delete(key)
        raise


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB" if size >= 100_000 else f"{size / 1000:,.1f} kB"
