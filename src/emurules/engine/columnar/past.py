"""The history functions over columns (`streak`, `held`, `past`), from the evaluation's
`History` (merged units' years already resolved by data/lineage.py), with exactly the
meaning of `builtins.evaluation.streak`, `held` and `past`."""

from __future__ import annotations

import threading
from typing import Any

import polars as pl

from emurules.data.history import History
from emurules.data.past_columns import ColumnHistory
from emurules.engine.columnar import exact
from emurules.engine.columnar.exact import Col
from emurules.engine.columnar.frames import KEY, column
from emurules.plan import ir


class Past:
    """One evaluation's history as frames, each made the first time a function reads it."""

    def __init__(self, history: History, year: int) -> None:
        self.history = history
        self.year = year
        self.awards: dict[tuple[str, str], pl.DataFrame] = {}
        self.values: dict[tuple[str, str, int], dict[str, Any]] | None = None
        self.lock = threading.Lock()

    def held_years(self, kind: str, award: str) -> pl.DataFrame:
        """(key, year) for each year before this one a subject of `kind` held `award`."""
        with self.lock:
            found = self.awards.get((kind, award))
            if found is None and isinstance(self.history, ColumnHistory):
                held = self.history.held(kind, award, self.year)  # years before this one
                found = held.rename({"key": KEY})
                self.awards[(kind, award)] = found
            if found is None:
                keys: list[str] = []
                years: list[int] = []
                for (owner, key), held in self.history.awards.items():
                    if owner != kind:
                        continue
                    for year, got in held.items():
                        if award in got and year < self.year:
                            keys.append(key)
                            years.append(year)
                found = pl.DataFrame(
                    {
                        KEY: pl.Series(keys, dtype=pl.String),
                        "year": pl.Series(years, dtype=pl.Int64),
                    }
                )
                self.awards[(kind, award)] = found
            return found

    def value_at(self, kind: str, name: str, year: int) -> dict[str, Any]:
        """Each subject's value of `name` in `year`, by key (the subjects with one)."""
        with self.lock:
            if self.values is None:
                self.values = {}
                for (owner, key, field, when), value in self.history.values.items():
                    self.values.setdefault((owner, field, when), {})[key] = value
            return self.values.get((kind, name, year), {})

    def streak(self, kind: str, node: ir.Streak) -> pl.DataFrame:
        """Consecutive years held up to last year, by key (the caller adds this year's)."""
        years = self.held_years(kind, node.award).sort([KEY, "year"], descending=[False, True])
        index = pl.int_range(pl.len(), dtype=pl.Int64)
        starts = pl.col(KEY).ne_missing(pl.col(KEY).shift(1)) | (index == 0)
        place = index - pl.when(starts).then(index).forward_fill()
        run = years.filter(pl.col("year") == self.year - 1 - place)
        return run.group_by(KEY).agg(pl.len().cast(exact.INT).alias("__value"))

    def held(self, kind: str, node: ir.Held) -> pl.DataFrame:
        """In how many of the last `years` years each subject held the award, by key."""
        first = self.year - node.years
        years = self.held_years(kind, node.award).filter(pl.col("year") >= first)
        return years.group_by(KEY).agg(pl.col("year").n_unique().cast(exact.INT).alias("__value"))

    def past(self, kind: str, node: ir.Past) -> tuple[pl.DataFrame, Col]:
        """Each subject's value `back` years ago, by key, and its column's kind and scale."""
        found = self.value_at(kind, node.name, self.year - node.back)
        values, col = column("__value", list(found.values()), node.type)
        frame = pl.DataFrame([pl.Series(KEY, list(found), dtype=pl.String), values])
        return frame, col
