"""Uploaded files on disk, outside ``static/``, named by the SHA-256 of their content.

An upload is first written to a temporary file in the upload folder (so the final rename
stays on one file system and is atomic), hashed on the way. Only a file that passed every
check is renamed into place; an equal file already there is kept and the copy dropped, so
the same content is stored once.
"""
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

CHUNK = 64 * 1024


@dataclass
class Received:
    temp_path: Path
    sha256: str
    size: int


def upload_folder():
    folder = current_app.config.get("UPLOAD_FOLDER") or os.path.join(current_app.instance_path, "uploads")
    return Path(folder)


def blob_path(sha256):
    return upload_folder() / sha256[:2] / sha256


def receive(stream):
    """Copy ``stream`` to a temporary file, hashing it; the caller places or discards it."""
    temp_dir = upload_folder() / "tmp"
    temp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, name = tempfile.mkstemp(dir=temp_dir, prefix="upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    return Received(Path(name), digest.hexdigest(), size)


def discard(received):
    received.temp_path.unlink(missing_ok=True)


def place(received):
    """Move the checked file to its content address; True when this call created it."""
    target = blob_path(received.sha256)
    if target.exists():
        discard(received)
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.temp_path, target)
    return True


def remove(sha256):
    blob_path(sha256).unlink(missing_ok=True)
