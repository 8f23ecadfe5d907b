"""Where contract PDFs and invoices are stored: the deployment's file storage (`tools.storage.get_storage()`: local
directory or S3) when that module is installed.

FALLBACK (clearly temporary): until `tools/storage/` lands, `LocalDirectoryStorage` keeps files under
`DATA_DIR/files/<key>` — the same layout as the local backend of `tools/storage`, so files written now stay readable
after the switch.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path
from typing import cast

from core.settings import get_settings
from tools.documents.archive import DocumentStorage


class LocalDirectoryStorage:
    """FALLBACK: one file per key under `root`, written atomically (temporary file + rename)."""

    name = "local-fallback"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        if not key or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"invalid storage key {key!r}")
        return self.root.joinpath(*parts)

    def put(self, key: str, data: bytes, content_type: str) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        return str(path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def document_storage() -> DocumentStorage:
    try:
        storage_module = importlib.import_module("tools.storage")
    except ModuleNotFoundError:
        return LocalDirectoryStorage(get_settings().data_dir / "files")
    return cast(DocumentStorage, storage_module.get_storage())
