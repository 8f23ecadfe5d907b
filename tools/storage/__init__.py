"""File storage chosen by settings: `STORAGE_BACKEND=local` (DATA_DIR/files) or `s3` (`S3_BUCKET_NAME`, optional
`S3_ENDPOINT_URL` for MinIO-compatible servers, `AWS_*` credentials). One instance per process."""

from __future__ import annotations

from functools import lru_cache

from core.settings import ConfigurationError, Settings, get_settings
from tools.storage.base import FileStorage, ObjectNotFound, check_key


def build_storage(settings: Settings) -> FileStorage:
    if settings.STORAGE_BACKEND == "s3":
        if not settings.S3_BUCKET_NAME:
            raise ConfigurationError("STORAGE_BACKEND=s3 needs S3_BUCKET_NAME")
        from tools.storage.s3 import S3FileStorage

        secret = settings.AWS_SECRET_ACCESS_KEY.get_secret_value() if settings.AWS_SECRET_ACCESS_KEY else None
        return S3FileStorage(settings.S3_BUCKET_NAME, endpoint_url=settings.S3_ENDPOINT_URL,
                             region=settings.AWS_REGION, access_key_id=settings.AWS_ACCESS_KEY_ID,
                             secret_access_key=secret)
    from tools.storage.local import LocalFileStorage

    return LocalFileStorage(settings.data_dir / "files")


@lru_cache(maxsize=1)
def get_storage() -> FileStorage:
    return build_storage(get_settings())


__all__ = ["FileStorage", "ObjectNotFound", "build_storage", "check_key", "get_storage"]
