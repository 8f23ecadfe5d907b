"""Objects in an S3 bucket through boto3: AWS, or any S3-compatible server (MinIO, moto) via `S3_ENDPOINT_URL`.

boto3 is blocking, so every call runs on a worker thread. The bucket is created on first use when missing
(path-style addressing, which MinIO and moto expect; outside us-east-1 with a LocationConstraint).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from tools.storage.base import ObjectNotFound, check_key

_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


class S3FileStorage:
    name = "s3"

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str = "us-east-1",
                 access_key_id: str | None = None, secret_access_key: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.region = region
        self.client: Any = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}))
        self._bucket_ready = False
        self._lock = threading.Lock()

    def _ensure_bucket(self) -> None:
        with self._lock:
            if self._bucket_ready:
                return
            from botocore.exceptions import ClientError

            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") not in _MISSING:
                    raise
                options = ({} if self.region == "us-east-1"
                           else {"CreateBucketConfiguration": {"LocationConstraint": self.region}})
                self.client.create_bucket(Bucket=self.bucket, **options)
            self._bucket_ready = True

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        self._ensure_bucket()
        self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type)

    def _get(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        self._ensure_bucket()
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise ObjectNotFound(key) from exc
            raise
        return bytes(response["Body"].read())

    def _exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        self._ensure_bucket()
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise

    def _delete(self, key: str) -> None:
        self._ensure_bucket()
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data, content_type)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._exists, key)
