"""The S3 target: a bucket of AWS or of an S3-compatible store (Cloudflare R2, Backblaze B2, MinIO, SeaweedFS).

boto3 finds the credentials the usual AWS ways (environment, profile, instance role); narrate never
reads, stores or prints them. Each file goes up in one PUT, so its ETag is its MD5 and the store
checks the bytes against the Content-MD5 sent with them.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError, NoCredentialsError
from botocore.exceptions import ProfileNotFound

from .. import layout
from ..config import PublishConfig
from ..errors import PublishError
from .upload import OnBytes, StoredObject, Upload

T = TypeVar("T")

PARALLEL = 8
DELETE_BATCH = 1000
"""The most keys one DeleteObjects request takes."""
QUIET_LOGGERS = ("boto3", "botocore", "s3transfer", "urllib3")
"""Their debug logs (`narrate --verbose`) show request headers, which may carry a session token."""

ADVICE = {
    "NoSuchBucket": "the bucket {bucket!r} does not exist at {where}; check publish.target and publish.endpoint_url",
    "AccessDenied": "access denied: the credentials found may not do this (narrate lists, puts and deletes objects "
                    "below the prefix)",
    "InvalidAccessKeyId": "the store does not know this access key; check AWS_ACCESS_KEY_ID or the profile's "
                          "aws_access_key_id",
    "SignatureDoesNotMatch": "the secret key does not match the access key; check AWS_SECRET_ACCESS_KEY or the "
                             "profile's aws_secret_access_key",
    "InvalidToken": "the session token is not valid; renew the credentials",
    "ExpiredToken": "the session token has expired; renew the credentials",
    "PermanentRedirect": "the bucket is in another region; set publish.region to it",
    "AuthorizationHeaderMalformed": "the bucket is in another region; set publish.region to it",
    "BadDigest": "the bytes that arrived differ from the file's (changed while sent, or damaged on the way); "
                 "publish again",
    "403": "access denied: the credentials found may not do this (narrate lists, puts and deletes objects "
           "below the prefix)",
}
"""What to do about the store's answers a user can act on, by error code."""


class S3Target:
    parallel = PARALLEL

    def __init__(self, config: PublishConfig) -> None:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(max(logging.getLogger(name).getEffectiveLevel(), logging.INFO))
        self.name = config.target.rstrip("/")
        self.bucket, self.prefix = config.bucket, config.prefix
        self._where = config.endpoint_url or "AWS"
        self._attempts = config.attempts
        try:
            session = boto3.Session(profile_name=config.profile, region_name=config.region)
            self._secrets = _secrets(session)
            self._client = session.client("s3", endpoint_url=config.endpoint_url, config=_settings(config))
        except ProfileNotFound as error:
            raise PublishError(f"the AWS profile {error.kwargs.get('profile')!r} (publish.profile or AWS_PROFILE) is "
                               "not in ~/.aws/config or ~/.aws/credentials", self.name) from None
        except BotoCoreError as error:
            raise PublishError(str(error), self.name) from None

    def list(self) -> list[StoredObject]:
        def listing() -> list[StoredObject]:
            pages = self._client.get_paginator("list_objects_v2")
            stored = []
            for start in (*(f"{name}/" for name in layout.PUBLIC_FOLDERS), layout.INDEX):
                for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix + start):
                    stored += [_stored(item, self.prefix) for item in page.get("Contents", [])]
            return [item for item in stored if layout.is_public(item.path)]

        return self._call("listing the bucket", listing)

    def put(self, source: Path, upload: Upload, on_bytes: OnBytes) -> str:
        digest = base64.b64encode(bytes.fromhex(upload.file.md5)).decode("ascii")
        with source.open("rb") as file:
            answer = self._call(f"sending {upload.file.path}", lambda: self._client.put_object(
                Bucket=self.bucket, Key=self.prefix + upload.file.path, Body=_Counted(file, on_bytes),
                ContentLength=upload.file.size, ContentMD5=digest, ContentType=upload.content_type,
                CacheControl=upload.cache_control,
            ))
        return str(answer["ETag"]).strip('"')

    def delete(self, paths: Sequence[str]) -> None:
        for batch in _batches(list(paths), DELETE_BATCH):
            objects = [{"Key": self.prefix + path} for path in batch]
            answer = self._call("deleting", lambda: self._client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
            ))
            for failure in answer.get("Errors", [])[:1]:
                key, code = failure.get("Key", "?"), failure.get("Code", "?")
                raise PublishError(self._redact(f"deleting {key}: {self._advice(code, failure.get('Message', ''))}"),
                                   self.name)

    def _call(self, doing: str, request: Callable[[], T]) -> T:
        """The request's answer, or one line saying what went wrong and what to do, with no secret in it."""
        try:
            return request()
        except ClientError as error:
            answer = error.response.get("Error", {})
            code = str(answer.get("Code") or error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?"))
            message = self._advice(code, str(answer.get("Message", "")))
        except NoCredentialsError:
            message = ("no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or "
                       "publish.profile")
        except (ConnectionError, HTTPClientError) as error:
            message = f"cannot reach {self._where} after {self._attempts} tries ({error}); check publish.endpoint_url"
        except BotoCoreError as error:
            message = str(error)
        raise PublishError(self._redact(f"{doing}: {message}"), self.name) from None

    def _advice(self, code: str, message: str) -> str:
        advice = ADVICE.get(code)
        if advice is None:
            return f"the store answered {code}: {message}".rstrip(": ")
        return advice.format(bucket=self.bucket, where=self._where)

    def _redact(self, line: str) -> str:
        for secret in self._secrets:
            line = line.replace(secret, "[secret]")
        return line


def _settings(config: PublishConfig) -> BotoConfig:
    """Retries on timeouts, dropped connections, throttling and 5xx with backoff (botocore's standard mode,
    the first try counted); no CRC checksum headers, which some S3-compatible stores refuse; path-style
    addresses for those stores, which all accept them."""
    return BotoConfig(
        retries={"mode": "standard", "total_max_attempts": config.attempts},
        connect_timeout=10,
        read_timeout=60,
        max_pool_connections=PARALLEL,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": "path" if config.endpoint_url else "auto"},
    )


class _Counted:
    """A file being sent that reports the bytes read from it, and takes them back when the sender rewinds
    (botocore reads a body once to sign it over plain HTTP, and again to retry)."""

    def __init__(self, file: BinaryIO, on_bytes: OnBytes) -> None:
        self._file = file
        self._on_bytes = on_bytes

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._on_bytes(len(data))
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        before = self._file.tell()
        after = self._file.seek(offset, whence)
        self._on_bytes(after - before)
        return after

    def tell(self) -> int:
        return self._file.tell()


def _stored(item: dict[str, Any], prefix: str) -> StoredObject:
    return StoredObject(str(item["Key"])[len(prefix):], int(item["Size"]), str(item.get("ETag", "")).strip('"'))


def _secrets(session: Any) -> tuple[str, ...]:
    """The secret parts of the credentials boto3 found, to keep out of every message."""
    try:
        credentials = session.get_credentials()
    except BotoCoreError:
        return ()
    if credentials is None:
        return ()
    frozen = credentials.get_frozen_credentials()
    return tuple(secret for secret in (frozen.secret_key, frozen.token) if secret)


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
