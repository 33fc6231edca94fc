"""Compile the message catalogues: every ``src/emurules/i18n/<lang>/*.po`` into one
``src/emurules/i18n/locale/<lang>/LC_MESSAGES/emurules.mo`` (``make messages``).

The ``.mo`` files are committed, so that emurules reads them with the standard library and
needs Babel only here; a test compiles again and fails when a committed ``.mo`` is stale.
A message id defined twice, or an entry without text, is refused.
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "src" / "emurules" / "i18n"


def sources(lang: str) -> list[Path]:
    return sorted((ROOT / lang).glob("*.po"))


def merged(lang: str) -> Catalog:
    """The language's catalogue: all its .po files, each id once."""
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)  # the same bytes every run
    catalogue = Catalog(
        locale=lang,
        domain="emurules",
        project="emurules",
        version="1",
        msgid_bugs_address="",
        creation_date=fixed,
        revision_date=fixed,
        fuzzy=False,
    )
    where: dict[str, Path] = {}
    problems = []
    for path in sources(lang):
        with path.open("rb") as handle:
            part = read_po(handle, locale=lang)
        for entry in part:
            if not entry.id:
                continue
            if entry.id in where:
                problems.append(f"{path.name}: {entry.id} is also in {where[entry.id].name}")
            if not entry.string:
                problems.append(f"{path.name}: {entry.id} has no text")
            where[str(entry.id)] = path
            catalogue.add(entry.id, entry.string, locations=[(path.name, entry.lineno or 0)])
    if problems:
        raise SystemExit("\n".join(problems))
    return catalogue


def compiled(lang: str) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, merged(lang))
    return buffer.getvalue()


def target(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "emurules.mo"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for lang in sorted(p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "locale"):
        if lang.startswith("_"):
            continue
        data = compiled(lang)
        path = target(lang)
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    if stale:
        print("stale catalogues (run make messages):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
