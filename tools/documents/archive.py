"""Storing generated documents through whatever file storage the deployment uses (local directory or S3).

`DocumentStorage` is the small slice of the storage interface documents need; any object with these two methods
fits (`tools/storage/` provides the real ones). Keys are content-addressed under a prefix, so storing the same
document twice writes the same key, and the stored record carries the SHA-256 that signing and audits rely on.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Protocol, runtime_checkable

from store.contracts.documents import StoredDocument
from tools.documents.pdf import sha256_hex

PDF = "application/pdf"


@runtime_checkable
class DocumentStorage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> Any: ...  # returns a location (str), maybe awaitable

    def get(self, key: str) -> Any: ...  # returns bytes, maybe awaitable


async def _call(method: Any, *args: Any) -> Any:
    """Sync implementations (boto3, files) run in a thread; async ones are awaited."""
    if inspect.iscoroutinefunction(method):
        return await method(*args)
    return await asyncio.to_thread(method, *args)


async def store_document(storage: DocumentStorage, prefix: str, data: bytes, content_type: str = PDF,
                         extension: str = "pdf") -> StoredDocument:
    digest = sha256_hex(data)
    key = f"{prefix.strip('/')}/{digest}.{extension}"
    location = await _call(storage.put, key, data, content_type)
    return StoredDocument(key=key, location=str(location), sha256=digest, size=len(data), content_type=content_type)


async def load_document(storage: DocumentStorage, key: str, expected_sha256: str | None = None) -> bytes:
    """The stored bytes; with `expected_sha256`, refuses bytes that changed since they were stored."""
    data: bytes = await _call(storage.get, key)
    if expected_sha256 is not None and sha256_hex(data) != expected_sha256:
        raise ValueError(f"stored document {key} does not match its recorded SHA-256")
    return data


class MemoryDocumentStorage:
    """In-process storage for tests and dry runs."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str) -> str:
        self.objects[key] = (data, content_type)
        return f"memory://{key}"

    def get(self, key: str) -> bytes:
        return self.objects[key][0]
