"""'Did you mean', for criteria names and data names alike (below check and data)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """'did you mean 'x'?' for the closest candidate, if any is close."""
    pool = sorted(set(candidates))
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in pool}
        found = [lowered[word.lower()]] if word.lower() in lowered else []
    return f"did you mean '{found[0]}'?" if found else None
