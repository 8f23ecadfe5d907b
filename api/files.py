"""Serving files people uploaded: never as something a browser would run.

Every such response carries `X-Content-Type-Options: nosniff` (the declared type is final),
`Content-Security-Policy: default-src 'none'; sandbox` (opened directly, the file gets no scripts, no
same-origin rights, no requests), and a `Content-Disposition`: `inline` only for images, which uploads verify by
decoding them; anything else (PDF, video) downloads as an attachment. The file name is an ASCII fallback plus the
original name in RFC 5987 form (`filename*=UTF-8''...`), so no header can be broken by a quote or a newline.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import quote

from fastapi import Response

USER_FILE_CSP = "default-src 'none'; sandbox"
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(disposition: str, filename: str, fallback: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name or fallback
    ascii_name = _UNSAFE_ASCII.sub("_", name).strip("._")[:100] or fallback
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name[:200], safe='')}"


def user_file_response(data: bytes, content_type: str, filename: str, fallback: str) -> Response:
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    return Response(data, media_type=content_type, headers={
        "Content-Disposition": content_disposition(disposition, filename, fallback),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": USER_FILE_CSP,
        "Cache-Control": "private, no-store",
    })
