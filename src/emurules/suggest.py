"""'Did you mean', for criteria names and data names alike (below check and data)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from emurules.i18n import Message, message


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word`, if any is close (a different case counts)."""
    pool = sorted(set(candidates))
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in pool}
        found = [lowered[word.lower()]] if word.lower() in lowered else []
    return found[0] if found else None


def did_you_mean(name: str) -> Message:
    """'did you mean 'x'?', the one phrase every stage uses."""
    return message("core.did-you-mean", name=name)


def suggest(word: str, candidates: Iterable[str]) -> Message | None:
    """'did you mean 'x'?' for the closest candidate, if any is close."""
    found = closest(word, candidates)
    return did_you_mean(found) if found is not None else None
