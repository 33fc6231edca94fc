"""Reports written atomically: the old report stays whole until the new one is complete.

A run stopped half-way (Ctrl-C, SIGTERM, a full disk, a crash in a writer) must not leave a
truncated report where yesterday's good one was. Every report is written to a temporary file
in the same folder (so the final rename never crosses file systems), flushed to disk, and
only then renamed over the target in one step.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def write_text(path: Path, text: str, *, bom: bool = False) -> None:
    """Write `text` as UTF-8 (with a byte-order mark when `bom`, which Excel needs to read a
    CSV as UTF-8), atomically.

    A lone surrogate (JSON input may carry one, as `\\ud800`) cannot be UTF-8; it is written
    as the escape `\\ud800`, which in a JSON report is exactly the JSON escape it came from.
    """
    data = text.encode("utf-8", errors="backslashreplace")
    write_bytes(path, b"\xef\xbb\xbf" + data if bom else data)


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path`, atomically."""
    with atomic_path(path) as temporary, temporary.open("wb") as file:
        _write(file.fileno(), data)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write in; on success it replaces `path`, otherwise it is removed.

    The temporary file (`.NAME.RANDOM.tmp`, beside the target) exists and is empty when the
    block starts; a writer may open it by name. When the block ends normally the file is
    synced to disk, given the old file's permission bits (or the usual ones for a new file)
    and renamed over `path`. When the block raises anything, KeyboardInterrupt and SystemExit
    included, the temporary file is removed and the old report is untouched. A symbolic link
    at `path` is followed, so the file it points to is replaced and the link kept.
    """
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    temporary = _create(target)
    try:
        yield temporary
        _sync(temporary)
        with suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(target.parent)


def _create(target: Path) -> Path:
    """A new empty file beside `target`, created with the permissions a new file gets (so the
    process's umask applies, as it would to `open(target, "w")`)."""
    while True:
        temporary = target.with_name(f".{target.name[:200]}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return temporary


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows syncing a folder."""
    if os.name == "nt":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
