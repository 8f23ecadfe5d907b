"""The file-storage seam: a `FileStorage` keeps bytes under string keys ("portfolio/<creator>/<file>").

Implementations: a local directory (`local.py`, the default, under DATA_DIR/files) and S3 or any S3-compatible
server such as MinIO (`s3.py`), chosen by `STORAGE_BACKEND` in `tools.storage.get_storage()`.
"""

from __future__ import annotations

import re
from typing import Protocol

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*(/[A-Za-z0-9][A-Za-z0-9._\-]*)*$")


class ObjectNotFound(LookupError):
    """No object under this key."""


def check_key(key: str) -> str:
    """Keys are relative, slash-separated names without '..' or empty parts (safe as paths and S3 keys)."""
    if not _KEY.match(key) or ".." in key.split("/") or len(key) > 300:
        raise ValueError(f"invalid storage key {key!r}")
    return key


class FileStorage(Protocol):
    name: str

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes:
        """The object's bytes; raises ObjectNotFound."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; no error when it is already gone."""
        ...

    async def exists(self, key: str) -> bool: ...
