"""Load the grammar once per process, from a per-user cache when one was written before.

The grammar file is `grammar/emurules.lark` at the top of the source tree; the wheel
carries it as `emurules/grammar/emurules.lark` (hatchling force-include), so an installed
package finds it beside itself and a source checkout finds it at the top of the tree.

Building the LALR tables takes most of a second; loading them takes a few milliseconds. So
the first process writes the built parser (`Lark.save`) to `$XDG_CACHE_HOME/emurules/`
(else `~/.cache/emurules/`), named by a hash of everything the tables depend on: the
grammar text, the parser options, the Lark and Python versions; its first line holds the
digest of the rest. A file that is missing, unreadable, damaged or not ours is ignored and
rewritten; a cache that cannot be written is silently skipped. Writes go to a temporary
file renamed into place, so a process never reads another's half-written file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import tempfile
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import lark

GRAMMAR_FILE = "emurules.lark"
# Bump when the way the cache file is written changes.
CACHE_FORMAT = 1
_MAGIC = b"emurules-parser"
_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": True,
    "maybe_placeholders": True,
}


def grammar_text() -> str:
    packaged = resources.files("emurules").joinpath("grammar").joinpath(GRAMMAR_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / GRAMMAR_FILE
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise FileNotFoundError(f"the emurules grammar is missing: looked in {packaged} and {checkout}")


def build_parser(*, strict: bool = False) -> lark.Lark:
    """A fresh LALR parser; `strict=True` (needs interegular) rejects any lexer collision."""
    return lark.Lark(grammar_text(), strict=strict, **_OPTIONS)


class CachedParser(lark.Lark):
    """A parser loaded from the cache. Its tables need no grammar; tools that read the
    grammar itself (hypothesis's `from_lark`) get it built on first use."""

    @cached_property
    def grammar(self) -> Any:  # type: ignore[override]
        return build_parser().grammar


def cache_dir() -> Path | None:
    """Where the parser is cached: `$XDG_CACHE_HOME/emurules`, else `~/.cache/emurules`;
    None when there is no home directory to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(base) / "emurules"


def cache_key(text: str) -> str:
    """A hash of everything the parser tables depend on."""
    parts = [text, repr(sorted(_OPTIONS.items())), lark.__version__, sys.version, CACHE_FORMAT]
    return hashlib.sha256("\0".join(map(str, parts)).encode("utf-8")).hexdigest()


def _header(key: str, payload: bytes) -> bytes:
    """The cache file's first line: what it is, for which tables, and the digest of the
    rest, so that a file damaged in any byte is rebuilt rather than parsing wrongly."""
    digest = hashlib.sha256(payload).hexdigest()
    return b" ".join([_MAGIC, key.encode("ascii"), digest.encode("ascii")]) + b"\n"


def _ours(path: Path) -> bool:
    """Only a file this user owns and no one else may write is unpickled (on POSIX; on
    Windows the cache lives in the user's own profile)."""
    info = path.stat()
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def load_cached(path: Path, key: str) -> lark.Lark | None:
    """The parser saved at `path` for `key`, or None for any file that does not load."""
    try:
        if not _ours(path):
            return None
        header, _, payload = path.read_bytes().partition(b"\n")
        if header + b"\n" != _header(key, payload):
            return None
        return CachedParser.load(io.BytesIO(payload))
    except Exception:  # a cache that does not load is only a cache: rebuild it
        return None


def save_cached(parser: lark.Lark, path: Path, key: str) -> None:
    """Write the parser to `path` atomically; any failure leaves the cache as it was."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    except Exception:
        return
    try:
        buffer = io.BytesIO()
        parser.save(buffer)
        payload = buffer.getvalue()
        with os.fdopen(fd, "wb") as file:
            file.write(_header(key, payload) + payload)
        os.replace(temporary, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def cached_parser(directory: Path | None) -> lark.Lark:
    """The parser from `directory`'s cache, built and saved there when missing."""
    text = grammar_text()
    if directory is None:
        return build_parser()
    key = cache_key(text)
    path = directory / f"parser-{key[:32]}.pickle"
    loaded = load_cached(path, key)
    if loaded is not None:
        return loaded
    built = build_parser()
    save_cached(built, path, key)
    return built


@cache
def parser() -> lark.Lark:
    """The process-wide parser."""
    return cached_parser(cache_dir())
